// The hit count of a release page kept by the front cache may be up to a
// minute old: ask for the count as it is now and show it, if it is higher.
// Without this script the page still shows the count it was made with.
"use strict";

document.querySelectorAll("[data-live-hits]").forEach(function (count) {
  fetch(count.dataset.liveHits, { credentials: "omit" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (answer) {
      if (answer && answer.hits > Number(count.textContent)) {
        count.textContent = String(answer.hits);
      }
    })
    .catch(function () {});
});
