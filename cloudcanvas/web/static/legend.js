// The Export menu's "With legend": the download draws a legend of its symbols (legend=true).
// The link is rewritten as it is clicked, since the viewer rewrites the export links whenever
// the view changes.
(function () {
  "use strict";
  var box = document.getElementById("cc-export-legend");
  var menu = document.getElementById("cc-export");
  if (!box || !menu) return;
  box.addEventListener("change", function (event) { event.stopPropagation(); });
  menu.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-format]");
    if (!link) return;
    var url = new URL(link.getAttribute("href"), window.location.href);
    url.searchParams.delete("legend");
    if (box.checked) url.searchParams.set("legend", "true");
    link.setAttribute("href", url.pathname + url.search);
  }, true);
})();
