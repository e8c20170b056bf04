// The release page's photos: a thumbnail opens its photo in a lightbox (a
// modal dialog, so focus stays in it and Esc closes it); the arrow keys and
// buttons move between photos, and closing returns focus to the thumbnail.
// Without this script each thumbnail is a link to its photo.
(function () {
  "use strict";
  const gallery = document.querySelector("[data-gallery]");
  const dialog = gallery && gallery.querySelector("[data-lightbox]");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const links = Array.from(gallery.querySelectorAll(".gallery__open"));
  const picture = dialog.querySelector("img");
  const caption = dialog.querySelector("figcaption");
  const position = dialog.querySelector("[data-lightbox-position]");
  const previous = dialog.querySelector("[data-lightbox-previous]");
  const next = dialog.querySelector("[data-lightbox-next]");
  let current = 0;

  function textOf(item, selector) {
    const element = item.querySelector(selector);
    return element ? element.textContent.trim() : "";
  }

  function show(index) {
    current = (index + links.length) % links.length;
    const link = links[current];
    const item = link.closest(".gallery__item");
    picture.src = link.href;
    picture.alt = link.querySelector("img").alt;
    caption.textContent = [textOf(item, ".gallery__caption"), textOf(item, ".gallery__credit")]
      .filter(Boolean)
      .join(" · ");
    position.textContent = links.length > 1 ? `${current + 1} / ${links.length}` : "";
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return; // a new tab or window: the link's own way
      }
      event.preventDefault();
      show(index);
      dialog.showModal();
    });
  });
  previous.hidden = next.hidden = links.length < 2;
  previous.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  dialog.querySelector("[data-lightbox-close]").addEventListener("click", function () {
    dialog.close();
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft" && links.length > 1) {
      show(current - 1);
    } else if (event.key === "ArrowRight" && links.length > 1) {
      show(current + 1);
    }
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      dialog.close(); // a click on the backdrop
    }
  });
  dialog.addEventListener("close", function () {
    picture.removeAttribute("src");
    links[current].focus();
  });
})();
