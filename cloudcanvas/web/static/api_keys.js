// API keys page: copy the key shown once; revoking asks first (scripts using the key stop working).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector("[data-copy-status]");
    const say = (text) => { if (status) status.textContent = text; };
    if (!source || !navigator.clipboard) {
      say("Select the key and copy it by hand.");
      return;
    }
    navigator.clipboard.writeText(source.textContent.trim()).then(
      () => say("Copied."),
      () => say("The browser refused the clipboard: select the key and copy it by hand."),
    );
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
