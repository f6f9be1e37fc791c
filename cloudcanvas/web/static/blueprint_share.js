// The public viewer of a share link: the blueprint's SVG export, already in the page, with the
// pan and zoom of the blueprint page (panzoom.js). The keys work on the whole page (it has no
// text field), and inside a frame once the frame has the focus.
(function () {
  "use strict";
  var drawing = document.getElementById("bp-drawing");
  var svg = drawing && drawing.querySelector("svg");
  if (!svg || !window.CloudcanvasPanZoom) return;
  var view = window.CloudcanvasPanZoom.attach(drawing);
  view.show(svg);
  view.bindPointer().bindWheel().bindKeys(document).bindButtons({
    fit: document.getElementById("bp-fit"),
    zoomIn: document.getElementById("bp-zoom-in"),
    zoomOut: document.getElementById("bp-zoom-out")
  });
})();
