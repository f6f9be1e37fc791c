/* The PDF page in the viewer's export menu (and the drawing's level for SVG, PNG and PDF): paper
   size and orientation, carried on the PDF link as
   paperSize and landscape. The controls have no form name, so the diagram's own query (and its
   redraw on a change) never sees them; the link is brought up to date when they change and again
   when it is followed, since the viewer rewrites export links after every redraw. */
(function () {
  "use strict";
  var paper = document.getElementById("cc-pdf-paper");
  var orientation = document.getElementById("cc-pdf-orientation");
  var link = document.querySelector("a[data-format=pdf]");
  if (!paper || !orientation || !link) return;

  function apply() {
    var url = new URL(link.href, document.baseURI);
    url.searchParams.delete("paperSize");
    url.searchParams.delete("landscape");
    if (paper.value !== "Letter") url.searchParams.set("paperSize", paper.value);
    if (orientation.value !== "auto") url.searchParams.set("landscape", orientation.value);
    link.href = url.pathname + url.search;
  }

  [paper, orientation].forEach(function (control) {
    control.addEventListener("change", function (event) {
      event.stopPropagation(); // not a diagram option: no redraw
      apply();
    });
  });
  link.addEventListener("click", apply);
  apply();

  // The drawing's level (level=overview: a summary tile per group), on the SVG, PNG and PDF links.
  var level = document.getElementById("cc-export-level");
  var drawn = document.querySelectorAll("a[data-format=svg], a[data-format=png], a[data-format=pdf]");
  function applyLevel(target) {
    var url = new URL(target.href, document.baseURI);
    url.searchParams.delete("level");
    if (level.value !== "detail") url.searchParams.set("level", level.value);
    target.href = url.pathname + url.search;
  }
  if (level) {
    level.addEventListener("change", function (event) {
      event.stopPropagation(); // not a diagram option: no redraw
      drawn.forEach(applyLevel);
    });
    drawn.forEach(function (target) {
      target.addEventListener("click", function () { applyLevel(target); });
    });
  }
})();
