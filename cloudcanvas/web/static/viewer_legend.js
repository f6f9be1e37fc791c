/* The viewer's legend panel (a module of its own; viewer.js only announces each view it draws with
   a "cc-view" event). The toolbar's Legend button opens it; it fetches legend.json for the view
   drawn (region, grouping, filter, projection, theme) only while open, so the first drawing never
   waits for it, and again whenever the view changes. Escape, the button or × closes it.
   Names are set as text; the symbols are SVG the server made from its own tables, parsed as XML. */
(function () {
  "use strict";
  var root = document.getElementById("cc-viewer");
  var button = document.getElementById("cc-legend-button");
  var panel = document.getElementById("cc-legend");
  if (!root || !button || !panel) return;
  var list = document.getElementById("cc-legend-list");
  var status = document.getElementById("cc-legend-status");
  var total = document.getElementById("cc-legend-total");
  // The view drawn: the page's own query until the viewer draws its first.
  var query = window.location.search.replace(/^\?/, "");
  var shown = null; // the query the list shows
  var asked = 0;

  function count(n) {
    return Number(n).toLocaleString();
  }

  function symbol(source) {
    var doc = new DOMParser().parseFromString(source, "image/svg+xml");
    var element = doc.documentElement;
    return element && element.nodeName === "svg" ? document.adoptNode(element) : null;
  }

  function entry(item) {
    var li = document.createElement("li");
    li.setAttribute("data-type", item.type);
    li.setAttribute("data-drawn-as", item.drawnAs);
    var icon = document.createElement("span");
    icon.className = "cc-legend-symbol";
    var drawn = symbol(item.symbol);
    if (drawn) icon.appendChild(drawn);
    var name = document.createElement("span");
    name.className = "cc-legend-name";
    name.textContent = item.name;
    if (item.drawnAs === "area") {
      var note = document.createElement("small");
      note.textContent = "drawn as an area";
      note.title = "Drawn around the resources it holds, not as a block";
      name.appendChild(note);
    }
    var number = document.createElement("span");
    number.className = "cc-legend-count";
    number.textContent = count(item.count);
    li.append(icon, name, number);
    return li;
  }

  function fill(body) {
    list.replaceChildren.apply(list, body.entries.map(entry));
    total.textContent = body.total === 1 ? "1 resource" : count(body.total) + " resources";
    status.textContent = body.entries.length ? "" : "Nothing is drawn in this view.";
    status.hidden = body.entries.length > 0;
    panel.setAttribute("data-projection", body.projection);
  }

  function refresh() {
    if (panel.hidden || shown === query) return;
    var ticket = ++asked;
    var wanted = query;
    panel.setAttribute("aria-busy", "true");
    if (shown === null) {
      status.hidden = false;
      status.textContent = "Counting what this view draws…";
    }
    fetch(button.dataset.url + (wanted ? "?" + wanted : ""), { credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "The legend is not available.");
          return body;
        });
      })
      .then(function (body) {
        if (ticket !== asked) return;
        shown = wanted;
        fill(body);
      })
      .catch(function (error) {
        if (ticket !== asked) return;
        shown = null;
        list.replaceChildren();
        total.textContent = "";
        status.hidden = false;
        status.textContent = error.message;
      })
      .finally(function () {
        if (ticket === asked) panel.removeAttribute("aria-busy");
      });
  }

  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("cc-has-legend", open);
    if (open) refresh();
  }

  button.addEventListener("click", function () {
    toggle(panel.hidden);
  });
  document.getElementById("cc-legend-close").addEventListener("click", function () {
    toggle(false);
    button.focus();
  });
  function closeOnEscape(event) {
    if (event.key !== "Escape" || panel.hidden) return;
    event.preventDefault();
    event.stopPropagation();
    toggle(false);
    button.focus();
  }
  button.addEventListener("keydown", closeOnEscape);
  panel.addEventListener("keydown", closeOnEscape);
  // On the canvas Escape first clears a selected resource (its details panel open); with none,
  // it closes the legend, and the focus stays on the canvas.
  var canvas = document.getElementById("cc-canvas");
  var details = document.getElementById("cc-panel");
  if (canvas) {
    canvas.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || panel.hidden || panel.contains(event.target)) return;
      if (details && !details.hidden) return;
      event.preventDefault();
      event.stopPropagation();
      toggle(false);
    }, true);
  }
  // The panel lies over the canvas: its pointer, wheel and keys are its own (scrolling the list,
  // selecting its text), not the diagram's pan and zoom.
  ["pointerdown", "wheel", "keydown", "dblclick"].forEach(function (type) {
    panel.addEventListener(type, function (event) { event.stopPropagation(); });
  });
  root.addEventListener("cc-view", function (event) {
    query = event.detail.query;
    refresh();
  });
})();
