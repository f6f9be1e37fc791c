/* The diagram viewer: pan (drag), zoom (wheel, around the cursor), fit, controls, export links,
   and the details panel of a clicked resource.

   Large diagrams stay responsive: one set of listeners on the canvas (event delegation, never one
   per node); during a gesture the SVG is moved with a CSS transform (composited, no repaint) and the
   viewBox is committed once the gesture rests. Data from Azure is never put into innerHTML here:
   the SVG is parsed as XML and the panel is an HTML fragment the server escaped. */
(function () {
  "use strict";
  var root = document.getElementById("cc-viewer");
  if (!root) return;
  var base = root.dataset.base;
  var form = document.getElementById("cc-controls");
  var canvas = document.getElementById("cc-canvas");
  var stage = document.getElementById("cc-stage");
  var errorBox = document.getElementById("cc-error");
  var loading = document.getElementById("cc-loading");
  var panel = document.getElementById("cc-panel");
  var panelBody = document.getElementById("cc-panel-body");
  var zoomLevel = document.getElementById("cc-zoom-level");
  var countBox = document.getElementById("cc-count");

  var svg = null; // the diagram element
  var box = null; // the drawing's own viewBox {x, y, w, h}
  var shown = null; // the viewBox the SVG is drawn with {x, y, w}
  var view = null; // the viewBox the user asked for {x, y, w}
  var commitTimer = 0;
  var frame = 0;
  var selected = null;
  var request = 0;
  var lastParams = "";
  var DEFAULTS = { groupBy: "infrastructure", projection: "isometric", theme: "light" };

  function size() {
    return { w: Math.max(1, canvas.clientWidth), h: Math.max(1, canvas.clientHeight) };
  }

  function params() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      var text = String(value).trim();
      if (text && DEFAULTS[name] !== text) data.append(name, text);
    });
    return data;
  }

  // ---- the view: viewBox math ----

  function heightOf(v) {
    var s = size();
    return (v.w * s.h) / s.w;
  }

  function fitView() {
    var s = size();
    var scale = Math.min(s.w / box.w, s.h / box.h) * 0.96;
    var w = s.w / scale;
    var h = s.h / scale;
    return { x: box.x + box.w / 2 - w / 2, y: box.y + box.h / 2 - h / 2, w: w };
  }

  function clampWidth(w) {
    var largest = Math.max(box.w, box.h) * 4;
    var smallest = 320; // about 4x: a block stays under ~260 px, cheap to raster
    return Math.min(largest, Math.max(smallest, w));
  }

  function commit() {
    commitTimer = 0;
    if (!svg || !view) return;
    shown = { x: view.x, y: view.y, w: view.w };
    svg.setAttribute("viewBox", [view.x, view.y, view.w, heightOf(view)].map(round).join(" "));
    svg.style.transform = "";
    svg.style.willChange = "";
    root.dataset.view = [view.x, view.y, view.w].map(round).join(" ");
  }

  function round(n) {
    return Math.round(n * 100) / 100;
  }

  function draw() {
    frame = 0;
    if (!svg || !view || !shown) return;
    // The shown drawing, moved and scaled onto the asked view until the next commit.
    var s = size();
    var k = shown.w / view.w;
    var tx = ((shown.x - view.x) * s.w) / view.w;
    var ty = ((shown.y - view.y) * s.w) / view.w;
    svg.style.willChange = "transform";
    svg.style.transform = "translate(" + tx + "px," + ty + "px) scale(" + k + ")";
    var fit = fitView();
    zoomLevel.textContent = Math.round((fit.w / view.w) * 100) + "%";
    clearTimeout(commitTimer);
    commitTimer = setTimeout(commit, 250);
  }

  function setView(next, now) {
    view = next;
    if (now) {
      clearTimeout(commitTimer);
      shown = { x: next.x, y: next.y, w: next.w };
      commit();
      zoomLevel.textContent = Math.round((fitView().w / view.w) * 100) + "%";
      return;
    }
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function zoomAt(px, py, factor) {
    if (!view) return;
    var s = size();
    var w = clampWidth(view.w / factor);
    var ux = view.x + (px * view.w) / s.w;
    var uy = view.y + (py * view.w) / s.w;
    setView({ x: ux - (px * w) / s.w, y: uy - (py * w) / s.w, w: w });
  }

  function fit() {
    if (box) setView(fitView(), true);
  }

  // ---- loading the drawing ----

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
    document.getElementById("cc-filter").setAttribute("aria-invalid", message ? "true" : "false");
  }

  function load(keepView) {
    var query = params();
    var text = query.toString();
    var mine = ++request;
    loading.hidden = false;
    root.classList.add("cc-busy");
    fetch(base + "/diagram.svg?" + text, { credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) return response.text();
        return response.json().then(
          function (body) { throw new Error(body.error || "The diagram could not be drawn."); },
          function () { throw new Error("The diagram could not be drawn (HTTP " + response.status + ")."); }
        );
      })
      .then(function (source) {
        if (mine !== request) return;
        place(source, keepView);
        showError("");
        lastParams = text;
        history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
        updateExports(text);
      })
      .catch(function (error) {
        if (mine === request) showError(error.message);
      })
      .finally(function () {
        if (mine !== request) return;
        loading.hidden = true;
        root.classList.remove("cc-busy");
      });
  }

  function place(source, keepView) {
    var doc = new DOMParser().parseFromString(source, "image/svg+xml");
    var element = doc.documentElement;
    if (!element || element.nodeName !== "svg") throw new Error("The diagram could not be read.");
    var next = document.importNode(element, true);
    var vb = next.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    box = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
    next.setAttribute("width", "100%");
    next.setAttribute("height", "100%");
    next.setAttribute("preserveAspectRatio", "xMinYMin meet");
    next.setAttribute("id", "cc-diagram");
    stage.replaceChildren(next);
    svg = next;
    root.dataset.theme = next.getAttribute("data-theme") || "light";
    var background = next.querySelector("rect.background");
    canvas.style.backgroundColor = background ? background.getAttribute("fill") : "";
    var count = next.querySelectorAll("g.resource").length;
    countBox.textContent = count === 1 ? "1 resource shown" : count + " resources shown";
    if (keepView && view) setView(view, true);
    else fit();
    if (selected) select(selected, false, false);
  }

  function updateExports(text) {
    root.querySelectorAll("a[data-format]").forEach(function (link) {
      link.href = base + "/export." + link.dataset.format + (text ? "?" + text : "");
    });
  }

  // ---- selection and the details panel ----

  function elementFor(key) {
    if (!svg) return null;
    var quoted = CSS.escape(key);
    return (
      svg.querySelector('g.resource[data-key="' + quoted + '"]') ||
      svg.querySelector('g.group[data-key="' + quoted + '"][data-resource-id]')
    );
  }

  function select(key, openPanel, center) {
    var previous = svg && svg.querySelector(".cc-selected");
    if (previous) previous.classList.remove("cc-selected");
    selected = key;
    var element = key ? elementFor(key) : null;
    if (element) {
      element.classList.add("cc-selected");
      if (center) centerOn(element);
    }
    if (!openPanel) return;
    if (!key) {
      panel.hidden = true;
      root.classList.remove("cc-has-panel");
      return;
    }
    panel.hidden = false;
    root.classList.add("cc-has-panel");
    htmx.ajax("GET", base + "/resources?key=" + encodeURIComponent(key), {
      target: "#cc-panel-body",
      swap: "innerHTML",
    });
  }

  function centerOn(element) {
    var b = element.getBBox();
    var h = heightOf(view);
    setView({ x: b.x + b.width / 2 - view.w / 2, y: b.y + b.height / 2 - h / 2, w: view.w }, true);
  }

  // ---- events: one set on the canvas, whatever the diagram's size ----

  var drag = null;

  canvas.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || !view || event.target.closest(".cc-zoom")) return;
    drag = { x: event.clientX, y: event.clientY, start: view, moved: false, id: event.pointerId };
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    var dx = event.clientX - drag.x;
    var dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      canvas.setPointerCapture(event.pointerId);
      canvas.classList.add("cc-dragging");
    }
    var perPixel = drag.start.w / size().w;
    setView({ x: drag.start.x - dx * perPixel, y: drag.start.y - dy * perPixel, w: drag.start.w });
  });

  function endDrag(event) {
    if (!drag || event.pointerId !== drag.id) return;
    var moved = drag.moved;
    drag = null;
    canvas.classList.remove("cc-dragging");
    if (moved) return;
    var target = event.target.closest && event.target.closest("[data-resource-id]");
    if (target && svg && svg.contains(target)) select(target.getAttribute("data-key"), true, false);
  }

  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", function () {
    drag = null;
    canvas.classList.remove("cc-dragging");
  });

  canvas.addEventListener(
    "wheel",
    function (event) {
      if (!view) return;
      event.preventDefault();
      var rect = canvas.getBoundingClientRect();
      var delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      var factor = Math.exp(-Math.max(-300, Math.min(300, delta)) * 0.0018);
      zoomAt(event.clientX - rect.left, event.clientY - rect.top, factor);
    },
    { passive: false }
  );

  canvas.addEventListener("keydown", function (event) {
    var s = size();
    var keys = { "+": 1.25, "=": 1.25, "-": 0.8 };
    if (keys[event.key]) zoomAt(s.w / 2, s.h / 2, keys[event.key]);
    else if (event.key === "0") fit();
    else if (event.key === "Escape") select(null, true, false);
    else return;
    event.preventDefault();
  });

  root.querySelector(".cc-zoom").addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !view) return;
    var s = size();
    if (button.hasAttribute("data-fit")) fit();
    else zoomAt(s.w / 2, s.h / 2, button.dataset.zoom === "in" ? 1.4 : 1 / 1.4);
  });

  panel.addEventListener("click", function (event) {
    var link = event.target.closest("[data-select]");
    if (link) select(link.dataset.select, true, true);
  });
  document.getElementById("cc-close").addEventListener("click", function () {
    select(null, true, false);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(true);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "filter") return; // applied on Enter or Apply
    load(event.target.name === "theme");
  });
  document.getElementById("cc-filter").addEventListener("search", function (event) {
    if (!event.target.value && lastParams.indexOf("filter=") !== -1) load(true);
  });

  // Close the export menu after a choice, or on a click elsewhere.
  var exportMenu = document.getElementById("cc-export");
  document.addEventListener("click", function (event) {
    if (exportMenu.open && (!exportMenu.contains(event.target) || event.target.closest("a"))) {
      setTimeout(function () { exportMenu.open = false; }, 0);
    }
  });

  function fitHeight() {
    var top = root.getBoundingClientRect().top + window.scrollY;
    root.style.height = Math.max(420, window.innerHeight - top) + "px";
  }
  fitHeight();
  window.addEventListener("resize", fitHeight);

  var resizeTimer = 0;
  new ResizeObserver(function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (view) setView(view, true);
    }, 60);
  }).observe(canvas);

  load(false);
})();
