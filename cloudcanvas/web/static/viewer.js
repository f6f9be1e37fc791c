/* The diagram viewer: pan (drag), zoom (wheel, around the cursor), fit, controls, export links,
   and the details panel of a clicked resource.

   Large diagrams (10,000 resources, 13,000 elements) stay responsive:
   - The SVG is laid out once. It sits in #cc-stage, an HTML wrapper with `will-change: transform`:
     a composited layer the compositor moves and scales without repainting the SVG. A gesture only
     writes the stage's CSS transform, once per animation frame (input events are batched).
   - The SVG's own mapping from drawing units to stage pixels never changes: when the view rests
     (COMMIT_MS after the last input) its viewBox, position and size are set to the view, with
     `overflow: visible`, so the net transform stays the same and nothing is laid out or painted
     again. Only when the scale changed is the stage re-rastered at the new scale (will-change is
     dropped for one frame), and also during a zoom out that leaves the raster too fine, which would
     otherwise make the compositor raster a huge area at the old, larger scale.
   - Level of detail, on #cc-viewer[data-lod], also switched at rest: "overview" below
     GROUP_LABEL_SCALE screen pixels per drawing unit hides every text (a block is a few pixels
     wide, text would be under 4 px); "groups" below LABEL_SCALE shows the group labels; "detail"
     shows resource names too.
   - Resource names never enter the diagram's SVG: 13,000 texts (drawn twice, halo and ink) cost
     seconds of layout whenever they appear or the view commits. They are read out of the SVG
     before it is placed, and at the "detail" level a second, small SVG in the stage (#cc-names)
     holds only the names around the view (the view and half of it on each side), rebuilt at
     rest when the view leaves that area.
   - Nothing else changes during a gesture (the zoom label is updated at rest): any repaint makes
     the browser re-layerize every paint chunk of the SVG.
   - One set of listeners on the canvas (event delegation, never one per node); the details panel
     fetches the one resource clicked.
   Data from Azure is never put into innerHTML here: the SVG is parsed as XML and the panel is an
   HTML fragment the server escaped. */
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
  var noMatch = document.getElementById("cc-no-match");
  var shield = document.getElementById("cc-shield");

  var SVG_NS = "http://www.w3.org/2000/svg";
  var svg = null; // the diagram element
  var names = null; // the names layer: {svg, group, xs, ys, texts, area}
  var box = null; // the drawing's own viewBox {x, y, w, h}
  var view = null; // the view asked for: drawing point {x, y} at the canvas' top left, scale k (px/unit)
  var rasterK = 0; // the scale the stage layer was last rastered at
  var canvasSize = null; // cached: reading it forces layout
  var commitTimer = 0;
  var frame = 0;
  var rerasterAt = 0;
  var selected = null;
  var request = 0;
  var lastParams = "";
  var DEFAULTS = { groupBy: "infrastructure", projection: "isometric", theme: "light" };
  var COMMIT_MS = 200;
  var LABEL_SCALE = 0.5; // resource names are 9 units high: 4.5 px
  var GROUP_LABEL_SCALE = 0.2; // a block is 64 units wide: 13 px
  var MAX_WIDTH = 320; // the narrowest view, in drawing units (about 4x for a 1280 px canvas)
  var NAME_REACH = 70; // a name's half width, in drawing units (22 characters at 9 units)
  // Semantic zoom (viewer_tiles in this file): each group's own resources have a summary tile,
  // drawn over them until the view is close enough to read them ("detail"); a tile's text shows
  // once it is TILE_TEXT_PX high on screen. From TILE_FROM resources the drawing comes without
  // resources (level=overview) and the resources of the groups around the view are fetched as the
  // view rests at the detail level, and dropped again when it leaves them or zooms out.
  var TILE_FROM = 20000;
  var TILE_TEXT_PX = 6;
  var PART_MARGIN = 0.25; // the view and a quarter of it on each side
  var PART_BATCH = 150; // groups per request
  var tiled = Number(root.dataset.resources || 0) >= TILE_FROM;
  var tileList = []; // the drawing's tiles: {id, x, y, w, h, element}
  var tileText = null; // the tiles' text layer: {svg, group, area, k}
  var groupLabels = null; // the group labels' layer: {svg, group, items, area, ink}
  var LABEL_MARGIN = 0.5; // group labels are drawn for the view and half a view around it
  var tileState = null; // tiled drawings: {loaded: Map id -> part, pending: Set, svg, ...}

  function size() {
    if (!canvasSize) {
      canvasSize = { w: Math.max(1, canvas.clientWidth), h: Math.max(1, canvas.clientHeight) };
    }
    return canvasSize;
  }

  function params() {
    var data = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      // The filter keeps its leading blanks: an error's position counts from what was typed.
      var text = name === "filter" ? String(value).replace(/\s+$/, "") : String(value).trim();
      if (text.trim() && DEFAULTS[name] !== text) data.append(name, text);
    });
    return data;
  }

  // ---- the view ----

  function fitView() {
    var s = size();
    var k = Math.min(s.w / box.w, s.h / box.h) * 0.96;
    return { x: box.x + box.w / 2 - s.w / k / 2, y: box.y + box.h / 2 - s.h / k / 2, k: k };
  }

  function clampScale(k) {
    var s = size();
    var smallest = s.w / (Math.max(box.w, box.h) * 4);
    return Math.min(s.w / MAX_WIDTH, Math.max(smallest, k));
  }

  function round(n) {
    return Math.round(n * 100) / 100;
  }

  function lodFor(k) {
    if (k < GROUP_LABEL_SCALE) return "overview";
    return k < LABEL_SCALE ? "groups" : "detail";
  }

  function stageTransform() {
    // Stage pixels are drawing units offset by the drawing's origin: move and scale them.
    var tx = (box.x - view.x) * view.k;
    var ty = (box.y - view.y) * view.k;
    return "translate(" + round(tx) + "px," + round(ty) + "px) scale(" + view.k + ")";
  }

  function draw() {
    frame = 0;
    if (!svg || !view) return;
    // During a gesture a transparent shield covers the SVG: the pointer's hover tests and cursor
    // never walk its 13,000 elements.
    if (shield.hidden) {
      shield.hidden = false;
      if (drag) shield.classList.add("cc-drag");
    }
    stage.style.transform = stageTransform();
    // Zooming out far below the raster scale would raster a huge area at that scale: re-raster.
    var now = performance.now();
    if (view.k < rasterK / 2.5 && now - rerasterAt > 300) reraster();
    clearTimeout(commitTimer);
    commitTimer = setTimeout(commit, COMMIT_MS);
  }


  function reraster() {
    rerasterAt = performance.now();
    rasterK = view.k;
    stage.style.willChange = "auto";
    requestAnimationFrame(function () {
      stage.style.willChange = "";
    });
  }

  function commit() {
    commitTimer = 0;
    if (!svg || !view) return;
    var s = size();
    var w = s.w / view.k;
    var h = s.h / view.k;
    // The viewBox is the view, and the SVG's box is placed and sized to match it in stage
    // pixels: the drawing's net transform does not change, so nothing is laid out again.
    svg.setAttribute("viewBox", [view.x, view.y, w, h].map(round).join(" "));
    // (`translate`, not left/top: moving a transformed box repaints none of its content.)
    svg.style.translate = round(view.x - box.x) + "px " + round(view.y - box.y) + "px";
    svg.setAttribute("width", String(round(w)));
    svg.setAttribute("height", String(round(h)));
    shield.hidden = true;
    shield.classList.remove("cc-drag");
    var percent = zoomPercent(view.k);
    if (zoomLevel.textContent !== percent) zoomLevel.textContent = percent;
    root.dataset.view = [view.x, view.y, w].map(round).join(" ");
    var lod = lodFor(view.k);
    var sharpen = Math.abs(view.k / rasterK - 1) > 0.05;
    showTileText(lod);
    updateParts(lod);
    showGroupLabels(lod);
    showNames(lod === "detail");
    if (root.dataset.lod !== lod) {
      root.dataset.lod = lod;
      // Showing or hiding the labels is one frame's work, re-rastering the next two.
      if (sharpen) requestAnimationFrame(function () { requestAnimationFrame(reraster); });
    } else if (sharpen) {
      reraster();
    }
  }

  // ---- resource names: only those around the view ----

  function takeNames(element) {
    // The names group (<defs><g id="labels">) and its two <use> (halo, ink) leave the drawing.
    var list = element.querySelector("g#labels");
    var ink = element.querySelector("use.labels");
    var halo = element.querySelector("use.label-halo");
    var layer = {
      svg: document.createElementNS(SVG_NS, "svg"),
      group: document.createElementNS(SVG_NS, "g"),
      xs: [],
      ys: [],
      texts: [],
      area: null,
    };
    if (list) {
      for (var t = list.firstElementChild; t; t = t.nextElementSibling) {
        layer.xs.push(Number(t.getAttribute("x")));
        layer.ys.push(Number(t.getAttribute("y")));
        layer.texts.push(t.textContent);
      }
      list.remove();
    }
    // One text per name: its stroke, painted first, is the halo.
    var look = {
      "font-size": "9",
      "text-anchor": "middle",
      fill: ink ? ink.getAttribute("fill") : "#000",
      stroke: halo ? halo.getAttribute("fill") : "#fff",
      "stroke-width": "2.5",
      "stroke-linejoin": "round",
      "stroke-opacity": "0.85",
      "paint-order": "stroke",
    };
    Object.keys(look).forEach(function (name) {
      layer.group.setAttribute(name, look[name]);
    });
    if (ink) ink.remove();
    if (halo) halo.remove();
    layer.svg.setAttribute("id", "cc-names");
    layer.svg.setAttribute("class", "cc-names");
    layer.svg.setAttribute("font-family", element.getAttribute("font-family") || "sans-serif");
    layer.svg.appendChild(layer.group);
    return layer;
  }

  function within(inner, outer) {
    return (
      outer !== null &&
      inner.x >= outer.x &&
      inner.y >= outer.y &&
      inner.x + inner.w <= outer.x + outer.w &&
      inner.y + inner.h <= outer.y + outer.h
    );
  }

  function showNames(shown) {
    if (!shown) {
      if (names.area) {
        names.area = null;
        names.group.replaceChildren();
      }
      return;
    }
    var s = size();
    var w = s.w / view.k;
    var h = s.h / view.k;
    if (within({ x: view.x, y: view.y, w: w, h: h }, names.area)) return;
    var area = { x: view.x - w / 2, y: view.y - h / 2, w: w * 2, h: h * 2 };
    var x0 = area.x - NAME_REACH;
    var x1 = area.x + area.w + NAME_REACH;
    var y0 = area.y - 10;
    var y1 = area.y + area.h + 10;
    var found = document.createDocumentFragment();
    var lists = [names];
    if (tileState) tileState.loaded.forEach(function (part) { lists.push(part.names); });
    lists.forEach(function (list) {
      for (var i = 0; i < list.xs.length; i++) {
        var x = list.xs[i];
        var y = list.ys[i];
        if (x < x0 || x > x1 || y < y0 || y > y1) continue;
        var text = document.createElementNS(SVG_NS, "text");
        text.setAttribute("x", String(x));
        text.setAttribute("y", String(y));
        text.textContent = list.texts[i];
        found.appendChild(text);
      }
    });
    names.area = area;
    names.group.replaceChildren(found);
    // Placed like the diagram at commit: its own box in stage pixels, the same net transform.
    placeLayer(names.svg, area);
  }

  // ---- group labels: only those around the view ----

  // A large drawing's group labels (7,850 at 100,000 resources) were laid out again at every
  // commit of the view once text shows (100-200 ms a frame); they leave the drawing for a layer
  // of their own that holds those around the view, rebuilt when the view leaves that area.
  // Far out (overview and groups levels) the top-level groups' names (subscriptions, regions) are
  // drawn TOP_LABEL_PX high on screen, as a map names its countries, where their own labels would
  // be a few pixels high or hidden: a tenant fitted to the screen says which plate is which.
  var TOP_LABEL_PX = 13;

  function takeGroupLabels(element) {
    var background = element.querySelector("rect.background");
    var layer = {
      svg: makeLayer("cc-group-labels", element.getAttribute("font-family") || "sans-serif"),
      group: document.createElementNS(SVG_NS, "g"),
      items: [],
      area: null,
      ink: null,
      halo: background ? background.getAttribute("fill") : "#ffffff",
    };
    layer.svg.setAttribute("class", "cc-group-labels");
    layer.svg.appendChild(layer.group);
    element.querySelectorAll("g.groups > g.group > text").forEach(function (text) {
      var item = labelItem(text);
      if (!layer.ink) layer.ink = text.getAttribute("fill");
      text.setAttribute("data-group", text.parentNode.id);
      text.setAttribute("data-kind", text.parentNode.getAttribute("data-kind") || "");
      text.remove();
      layer.items.push(item);
    });
    return layer;
  }

  // Where a label lies (a box around it in drawing units), and what a top-level one needs.
  function labelItem(text) {
    var group = text.parentNode;
    var size = Number(text.getAttribute("font-size")) || 14;
    var width = text.textContent.length * size * 0.65;
    var iso = /matrix\(([^)]*)\)/.exec(text.getAttribute("transform") || "");
    var title = group.querySelector("title");
    var plate = text.previousElementSibling;
    var corners = plate ? plate.getAttribute("points").trim().split(/\s+/) : [];
    var item = {
      element: text,
      depth: Number(group.getAttribute("data-depth") || 0),
      label: (title || text).textContent,
      size: size,
      // The plate's top edge, along which the label runs (in both projections: its x extent).
      reach: corners.length > 1 ? Math.abs(Number(corners[1].split(",")[0]) - Number(corners[0].split(",")[0])) : width,
      transform: iso ? text.getAttribute("transform") : null,
    };
    if (iso) {
      // matrix(1 0.5 -1 0.5 e f): the text runs down and right from (e, f).
      var m = iso[1].split(/[\s,]+/).map(Number);
      item.x = m[4]; item.y = m[5];
      item.x0 = m[4] - size; item.x1 = m[4] + width + size;
      item.y0 = m[5] - size; item.y1 = m[5] + width / 2 + size;
    } else {
      item.x = Number(text.getAttribute("x")); item.y = Number(text.getAttribute("y"));
      item.x0 = item.x; item.x1 = item.x + width; item.y0 = item.y - size; item.y1 = item.y + size / 2;
    }
    return item;
  }

  function clipMiddle(text, limit) {
    if (text.length <= limit) return text;
    var head = Math.floor(limit / 2);
    var tail = limit - 1 - head;
    return text.slice(0, head) + "\u2026" + (tail ? text.slice(-tail) : "");
  }

  // A top-level group's name, TOP_LABEL_PX high, hanging into its plate from the top edge; none
  // when fewer than four characters would fit along the plate.
  function topLabel(item) {
    var size = Math.max(item.size, TOP_LABEL_PX / view.k);
    var chars = Math.floor((item.reach - 0.6 * size) / (0.62 * size));
    if (chars < 4) return null;
    var text = document.createElementNS(SVG_NS, "text");
    var drop = round(size * 0.9 - item.size * 0.8);
    text.setAttribute("class", "cc-top");
    text.setAttribute("font-size", String(round(size)));
    text.setAttribute("font-weight", "bold");
    text.setAttribute("stroke", groupLabels.halo);
    text.setAttribute("stroke-width", String(round(size * 0.2)));
    text.setAttribute("data-group", item.element.getAttribute("data-group"));
    text.setAttribute("data-kind", item.element.getAttribute("data-kind"));
    if (item.transform) {
      text.setAttribute("transform", item.transform);
      text.setAttribute("y", String(drop));
    } else {
      text.setAttribute("x", String(item.x));
      text.setAttribute("y", String(round(item.y + drop)));
    }
    text.textContent = clipMiddle(item.label, chars);
    return text;
  }

  function showGroupLabels(lod) {
    var labels = groupLabels;
    if (!labels || !labels.items.length) return;
    var far = lod !== "detail";
    var same = labels.lod === lod && (!far || labels.k === view.k);
    if (same && within(viewArea(0), labels.area)) return;
    var area = viewArea(LABEL_MARGIN);
    var x1 = area.x + area.w;
    var y1 = area.y + area.h;
    var found = document.createDocumentFragment();
    labels.items.forEach(function (item) {
      if (far && item.depth === 1) {
        // The plate's whole top edge may be in view while the label's anchor is not.
        if (item.x + item.reach < area.x || item.x - item.reach > x1 || item.y + item.reach < area.y || item.y - item.reach > y1) return;
        var top = topLabel(item);
        if (top) found.appendChild(top);
        return;
      }
      if (lod === "overview") return;
      if (item.x1 < area.x || item.x0 > x1 || item.y1 < area.y || item.y0 > y1) return;
      found.appendChild(item.element);
    });
    labels.area = area;
    labels.lod = lod;
    labels.k = view.k;
    labels.group.replaceChildren(found);
    placeLayer(labels.svg, area);
  }

  function setView(next, now) {
    view = { x: next.x, y: next.y, k: clampScale(next.k) };
    if (now) {
      if (frame) cancelAnimationFrame(frame);
      draw();
      clearTimeout(commitTimer);
      commit();
      return;
    }
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function zoomAt(px, py, factor) {
    if (!view) return;
    var k = clampScale(view.k * factor);
    var ux = view.x + px / view.k;
    var uy = view.y + py / view.k;
    setView({ x: ux - px / k, y: uy - py / k, k: k });
  }

  function fit() {
    if (!box) return;
    zoomBase = fitView().k;
    setView(fitView(), true);
  }

  // The zoom label counts from the scale that fitted the drawing when it was loaded (or last
  // fitted), not from what fits now: opening the details panel narrows the canvas without
  // changing the view, so the label must not change either.
  var zoomBase = 0;
  function zoomPercent(k) {
    if (!zoomBase) zoomBase = fitView().k;
    return Math.round((k / zoomBase) * 100) + "%";
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
    var drawing = (text ? text + "&" : "") + (tiled ? "tiles=1&level=overview" : "tiles=1");
    fetch(base + "/diagram.svg?" + drawing, { credentials: "same-origin" })
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
        // Other layers (the legend) follow the view drawn: its query, without the defaults.
        root.dispatchEvent(new CustomEvent("cc-view", { detail: { query: text } }));
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
    var layer = takeNames(element); // before the drawing enters the page
    var labels = takeGroupLabels(element);
    var next = document.adoptNode(element);
    var vb = next.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    box = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
    if (!keepView || !zoomBase) zoomBase = fitView().k;
    next.setAttribute("preserveAspectRatio", "xMinYMin meet");
    next.setAttribute("id", "cc-diagram");
    var start = keepView && view ? { x: view.x, y: view.y, k: clampScale(view.k) } : fitView();
    // The level of detail is chosen before the drawing enters the page: an overview never lays
    // out its group labels.
    root.dataset.lod = lodFor(start.k);
    rasterK = start.k;
    stage.replaceChildren(next, labels.svg, layer.svg);
    svg = next;
    names = layer;
    groupLabels = labels;
    root.dataset.theme = next.getAttribute("data-theme") || "light";
    var background = next.querySelector("rect.background");
    canvas.style.backgroundColor = background ? background.getAttribute("fill") : "";
    showCount(next);
    indexTiles(next);
    setView(start, true);
    if (selected) select(selected, false, false);
  }

  // The footer counts what the region picker counts: resources, whether drawn as a block or as a
  // container (a VNet with a resource id is one resource drawn around others).
  function showCount(drawing) {
    var level = drawing.getAttribute("data-level") === "overview";
    var blocks = level ? Number(drawing.getAttribute("data-blocks")) : drawing.querySelectorAll("g.resource").length;
    var containers = level
      ? Number(drawing.getAttribute("data-containers"))
      : drawing.querySelectorAll("g.group[data-resource-id]").length;
    var total = blocks + containers;
    var text = total === 1 ? "1 resource shown" : total + " resources shown";
    if (containers) {
      text += " (" + blocks + " as blocks, " + containers + (containers === 1 ? " as a container)" : " as containers)");
    }
    countBox.textContent = text;
    noMatch.hidden = total > 0;
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
      svg.querySelector('g.group[data-key="' + quoted + '"][data-resource-id]') ||
      (tileState && tileState.svg.querySelector('g.resource[data-key="' + quoted + '"]'))
    );
  }

  function select(key, openPanel, center) {
    var previous = svg && stage.querySelector(".cc-selected");
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
    var also = params().getAll("with").map(function (id) { return "&with=" + encodeURIComponent(id); });
    htmx.ajax("GET", base + "/resources?key=" + encodeURIComponent(key) + also.join(""), {
      target: "#cc-panel-body",
      swap: "innerHTML",
    });
  }

  function centerOn(element) {
    var b = element.getBBox();
    var s = size();
    var k = Math.max(view.k, LABEL_SCALE); // close enough to read its name
    setView({ x: b.x + b.width / 2 - s.w / k / 2, y: b.y + b.height / 2 - s.h / k / 2, k: k }, true);
  }

  // ---- semantic zoom: summary tiles, and the resources of the groups in view ----

  // A layer of the stage placed like the diagram at commit: its own box, the same net transform.
  function placeLayer(layer, area) {
    layer.setAttribute("viewBox", [area.x, area.y, area.w, area.h].map(round).join(" "));
    layer.style.translate = round(area.x - box.x) + "px " + round(area.y - box.y) + "px";
    layer.setAttribute("width", String(round(area.w)));
    layer.setAttribute("height", String(round(area.h)));
  }

  function makeLayer(id, fontFamily) {
    var layer = document.createElementNS(SVG_NS, "svg");
    layer.setAttribute("id", id);
    if (fontFamily) layer.setAttribute("font-family", fontFamily);
    return layer;
  }

  function indexTiles(drawing) {
    if (tileState) tileState.generation = -1; // answers still on their way are dropped
    tileList = [];
    drawing.querySelectorAll(".tile").forEach(function (tile) {
      var b = (tile.getAttribute("data-box") || "0 0 0 0").split(" ").map(Number);
      tileList.push({ id: tile.getAttribute("data-group"), x: b[0], y: b[1], w: b[2], h: b[3], element: tile });
    });
    var font = drawing.getAttribute("font-family") || "sans-serif";
    tileText = { svg: makeLayer("cc-tile-text", font), group: document.createElementNS(SVG_NS, "g"), area: null, k: 0 };
    tileText.svg.setAttribute("class", "cc-tile-text");
    if (drawing.getAttribute("data-projection") !== "2d") {
      tileText.group.setAttribute("transform", "matrix(1 0.5 -1 0.5 0 0)");
    }
    tileText.group.setAttribute("fill", (groupLabels && groupLabels.ink) || "#1f2a37");
    tileText.svg.appendChild(tileText.group);
    stage.appendChild(tileText.svg);
    if (!tiled || drawing.getAttribute("data-level") !== "overview") {
      tileState = null;
      return;
    }
    var layer = makeLayer("cc-parts", font);
    layer.setAttribute("class", "cc-parts");
    var edges = document.createElementNS(SVG_NS, "g");
    edges.setAttribute("class", "edges");
    var resources = document.createElementNS(SVG_NS, "g");
    resources.setAttribute("class", "resources");
    layer.append(edges, resources);
    stage.insertBefore(layer, stage.children[1] || null); // above the drawing, under the names
    ["fill", "stroke", "stroke-width", "stroke-linejoin", "opacity"].forEach(function (name) {
      edges.setAttribute(name, { fill: "none", stroke: "#56657a", "stroke-width": "1.6", "stroke-linejoin": "round", opacity: "0.85" }[name]);
    });
    tileState = {
      loaded: new Map(),
      pending: new Set(),
      svg: layer,
      edges: edges,
      resources: resources,
      symbols: new Set(),
      generation: request,
    };
  }

  function viewArea(margin) {
    var s = size();
    var w = s.w / view.k;
    var h = s.h / view.k;
    return { x: view.x - w * margin, y: view.y - h * margin, w: w * (1 + 2 * margin), h: h * (1 + 2 * margin) };
  }

  function tilesIn(area) {
    return tileList.filter(function (t) {
      return t.x < area.x + area.w && t.x + t.w > area.x && t.y < area.y + area.h && t.y + t.h > area.y;
    });
  }

  // The text of the tiles in view that are large enough to read (TILE_TEXT_PX), drawn at rest.
  function showTileText(lod) {
    if (!tileText) return;
    if (lod === "detail" || !tileList.length) {
      if (tileText.area) {
        tileText.area = null;
        tileText.group.replaceChildren();
      }
      return;
    }
    if (tileText.area && tileText.k === view.k && within(viewArea(0), tileText.area)) return;
    var area = viewArea(0.5);
    var found = document.createDocumentFragment();
    tilesIn(area).forEach(function (t) {
      var at = (t.element.getAttribute("data-text") || "").split(" ").map(Number);
      if (at.length < 3 || at[2] * view.k < TILE_TEXT_PX) return;
      var lines = (t.element.getAttribute("data-lines") || "").split("\n");
      var text = document.createElementNS(SVG_NS, "text");
      text.setAttribute("font-size", String(at[2]));
      lines.forEach(function (line, index) {
        var span = document.createElementNS(SVG_NS, "tspan");
        span.setAttribute("x", String(at[0]));
        span.setAttribute("y", String(round(at[1] + at[2] * 1.3 * index)));
        if (index === 0) span.setAttribute("font-weight", "bold");
        span.textContent = line;
        text.appendChild(span);
      });
      found.appendChild(text);
    });
    tileText.area = area;
    tileText.k = view.k;
    tileText.group.replaceChildren(found);
    placeLayer(tileText.svg, area);
  }

  function updateParts(lod) {
    if (!tileState) return;
    var wanted = new Set();
    if (lod === "detail") tilesIn(viewArea(PART_MARGIN)).forEach(function (t) { wanted.add(t.id); });
    var dropped = false;
    tileState.loaded.forEach(function (part, id) {
      if (wanted.has(id)) return;
      part.elements.forEach(function (element) { element.remove(); });
      tileState.loaded.delete(id);
      dropped = true;
    });
    if (dropped && names) names.area = null;
    var missing = [];
    wanted.forEach(function (id) {
      if (!tileState.loaded.has(id) && !tileState.pending.has(id)) missing.push(id);
    });
    for (var i = 0; i < missing.length; i += PART_BATCH) fetchParts(missing.slice(i, i + PART_BATCH));
    placeLayer(tileState.svg, viewArea(0));
    root.dataset.parts = String(tileState.loaded.size);
  }

  function fetchParts(ids) {
    var state = tileState;
    var generation = state.generation;
    ids.forEach(function (id) { state.pending.add(id); });
    var url = base + "/diagram.svg?" + (lastParams ? lastParams + "&" : "") + "groups=" + ids.join(",");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (source) {
        if (state !== tileState || generation !== state.generation) return;
        ids.forEach(function (id) { state.pending.delete(id); });
        addParts(state, source);
      })
      .catch(function () {
        ids.forEach(function (id) { state.pending.delete(id); });
      });
  }

  function addParts(state, source) {
    var part = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
    var still = new Set();
    if (root.dataset.lod === "detail") tilesIn(viewArea(PART_MARGIN)).forEach(function (t) { still.add(t.id); });
    var byGroup = new Map();
    (part.getAttribute("data-groups") || "").split(" ").forEach(function (id) {
      if (id && still.has(id)) byGroup.set(id, { elements: [], names: { xs: [], ys: [], texts: [] } });
    });
    var owner = function (element) {
      var group = element && element.getAttribute("data-group");
      return group && byGroup.has(group) ? byGroup.get(group) : null;
    };
    var defs = part.querySelector("defs");
    var symbols = [];
    if (defs) {
      Array.from(defs.children).forEach(function (symbol) {
        if (state.symbols.has(symbol.id)) return;
        state.symbols.add(symbol.id);
        symbols.push(symbol);
      });
    }
    part.querySelectorAll("g.resources > g.resource").forEach(function (element) {
      var into = owner(element.parentNode);
      if (into) into.elements.push(element);
    });
    part.querySelectorAll("g.names > text").forEach(function (text) {
      var into = owner(text);
      if (!into) return;
      into.names.xs.push(Number(text.getAttribute("x")));
      into.names.ys.push(Number(text.getAttribute("y")));
      into.names.texts.push(text.textContent);
    });
    var first = byGroup.values().next();
    var edges = part.querySelector("g.edges");
    if (edges && !first.done) {
      Array.from(edges.children).forEach(function (edge) {
        if (edge.id && !document.getElementById(edge.id)) first.value.elements.push(edge);
      });
    }
    var resources = document.createDocumentFragment();
    var lines = document.createDocumentFragment();
    byGroup.forEach(function (entry, id) {
      entry.elements.forEach(function (element) {
        var adopted = document.adoptNode(element);
        (adopted.classList.contains("resource") ? resources : lines).appendChild(adopted);
      });
      state.loaded.set(id, entry);
    });
    if (symbols.length) {
      var kept = document.createElementNS(SVG_NS, "defs");
      symbols.forEach(function (symbol) { kept.appendChild(document.adoptNode(symbol)); });
      state.svg.insertBefore(kept, state.svg.firstChild);
    }
    state.edges.appendChild(lines);
    state.resources.appendChild(resources);
    root.dataset.parts = String(state.loaded.size);
    if (names) names.area = null;
    if (view && root.dataset.lod === "detail") showNames(true);
    if (selected) select(selected, false, false);
  }

  function zoomToTile(tile) {
    var b = (tile.getAttribute("data-box") || "0 0 0 0").split(" ").map(Number);
    var s = size();
    var k = clampScale(Math.max(LABEL_SCALE, Math.min(s.w / b[2], s.h / b[3]) * 0.9));
    setView({ x: b[0] + b[2] / 2 - s.w / k / 2, y: b[1] + b[3] / 2 - s.h / k / 2, k: k }, true);
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
    }
    var k = drag.start.k;
    setView({ x: drag.start.x - dx / k, y: drag.start.y - dy / k, k: k });
  });

  function endDrag(event) {
    if (!drag || event.pointerId !== drag.id) return;
    var moved = drag.moved;
    drag = null;
    if (moved) return;
    var tile = event.target.closest && event.target.closest(".tile");
    if (tile && svg && svg.contains(tile)) {
      zoomToTile(tile);
      return;
    }
    var target = event.target.closest && event.target.closest("[data-resource-id]");
    if (target && svg && (svg.contains(target) || (tileState && tileState.svg.contains(target)))) select(target.getAttribute("data-key"), true, false);
  }

  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", function () {
    drag = null;
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

  // The keyboard, on the focused canvas: arrows pan by an eighth of it, + and - zoom, 0 fits.
  var ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  canvas.addEventListener("keydown", function (event) {
    if (!view || event.altKey || event.ctrlKey || event.metaKey) return;
    var s = size();
    var keys = { "+": 1.25, "=": 1.25, "-": 0.8 };
    var arrow = ARROWS[event.key];
    if (arrow) {
      var step = (event.shiftKey ? 0.5 : 0.125) / view.k;
      setView({ x: view.x + arrow[0] * s.w * step, y: view.y + arrow[1] * s.h * step, k: view.k });
    } else if (keys[event.key]) zoomAt(s.w / 2, s.h / 2, keys[event.key]);
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
    load(false); // a new filter: fit what it shows
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "filter") return; // applied on Enter or Apply
    load(event.target.name === "theme");
  });
  document.getElementById("cc-filter").addEventListener("search", function (event) {
    if (!event.target.value && lastParams.indexOf("filter=") !== -1) load(false);
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
    canvasSize = null;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (view) setView(view, true); // same place and scale; only the viewBox's extent changes
    }, 60);
  }).observe(canvas);

  load(false);
})();
