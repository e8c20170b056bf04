/*
 * "Named in the text but not tagged": each suggestion button adds its official or
 * municipality to the form's autocomplete field, without leaving the page.
 */
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-suggest-field]").forEach((suggestion) => {
    suggestion.addEventListener("click", () => {
      const select = document.querySelector(
        `select[name="${suggestion.dataset.suggestField}"]`
      );
      if (!select) {
        return;
      }
      const value = suggestion.dataset.suggestId;
      if (!select.querySelector(`option[value="${value}"]`)) {
        select.appendChild(new Option(suggestion.dataset.suggestLabel, value, true, true));
      } else {
        select.querySelector(`option[value="${value}"]`).selected = true;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      if (window.django && window.django.jQuery) {
        window.django.jQuery(select).trigger("change");
      }
      suggestion.disabled = true;
      suggestion.textContent = `✓ ${suggestion.dataset.suggestLabel}`;
    });
  });
});
