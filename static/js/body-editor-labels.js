// The body editor's toolbar names its buttons in English only. This names them
// in the interface's language, from the same catalogue as the editor's dialogs
// (locale/*/LC_MESSAGES/djangojs.po, served by the admin's jsi18n), including
// the labels it changes as the cursor moves ("heading 2").
(function () {
  "use strict";
  const translate = window.gettext;
  if (!translate) {
    return;
  }

  function relabel(element) {
    const title = element.getAttribute("title");
    if (title && translate(title) !== title) {
      element.setAttribute("title", translate(title));
      element.setAttribute("aria-label", translate(title));
    }
    const option = element.classList.contains("prose-menubar__option")
      ? element.firstElementChild
      : null;
    if (option && translate(option.textContent) !== option.textContent) {
      option.textContent = translate(option.textContent);
    }
  }

  function relabelWithin(root) {
    relabel(root);
    root
      .querySelectorAll(".prose-menubar [title], .prose-menubar__option")
      .forEach(relabel);
  }

  new MutationObserver(function (mutations) {
    for (const mutation of mutations) {
      if (mutation.type === "attributes") {
        relabel(mutation.target);
      } else {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) {
            relabelWithin(node);
          }
        });
      }
    }
  }).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["title"],
  });
})();
