// The photo picker: hands the chosen photo (its address, alt text and caption)
// back to the body editor's image dialog that opened this window, then closes.
(function () {
  "use strict";
  const list = document.querySelector(".photo-picker");
  if (!list) {
    return;
  }
  list.addEventListener("click", function (event) {
    const choice = event.target.closest(".photo-picker__choice");
    if (!choice) {
      return;
    }
    const editor = window.opener && window.opener.CKEDITOR;
    if (!editor || !editor.tools) {
      document.querySelector(".photo-picker__closed").hidden = false;
      return;
    }
    editor.tools.callFunction(Number(list.dataset.callback), choice.dataset.photoUrl, {
      id: choice.dataset.photoId,
      alternative_text: choice.dataset.photoAlt,
      caption: choice.dataset.photoCaption,
    });
    window.close();
  });
})();
