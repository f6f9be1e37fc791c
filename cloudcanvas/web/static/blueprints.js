// The account viewer's "Save as blueprint": it sends the view as it is now, not as the page
// loaded. (Dialogs and the copy-link button are pages.js's.)
(function () {
  "use strict";
  const save = document.getElementById("cc-save-blueprint");
  const controls = document.getElementById("cc-controls");
  if (save && controls) {
    save.addEventListener("submit", () => {
      const view = new FormData(controls);
      for (const name of ["location", "groupBy", "filter", "theme", "projection"]) {
        const field = save.querySelector(`input[name="${name}"]`);
        if (field && view.has(name)) field.value = String(view.get(name));
      }
    });
  }
})();
