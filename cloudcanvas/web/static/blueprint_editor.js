// The blueprint page: the server's drawing of the document (the SVG export's renderer) with pan
// and zoom (panzoom.js, shared with the public share viewer); for writers, the editor. Every change edits the document (a plain object), pushes the
// previous state on the undo stack and asks the server to draw the new state. User text only ever
// reaches the page through textContent, attribute setters and the server's escaped SVG.
(function () {
  "use strict";
  var root = document.getElementById("bp");
  if (!root) return;
  var base = root.dataset.base;
  var csrf = root.dataset.csrf;
  var editable = root.dataset.edit === "1";
  var canvas = document.getElementById("bp-canvas");
  var view = window.CloudcanvasPanZoom.attach(canvas);
  var statusEl = document.getElementById("bp-status");
  var ISO = 16, FLAT = 20, SVGNS = "http://www.w3.org/2000/svg";

  var state = {
    doc: null, etag: root.dataset.etag, saved: "", undo: [], redo: [],
    selected: null, // {kind: "nodes" | "groups" | "text", index}
    version: 0, drawnVersion: -1, drawToken: 0, svg: null, saving: false
  };

  function $(id) { return document.getElementById(id); }
  function status(text, isError) {
    statusEl.textContent = text;
    statusEl.classList.toggle("error", !!isError);
  }
  function projection() { return state.doc && state.doc.projection === "2d" ? "2d" : "isometric"; }
  function project(x, y) {
    return projection() === "2d" ? [x * FLAT, y * FLAT] : [(x - y) * ISO, (x + y) * ISO / 2];
  }
  // The inverse of diagram/svg.py's project_for: drawing units back to map (grid) units.
  function unproject(px, py) {
    if (projection() === "2d") return [px / FLAT, py / FLAT];
    var a = px / ISO, b = 2 * py / ISO; // a = x - y, b = x + y
    return [(a + b) / 2, (b - a) / 2];
  }
  function serialized() { return JSON.stringify(state.doc); }
  function dirty() { return state.doc !== null && serialized() !== state.saved; }
  function list(key) {
    if (!Array.isArray(state.doc[key])) state.doc[key] = [];
    return state.doc[key];
  }
  function selectedItem() {
    var s = state.selected;
    return s && state.doc[s.kind] ? state.doc[s.kind][s.index] || null : null;
  }

  // ---- Drawing ----

  function errorText(response, body) {
    try { return JSON.parse(body).error || response.statusText; } catch (e) { return response.status + " " + response.statusText; }
  }

  function draw() {
    var token = ++state.drawToken;
    var version = state.version;
    canvas.classList.add("drawing"); // a large blueprint takes a moment: say so
    return fetch(base + "/drawing.svg", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({data: state.doc})
    }).then(function (response) {
      return response.text().then(function (body) {
        if (token !== state.drawToken) return;
        canvas.classList.remove("drawing");
        if (!response.ok) { status("Cannot draw: " + errorText(response, body), true); return; }
        var parsed = new DOMParser().parseFromString(body, "image/svg+xml");
        var svg = document.importNode(parsed.documentElement, true);
        if (svg.nodeName.toLowerCase() !== "svg") { status("Cannot draw the blueprint.", true); return; }
        canvas.replaceChildren(svg);
        state.svg = svg;
        state.drawnVersion = version;
        view.show(svg); // the view the user chose stays across redraws
        annotate(svg);
        showSelection();
        root.dataset.drawn = String(version);
      });
    }).catch(function () {
      if (token !== state.drawToken) return;
      canvas.classList.remove("drawing");
      status("Cannot reach the server to draw.", true);
    });
  }

  // Tie every drawn element to its place in the document: n<i> is nodes[i], g<i> is groups[i]
  // (diagram/blueprint.py numbers them so); texts are drawn in order, skipping empty ones.
  function annotate(svg) {
    var doc = state.doc;
    function mark(el, kind, index) {
      var item = doc[kind][index];
      el.setAttribute("data-element", kind + ":" + index);
      if (item && typeof item.id === "string") el.setAttribute("data-element-id", item.id);
    }
    svg.querySelectorAll("g.resource[id^='n']").forEach(function (el) {
      var index = Number(el.id.slice(1));
      if (doc.nodes && doc.nodes[index]) mark(el, "nodes", index);
    });
    svg.querySelectorAll("g.group[id^='g']").forEach(function (el) {
      var index = Number(el.id.slice(1));
      if (doc.groups && doc.groups[index]) mark(el, "groups", index);
    });
    var drawn = [];
    (doc.text || []).forEach(function (item, index) {
      if (item && Array.isArray(item.mapPos) && typeof item.text === "string" && item.text) drawn.push(index);
    });
    svg.querySelectorAll("g.texts > text").forEach(function (el, i) {
      if (i < drawn.length) mark(el, "text", drawn[i]);
    });
  }

  // ---- Selection ----

  function showSelection() {
    if (!state.svg) return;
    state.svg.querySelectorAll(".bp-selected").forEach(function (el) { el.classList.remove("bp-selected"); });
    var s = state.selected;
    if (s) {
      var el = state.svg.querySelector("[data-element='" + s.kind + ":" + s.index + "']");
      if (el) el.classList.add("bp-selected");
    }
    if (!editable) return;
    var item = selectedItem();
    $("bp-delete").disabled = !item;
    var text = $("bp-text");
    text.disabled = !(item && s.kind === "text");
    // A redraw never overwrites what the user is typing into the selected text.
    var key = s ? s.kind + ":" + s.index + ":" + (item && item.id) : "";
    if (key !== state.shownKey || document.activeElement !== text) {
      text.value = item && s.kind === "text" && typeof item.text === "string" ? item.text : "";
    }
    state.shownKey = key;
    var color = $("bp-color");
    color.disabled = !(item && (s.kind === "nodes" || s.kind === "text"));
    var current = item ? colorOf(item) : null;
    if (current) color.value = current;
  }

  function colorOf(item) {
    var c = item.color;
    if (c && typeof c === "object") c = c.isometric || c["2d"];
    return typeof c === "string" && /^#[0-9a-fA-F]{6}$/.test(c) ? c.toLowerCase() : null;
  }

  function select(kind, index) {
    state.selected = kind === null ? null : {kind: kind, index: index};
    showSelection();
  }

  // ---- Changes and history ----

  function change(mutate) {
    state.undo.push(serialized());
    trimHistory();
    state.redo = [];
    mutate();
    changed();
  }

  // At most 200 states and about 64 million characters: a 10,000-node document is megabytes.
  function trimHistory() {
    var total = state.undo.reduce(function (sum, text) { return sum + text.length; }, 0);
    while (state.undo.length > 1 && (state.undo.length > 200 || total > 64e6)) {
      total -= state.undo.shift().length;
    }
  }

  function changed() {
    state.version += 1;
    root.dataset.version = String(state.version); // data-drawn catches up when the drawing does
    var item = selectedItem();
    if (!item) state.selected = null;
    updateButtons();
    return draw();
  }

  function updateButtons() {
    if (!editable) return;
    $("bp-undo").disabled = state.undo.length === 0;
    $("bp-redo").disabled = state.redo.length === 0;
    $("bp-save").disabled = !dirty() || state.saving;
    if (dirty()) status("Unsaved changes");
  }

  // Another state of the document: the selection follows its element by id (or is dropped).
  function restore(text) {
    var s = state.selected, item = selectedItem();
    var id = item && typeof item.id === "string" ? item.id : null;
    state.doc = JSON.parse(text);
    state.selected = null;
    if (s && id !== null && Array.isArray(state.doc[s.kind])) {
      var index = state.doc[s.kind].findIndex(function (e) { return e && e.id === id; });
      if (index >= 0) state.selected = {kind: s.kind, index: index};
    }
    changed();
  }

  function undo() {
    if (!state.undo.length) return;
    state.redo.push(serialized());
    restore(state.undo.pop());
  }

  function redo() {
    if (!state.redo.length) return;
    state.undo.push(serialized());
    restore(state.redo.pop());
  }

  function newId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function addText() {
    var v = view.current() || {x: 0, y: 0, w: 0, h: 0};
    var at = unproject(v.x + v.w / 2, v.y + v.h / 2);
    var ink = state.svg && state.svg.getAttribute("data-theme") === "dark" ? "#f8fafc" : "#1f2937";
    var item = {id: newId(), type: "isotext", text: "New text", color: ink,
                mapPos: [Math.round(at[0]), Math.round(at[1])], textSize: 16};
    change(function () { list("text").push(item); });
    state.selected = {kind: "text", index: state.doc.text.length - 1};
    showSelection();
    $("bp-text").focus();
    $("bp-text").select();
  }

  function setText(value) {
    var s = state.selected, item = selectedItem();
    if (!item || s.kind !== "text" || item.text === value) return;
    if (!value) { status("A text label cannot be empty; delete it instead.", true); showSelection(); return; }
    change(function () { state.doc.text[s.index].text = value; });
  }

  function setColor(value) {
    var s = state.selected, item = selectedItem();
    if (!item || colorOf(item) === value.toLowerCase()) return;
    change(function () {
      var target = state.doc[s.kind][s.index];
      target.color = s.kind === "nodes" ? {isometric: value, "2d": value} : value;
    });
  }

  function deleteSelected() {
    var s = state.selected, item = selectedItem();
    if (!item) return;
    change(function () {
      state.doc[s.kind].splice(s.index, 1);
      if (s.kind === "nodes" && typeof item.id === "string") {
        var id = item.id;
        if (Array.isArray(state.doc.edges)) {
          state.doc.edges = state.doc.edges.filter(function (e) { return !e || (e.from !== id && e.to !== id); });
        }
        (state.doc.groups || []).forEach(function (g) {
          if (g && Array.isArray(g.nodes)) g.nodes = g.nodes.filter(function (n) { return n !== id; });
        });
      }
    });
    state.selected = null;
    showSelection();
  }

  var ARROWS = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};

  function nudge(dx, dy) {
    var s = state.selected;
    if (!selectedItem() || state.drawnVersion !== state.version) return;
    var moved = membersOf(s.kind, s.index);
    if (!moved.length) return;
    change(function () {
      moved.forEach(function (m) {
        var pos = state.doc[m.kind][m.index].mapPos;
        pos[0] = Math.round(pos[0] + dx);
        pos[1] = Math.round(pos[1] + dy);
      });
    });
  }

  // ---- Pointer: pan, select, drag ----

  var gesture = null;

  function membersOf(kind, index) {
    // What moves: the element, and for a group the nodes it holds.
    var moved = [{kind: kind, index: index}];
    var item = state.doc[kind][index];
    if (kind === "groups" && Array.isArray(item.nodes)) {
      var wanted = {};
      item.nodes.forEach(function (id) { wanted[id] = true; });
      (state.doc.nodes || []).forEach(function (node, i) {
        if (node && wanted[node.id] === true && Array.isArray(node.mapPos)) moved.push({kind: "nodes", index: i});
      });
    }
    return moved.filter(function (m) { return Array.isArray(state.doc[m.kind][m.index].mapPos); });
  }

  canvas.addEventListener("pointerdown", function (event) {
    if (!state.svg || event.button !== 0) return;
    if (view.panning()) { view.pointerDown(event); return; } // a second finger: pinch
    var target = event.target.closest ? event.target.closest("[data-element]") : null;
    var current = state.drawnVersion === state.version;
    if (editable && target && current) {
      var parts = target.getAttribute("data-element").split(":");
      var kind = parts[0], index = Number(parts[1]);
      select(kind, index);
      var moved = membersOf(kind, index);
      if (!moved.length) return;
      gesture = {type: "drag", start: view.toDrawing(event.clientX, event.clientY), moved: moved,
                 els: moved.map(function (m) { return state.svg.querySelector("[data-element='" + m.kind + ":" + m.index + "']"); }),
                 delta: [0, 0]};
    } else {
      if (editable && current && !target) select(null);
      gesture = {type: "pan"};
      view.pointerDown(event);
    }
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!gesture || gesture.type === "pan") { view.pointerMove(event); return; }
    var now = view.toDrawing(event.clientX, event.clientY);
    var map = unproject(now[0] - gesture.start[0], now[1] - gesture.start[1]);
    var delta = [Math.round(map[0]), Math.round(map[1])]; // snapped to the grid (one map unit)
    gesture.delta = delta;
    var shown = project(delta[0], delta[1]);
    gesture.els.forEach(function (el) {
      if (el) el.setAttribute("transform", "translate(" + shown[0] + " " + shown[1] + ")");
    });
  });

  function endGesture(event) {
    view.pointerUp(event);
    if (!gesture || (gesture.type === "pan" && view.panning())) return;
    var done = gesture;
    gesture = null;
    if (done.type !== "drag" || (done.delta[0] === 0 && done.delta[1] === 0)) return;
    change(function () {
      done.moved.forEach(function (m) {
        var pos = state.doc[m.kind][m.index].mapPos;
        pos[0] = Math.round(pos[0] + done.delta[0]);
        pos[1] = Math.round(pos[1] + done.delta[1]);
      });
    });
  }
  canvas.addEventListener("pointerup", endGesture);
  canvas.addEventListener("pointercancel", endGesture);

  view.bindWheel().bindButtons({fit: $("bp-fit"), zoomIn: $("bp-zoom-in"), zoomOut: $("bp-zoom-out")});
  // The focused canvas: + - zoom, 0 fits, arrows pan unless they nudge the selection.
  view.bindKeys(canvas, function (event) { return editable && !!state.selected && !!ARROWS[event.key]; });

  // ---- Saving ----

  function save(overwrite) {
    if (state.saving || !dirty()) return;
    state.saving = true;
    var sent = serialized();
    updateButtons();
    status("Saving…");
    fetch(base + "/document", {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, "If-Match": overwrite === true ? "*" : state.etag},
      body: JSON.stringify({data: state.doc})
    }).then(function (response) {
      return response.text().then(function (body) {
        state.saving = false;
        if (response.status === 204) {
          state.etag = response.headers.get("ETag") || state.etag;
          state.saved = sent;
          $("bp-conflict").hidden = true;
          updateButtons();
          status(dirty() ? "Unsaved changes" : "Saved");
        } else if (response.status === 412) {
          $("bp-conflict").hidden = false;
          updateButtons();
          status("Not saved: changed elsewhere.", true);
        } else {
          updateButtons();
          status("Not saved: " + errorText(response, body), true);
        }
      });
    }).catch(function () {
      state.saving = false;
      updateButtons();
      status("Not saved: cannot reach the server.", true);
    });
  }

  function load() {
    return fetch(base + "/document", {credentials: "same-origin", cache: "no-store"}).then(function (response) {
      if (!response.ok) { status("Cannot load the blueprint (" + response.status + ").", true); return null; }
      state.etag = response.headers.get("ETag") || state.etag;
      return response.json().then(function (body) {
        state.doc = body.data;
        state.saved = serialized();
        state.undo = []; state.redo = []; state.selected = null;
        state.version += 1;
        root.dataset.version = String(state.version);
        $("bp-name").textContent = body.name;
        updateButtons();
        return draw();
      });
    }).catch(function () { status("Cannot reach the server.", true); });
  }

  if (editable) {
    $("bp-undo").addEventListener("click", undo);
    $("bp-redo").addEventListener("click", redo);
    $("bp-add-text").addEventListener("click", addText);
    $("bp-delete").addEventListener("click", deleteSelected);
    $("bp-save").addEventListener("click", function () { save(false); });
    $("bp-overwrite").addEventListener("click", function () { save(true); });
    $("bp-text").addEventListener("change", function (event) { setText(event.target.value); });
    $("bp-color").addEventListener("change", function (event) { setColor(event.target.value); });
    $("bp-reload").addEventListener("click", function () {
      $("bp-conflict").hidden = true;
      load().then(function () { status("Reloaded the saved blueprint."); });
    });
    $("bp-dismiss").addEventListener("click", function () { $("bp-conflict").hidden = true; });
    document.addEventListener("keydown", function (event) {
      var key = event.key.toLowerCase();
      if ((event.ctrlKey || event.metaKey) && key === "s") { // saves from anywhere, text included
        event.preventDefault();
        if (event.target === $("bp-text")) setText($("bp-text").value);
        save(false);
        return;
      }
      var tag = event.target && event.target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      if ((event.ctrlKey || event.metaKey) && key === "z") {
        event.preventDefault();
        if (event.shiftKey) redo(); else undo();
      } else if ((event.ctrlKey || event.metaKey) && key === "y") {
        event.preventDefault();
        redo();
      } else if (ARROWS[event.key] && state.selected && !event.ctrlKey && !event.metaKey) {
        event.preventDefault(); // nudge the selection one map unit
        nudge(ARROWS[event.key][0], ARROWS[event.key][1]);
      } else if (key === "escape") {
        select(null);
      } else if ((key === "delete" || key === "backspace") && state.selected) {
        event.preventDefault();
        deleteSelected();
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  load();
})();
