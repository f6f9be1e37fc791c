// Pan and zoom of a server-drawn SVG by its viewBox, shared by the blueprint page
// (blueprint_editor.js) and the public viewer of a share link (blueprint_share.js).
//
// Changing the viewBox makes the browser draw the vector again at the new scale, so the drawing
// stays sharp at every zoom (a CSS transform would scale a bitmap). The SVG fills its container
// and keeps the default preserveAspectRatio ("xMidYMid meet"), so the drawing's own viewBox (its
// "home") is fitted to the window on load and stays fitted while the window is resized.
//
// CloudcanvasPanZoom.attach(container) returns a view of what the container shows:
//   show(svg)           takes a (re)drawn SVG: its viewBox becomes home; the view the user chose
//                       is kept across redraws, the first drawing starts fitted
//   fit(), zoom(factor[, clientX, clientY]), panBy(dx, dy) (screen pixels), current()
//   toDrawing(clientX, clientY) -> [x, y] in drawing units
//   pointerDown/pointerMove/pointerUp(event): drag to pan, two fingers pinch to zoom;
//                       panning() says whether a pointer is panning now
//   key(event) -> true when it was a view key (+ = - zoom, 0 fits, arrows pan)
//   bindPointer(), bindWheel(), bindButtons({fit, zoomIn, zoomOut}), bindKeys(target, skip)
(function () {
  "use strict";
  var MIN_WIDTH = 50, MAX_WIDTH = 2e6; // drawing units across: about a block, a continent
  var ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
  var KEY_ZOOM = {"+": 1.25, "=": 1.25, "-": 0.8, "_": 0.8};

  function attach(container) {
    var svg = null, home = null, view = null;
    var pointers = {}; // pointerId -> its last {x, y} on screen, while pressed

    function apply() {
      if (svg && view) svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }

    function show(drawing) {
      var box = drawing.viewBox.baseVal;
      svg = drawing;
      home = {x: box.x, y: box.y, w: box.width, h: box.height};
      if (!view) view = Object.assign({}, home);
      // The container sizes the drawing; its own width and height are those of the export.
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      apply();
    }

    function fit() {
      if (!svg || !home) return;
      view = Object.assign({}, home);
      apply();
    }

    function toDrawing(clientX, clientY) {
      var point = svg.createSVGPoint();
      point.x = clientX; point.y = clientY;
      var p = point.matrixTransform(svg.getScreenCTM().inverse());
      return [p.x, p.y];
    }

    // Zoom by factor (> 1 in) keeping the point under (clientX, clientY) still; the centre of
    // the container when no point is given.
    function zoom(factor, clientX, clientY) {
      if (!svg || !view) return;
      var rect = container.getBoundingClientRect();
      var at = toDrawing(clientX === undefined ? rect.left + rect.width / 2 : clientX,
                         clientY === undefined ? rect.top + rect.height / 2 : clientY);
      var v = view;
      var w = Math.min(Math.max(v.w / factor, MIN_WIDTH), MAX_WIDTH), h = v.h * (w / v.w);
      view = {x: at[0] - (at[0] - v.x) * (w / v.w), y: at[1] - (at[1] - v.y) * (h / v.h), w: w, h: h};
      apply();
    }

    // Move the drawing by (dx, dy) screen pixels, as a drag does.
    function panBy(dx, dy) {
      if (!svg || !view) return;
      var ctm = svg.getScreenCTM();
      view = {x: view.x - dx / ctm.a, y: view.y - dy / ctm.d, w: view.w, h: view.h};
      apply();
    }

    function pointerDown(event) {
      if (!svg) return;
      pointers[event.pointerId] = {x: event.clientX, y: event.clientY};
      container.setPointerCapture(event.pointerId);
      container.classList.add("panning");
    }

    // One pointer pans; with two, the pair's midpoint pans and their distance zooms.
    function pointerMove(event) {
      var last = pointers[event.pointerId];
      if (!last) return false;
      var now = {x: event.clientX, y: event.clientY};
      var others = Object.keys(pointers).filter(function (id) { return id !== String(event.pointerId); });
      if (others.length === 0) {
        panBy(now.x - last.x, now.y - last.y);
      } else {
        var other = pointers[others[0]];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(now.x - other.x, now.y - other.y);
        panBy((now.x - last.x) / 2, (now.y - last.y) / 2);
        if (before > 0 && after > 0) zoom(after / before, (now.x + other.x) / 2, (now.y + other.y) / 2);
      }
      pointers[event.pointerId] = now;
      return true;
    }

    function pointerUp(event) {
      delete pointers[event.pointerId];
      if (Object.keys(pointers).length === 0) container.classList.remove("panning");
    }

    function key(event) {
      if (!svg || event.altKey || event.ctrlKey || event.metaKey) return false;
      var arrow = ARROWS[event.key];
      var rect = container.getBoundingClientRect();
      if (arrow) { // an eighth of the window, half with Shift (as the account diagram does)
        var step = event.shiftKey ? 0.5 : 0.125;
        panBy(-arrow[0] * rect.width * step, -arrow[1] * rect.height * step);
      } else if (KEY_ZOOM[event.key]) {
        zoom(KEY_ZOOM[event.key]);
      } else if (event.key === "0") {
        fit();
      } else {
        return false;
      }
      event.preventDefault();
      return true;
    }

    var self = {
      show: show, fit: fit, zoom: zoom, panBy: panBy, toDrawing: toDrawing,
      current: function () { return view && Object.assign({}, view); },
      panning: function () { return Object.keys(pointers).length > 0; },
      pointerDown: pointerDown, pointerMove: pointerMove, pointerUp: pointerUp, key: key
    };

    self.bindPointer = function () {
      container.addEventListener("pointerdown", function (event) {
        if (event.pointerType === "mouse" && event.button !== 0) return;
        pointerDown(event);
        event.preventDefault();
      });
      container.addEventListener("pointermove", pointerMove);
      container.addEventListener("pointerup", pointerUp);
      container.addEventListener("pointercancel", pointerUp);
      return self;
    };

    self.bindWheel = function () {
      container.addEventListener("wheel", function (event) {
        event.preventDefault();
        zoom(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX, event.clientY);
      }, {passive: false});
      return self;
    };

    self.bindButtons = function (buttons) {
      buttons.fit.addEventListener("click", fit);
      buttons.zoomIn.addEventListener("click", function () { zoom(1.25); });
      buttons.zoomOut.addEventListener("click", function () { zoom(1 / 1.25); });
      return self;
    };

    // Keys pressed in a text field, or that skip(event) claims for something else, are left alone.
    self.bindKeys = function (target, skip) {
      target.addEventListener("keydown", function (event) {
        var tag = event.target && event.target.tagName;
        if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
        if (skip && skip(event)) return;
        key(event);
      });
      return self;
    };

    return self;
  }

  window.CloudcanvasPanZoom = {attach: attach};
})();
