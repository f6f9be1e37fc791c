// What every page may use, by data attribute (loaded once, from base.html):
// - [data-open-dialog=id] opens that <dialog>; [data-close-dialog] closes its own;
// - form[data-confirm] asks before it is sent;
// - [data-copy=id] copies that element's text (an input's value), and says so in the
//   [data-copy-status] beside the button.
(function () {
  "use strict";

  function copy(button) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const status = button.parentElement.querySelector("[data-copy-status]");
    const say = (text) => { if (status) status.textContent = text; };
    const text = source instanceof HTMLInputElement ? source.value : source.textContent.trim();
    const byHand = () => {
      if (source instanceof HTMLInputElement) source.select();
      say(document.execCommand("copy") ? "Copied." : "Select it and copy it by hand.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => say("Copied."), byHand);
    } else {
      byHand();
    }
  }

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
    if (copier) copy(copier);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
