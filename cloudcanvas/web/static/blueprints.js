// Blueprints page and share settings: confirmation dialogs, the copy-link button, and the
// account viewer's "Save as blueprint" (it sends the view as it is now, not as the page loaded).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.openDialog);
      if (dialog) dialog.showModal();
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      closer.closest("dialog").close();
      return;
    }
    const copier = event.target.closest("[data-copy]");
    if (copier) copyLink(document.getElementById(copier.dataset.copy));
  });

  function copyLink(input) {
    if (!input) return;
    const status = document.getElementById("copy-status");
    const shown = () => { if (status) status.hidden = false; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(shown, () => { document.execCommand("copy"); shown(); });
    } else {
      document.execCommand("copy");
      shown();
    }
  }

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
