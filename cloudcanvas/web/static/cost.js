/* The viewer's cost layer (a module of its own; viewer.js knows nothing of it).
   When "Cost" is on it fetches cost.json for what the diagram shows (region, filter) in the chosen
   currency and period, writes the cost under each resource block (coloured by its quintile), and
   fills the budget panel: total, price date, top resources, totals per group. It follows the
   viewer: a redrawn diagram gets its labels again, a changed region or filter is fetched again.
   Names come from the server and are only ever set as text. */
(function () {
  "use strict";
  var box = document.getElementById("cc-cost");
  var stage = document.getElementById("cc-stage");
  var form = document.getElementById("cc-controls");
  var panel = document.getElementById("cc-budget");
  if (!box || !stage || !form || !panel) return;
  var on = document.getElementById("cc-cost-on");
  var currency = document.getElementById("cc-cost-currency");
  var period = document.getElementById("cc-cost-period");
  var groupSelect = document.getElementById("cc-budget-group");
  var errorBox = document.getElementById("cc-budget-error");
  var PERIODS = { h: "hour", d: "day", w: "week", m: "month", y: "year" };
  var data = null;
  var asked = 0;

  function money(value) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: data.currency }).format(value);
    } catch (e) {
      return value.toFixed(2) + " " + data.currency;
    }
  }

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if ((name === "location" || name === "filter") && value) params.set(name, value);
    });
    params.set("currency", currency.value);
    params.set("period", period.value);
    return params.toString();
  }

  function clearLabels() {
    stage.querySelectorAll(".cc-cost-label").forEach(function (el) { el.remove(); });
    stage.querySelectorAll("g.resource[data-cost-band], g.resource[data-saving]").forEach(function (el) {
      el.removeAttribute("data-cost-band");
      el.removeAttribute("data-saving");
    });
  }

  function bands(costs) {
    var values = Object.keys(costs).map(function (k) { return costs[k]; })
      .filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    return function (cost) {
      if (!values.length) return 0;
      var below = 0;
      while (below < values.length && values[below] < cost) below++;
      return Math.min(4, Math.floor((below / values.length) * 5));
    };
  }

  function label() {
    clearLabels();
    if (!data || !on.checked) return;
    var band = bands(data.costs);
    var savingFor = {};
    (data.savings || []).forEach(function (s) { savingFor[s.key] = s; });
    var ns = "http://www.w3.org/2000/svg";
    stage.querySelectorAll("#cc-diagram g.resource[data-key]").forEach(function (group) {
      var cost = data.costs[group.getAttribute("data-key")];
      if (!(cost > 0)) return;
      var bounds = group.getBBox();
      var text = document.createElementNS(ns, "text");
      text.setAttribute("class", "cc-cost-label");
      text.setAttribute("x", String(bounds.x + bounds.width / 2));
      text.setAttribute("y", String(bounds.y + bounds.height + 12));
      text.setAttribute("text-anchor", "middle");
      var saving = savingFor[group.getAttribute("data-key")];
      text.textContent = money(cost) +
        (saving && saving.monthly ? " · Advisor: save " + saving.monthly.toFixed(2) + " " + saving.currency + "/mo" : "");
      if (saving) group.setAttribute("data-saving", "");
      group.setAttribute("data-cost-band", String(band(cost)));
      group.appendChild(text);
    });
  }

  function fillPanel() {
    var total = document.getElementById("cc-budget-total");
    var source = document.getElementById("cc-budget-source");
    var top = document.getElementById("cc-budget-top");
    var groups = document.getElementById("cc-budget-groups");
    top.replaceChildren();
    groups.replaceChildren();
    if (!data) return;
    total.textContent = money(data.total) + " per " + PERIODS[data.period];
    source.textContent = data.pricesAsOf
      ? "Azure retail prices of " + new Date(data.pricesAsOf).toLocaleDateString() +
        (data.stale ? " (the price list is unreachable: cached prices)" : "")
      : "";
    var actual = data.actual || { available: false, costs: {} };
    var actualBox = document.getElementById("cc-budget-actual");
    if (actual.available) {
      var spent = Object.keys(actual.costs).reduce(function (sum, k) { return sum + actual.costs[k]; }, 0);
      actualBox.textContent = "Actual cost, last " + actual.days + " days (Cost Management): " +
        spent.toFixed(2) + " " + (actual.currency || "");
    } else {
      actualBox.textContent = actual.reason ? "Actual cost not available: " + actual.reason : "";
    }
    data.top.forEach(function (item) {
      var li = document.createElement("li");
      var real = actual.available && actual.costs[item.key] !== undefined
        ? " · actual " + actual.costs[item.key].toFixed(2) + " " + actual.currency + " (" + actual.days + " d)"
        : "";
      li.textContent = item.name + " (" + item.type + "): " + money(item.cost) + real;
      li.setAttribute("data-key", item.key);
      top.appendChild(li);
    });
    var savings = document.getElementById("cc-budget-savings");
    savings.replaceChildren();
    (data.savings || []).forEach(function (s) {
      var li = document.createElement("li");
      // Advisor's savings are in Advisor's currency (its own figure, not converted).
      var amount = s.monthly ? " saves " + s.monthly.toFixed(2) + " " + s.currency + " a month" : "";
      li.textContent = s.name + ": " + s.problem + (s.action ? " (" + s.action + ")" : "") + amount;
      savings.appendChild(li);
    });
    if (!savings.children.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = "none";
      savings.appendChild(none);
    }
    var chosen = data.groups[groupSelect.value] || {};
    Object.keys(chosen).forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = name + ": " + money(chosen[name]);
      groups.appendChild(li);
    });
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function refresh() {
    if (!on.checked) return;
    var ticket = ++asked;
    showError("");
    fetch(box.dataset.url + "?" + query(), { credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "Costs are not available.");
          return body;
        });
      })
      .then(function (body) {
        if (ticket !== asked) return;
        data = body;
        fillPanel();
        label();
      })
      .catch(function (error) {
        if (ticket !== asked) return;
        data = null;
        fillPanel();
        clearLabels();
        document.getElementById("cc-budget-total").textContent = "";
        document.getElementById("cc-budget-actual").textContent = "";
        showError(error.message);
      });
  }

  function toggle() {
    panel.hidden = !on.checked;
    currency.parentElement.hidden = period.parentElement.hidden = !on.checked;
    if (on.checked) refresh();
    else clearLabels();
  }

  // The Export menu's "With cost": the download draws the cost layer (cost=true, currency, period);
  // it follows the Cost toggle until changed. The link is rewritten as it is clicked, since the
  // viewer rewrites the export links whenever the view changes.
  var exportCost = document.getElementById("cc-export-cost");
  var exportMenu = document.getElementById("cc-export");
  if (exportCost && exportMenu) {
    exportCost.addEventListener("change", function (event) { event.stopPropagation(); });
    on.addEventListener("change", function () { exportCost.checked = on.checked; });
    exportMenu.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-format]");
      if (!link) return;
      var url = new URL(link.getAttribute("href"), window.location.href);
      ["cost", "currency", "period"].forEach(function (name) { url.searchParams.delete(name); });
      if (exportCost.checked) {
        url.searchParams.set("cost", "true");
        url.searchParams.set("currency", currency.value);
        url.searchParams.set("period", period.value);
      }
      link.setAttribute("href", url.pathname + url.search);
    }, true);
  }

  on.addEventListener("change", toggle);
  currency.addEventListener("change", refresh);
  period.addEventListener("change", refresh);
  groupSelect.addEventListener("change", fillPanel);
  form.addEventListener("change", function () { setTimeout(refresh, 0); });
  form.addEventListener("submit", function () { setTimeout(refresh, 0); });
  // The viewer replaces the diagram when options change: label the new one.
  new MutationObserver(function (changes) {
    var replaced = changes.some(function (change) {
      return Array.prototype.some.call(change.addedNodes, function (node) { return node.id === "cc-diagram"; });
    });
    if (replaced) label();
  }).observe(stage, { childList: true });
})();
