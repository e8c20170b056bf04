// The PDF viewer of an attachment's page: Mozilla's PDF.js (vendored under
// static/vendor/pdfjs, no CDN), each page drawn on a canvas as it scrolls into
// view. Scripts inside the PDF never run (PDF.js's scripting is not loaded) and
// no code is evaluated from the file (isEvalSupported off), as the CSP wants.
const viewer = document.querySelector("[data-pdf-viewer]");
const status = viewer.querySelector("[data-pdf-status]");
const pages = viewer.querySelector("[data-pdf-pages]");

function label(page, count) {
  return viewer.dataset.pageLabel.replace("%(page)s", page).replace("%(pages)s", count);
}

async function drawPage(pdf, number, canvas) {
  const page = await pdf.getPage(number);
  const fit = pages.clientWidth / page.getViewport({ scale: 1 }).width;
  const viewport = page.getViewport({ scale: fit * (window.devicePixelRatio || 1) });
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  await page.render({ canvas, viewport }).promise;
  canvas.dataset.drawn = "true";
}

async function show() {
  const pdfjs = await import(viewer.dataset.libraryUrl);
  pdfjs.GlobalWorkerOptions.workerSrc = viewer.dataset.workerUrl;
  const pdf = await pdfjs.getDocument({
    url: viewer.dataset.pdfUrl,
    cMapUrl: viewer.dataset.cmapsUrl,
    cMapPacked: true,
    standardFontDataUrl: viewer.dataset.fontsUrl,
    isEvalSupported: false,
    enableXfa: false,
  }).promise;
  status.textContent = label(1, pdf.numPages);
  const watcher = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        const canvas = entry.target;
        watcher.unobserve(canvas);
        drawPage(pdf, Number(canvas.dataset.page), canvas);
        status.textContent = label(canvas.dataset.page, pdf.numPages);
      }
    }
  }, { rootMargin: "200px" });
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const canvas = document.createElement("canvas");
    canvas.className = "pdf-viewer__page";
    canvas.dataset.page = String(number);
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label(number, pdf.numPages));
    pages.append(canvas);
    watcher.observe(canvas);
  }
}

show().catch(() => {
  status.hidden = true;
  viewer.querySelector("[data-pdf-failed]").hidden = false;
});
