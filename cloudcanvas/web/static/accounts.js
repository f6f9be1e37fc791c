// Edit page: a new secret clears the old secret's expiry date; the new one is not known here.
(function () {
  "use strict";
  const secret = document.getElementById("clientSecret");
  const expiry = document.getElementById("secretExpiresAt");
  if (!secret || !expiry || !("clearWithNewSecret" in expiry.dataset)) return;
  const original = expiry.value;
  let touched = false;
  expiry.addEventListener("input", () => { touched = true; });
  secret.addEventListener("input", () => {
    if (!touched) expiry.value = secret.value ? "" : original;
  });
})();
// Edit page: offer the subscriptions the app can see (read with its stored secret) as choices.
(function () {
  "use strict";
  const options = document.getElementById("subscription-options");
  if (!options || !options.dataset.source) return;
  fetch(options.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { subscriptions: [] }))
    .then((body) => {
      for (const sub of body.subscriptions || []) {
        const option = document.createElement("option");
        option.value = sub.id;
        option.textContent = `${sub.name} (${sub.state})`;
        options.appendChild(option);
      }
      options.dataset.loaded = String((body.subscriptions || []).length);
    })
    .catch(() => { options.dataset.loaded = "0"; });
})();
