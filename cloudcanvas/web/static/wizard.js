// The Add Azure Account wizard: each Next checks its step against Azure (POST
// /azure/accounts/new/check) and opens the next step only when the check passes. Errors are
// shown next to the field to fix. Every string from the server goes in with textContent.
(function () {
  "use strict";
  const form = document.getElementById("wizard");
  if (!form) return;
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const steps = Array.from(form.querySelectorAll(".step"));
  const stepOf = (n) => steps[n - 1];
  const field = (name) => form.elements.namedItem(name);
  const supportTemplate = document.getElementById("support-link");
  let current = 1;
  let verified = 0; // the last step whose check passed
  let subscriptions = [];

  function render() {
    if (form.classList.contains("review")) {
      steps.forEach((s) => s.classList.add("active"));
      return;
    }
    steps.forEach((section) => {
      const n = Number(section.dataset.step);
      section.classList.toggle("active", n === current);
      section.classList.toggle("done", n <= verified && n !== current);
      section.classList.toggle("locked", n > verified + 1 && n !== current);
      section.setAttribute("aria-current", n === current ? "step" : "false");
    });
  }

  function clearErrors(section) {
    section.querySelectorAll(".field-error").forEach((p) => {
      p.hidden = true;
      p.textContent = "";
    });
    section.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
    const general = section.querySelector(".step-error");
    if (general) general.hidden = true;
  }

  function withSupport(element, message) {
    element.textContent = message + " ";
    element.appendChild(supportTemplate.content.cloneNode(true));
    element.hidden = false;
  }

  function showError(body, section) {
    const target = body.fieldStep ? stepOf(body.fieldStep) : section;
    const slot = body.field ? form.querySelector("#err-" + body.field) : null;
    if (slot) {
      withSupport(slot, body.message);
      const input = field(body.field);
      if (input) input.setAttribute("aria-invalid", "true");
    } else {
      withSupport(target.querySelector(".step-error") || section.querySelector(".step-error"),
        body.message);
    }
    const n = Number(target.dataset.step);
    verified = Math.min(verified, n - 1);
    current = n;
    render();
    const focus = body.field ? field(body.field) : null;
    if (focus) focus.focus();
  }

  function fillChecklist(list) {
    // The subscriptions to draw besides the one picked above (issue 13: several per account).
    const box = document.getElementById("also-subscriptions");
    const ticked = new Set(Array.from(box.querySelectorAll("input:checked")).map((i) => i.value));
    box.replaceChildren();
    list.forEach((s) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = "subscriptionIds";
      input.value = s.subscriptionId;
      input.checked = ticked.has(s.subscriptionId);
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + s.displayName + " (" + s.subscriptionId + ")"));
      box.appendChild(label);
    });
  }

  function fillSubscriptions(list) {
    fillChecklist(list);
    subscriptions = list;
    const select = field("subscriptionId");
    const chosen = select.value;
    select.replaceChildren();
    if (!list.length) {
      select.appendChild(new Option("No subscription visible to the app yet", ""));
      return;
    }
    list.forEach((s) => {
      const state = s.state === "Enabled" ? "" : " — " + s.state;
      const label = s.displayName + state + " (" + s.subscriptionId + ")";
      select.appendChild(new Option(label, s.subscriptionId, false, s.subscriptionId === chosen));
    });
  }

  function summarize(n, body) {
    const summary = stepOf(n).querySelector("[data-summary]");
    if (n === 1) {
      summary.textContent = "Application " + field("applicationId").value.trim() +
        " in directory " + field("directoryId").value.trim();
    } else if (n === 2) {
      const count = body.subscriptions.length;
      summary.textContent = "The secret works; the app sees " + count + " subscription" +
        (count === 1 ? "" : "s") + ".";
    } else if (n === 3) {
      const chosen = subscriptions.find((s) => s.subscriptionId === field("subscriptionId").value);
      summary.textContent = "Reader verified on " + (chosen ? chosen.displayName : field("subscriptionId").value) + ".";
    }
  }

  function enterStep4(body) {
    const chosen = subscriptions.find((s) => s.subscriptionId === field("subscriptionId").value);
    const name = field("name");
    if (chosen && (!name.value || name.value === name.dataset.proposed)) {
      name.value = chosen.displayName;
      name.dataset.proposed = chosen.displayName;
    }
    const warnings = stepOf(4).querySelector(".warnings");
    warnings.textContent = (body.warnings || []).join(" ");
    warnings.hidden = !(body.warnings || []).length;
    const costReading = stepOf(4).querySelector(".cost-reading");
    if (costReading) {
      costReading.textContent = body.costReading ? body.costReading.message : "";
      costReading.hidden = !body.costReading;
      costReading.classList.toggle("warn", !!body.costReading && !body.costReading.available);
    }
  }

  function passed(n, body) {
    const notice = stepOf(3).querySelector(".notice");
    if (n === 2) {
      fillSubscriptions(body.subscriptions || []);
      notice.textContent = body.notice || "";
      notice.hidden = !body.notice;
    }
    summarize(n, body);
    if (n === 3) enterStep4(body);
    verified = Math.max(verified, n);
    current = n + 1;
    render();
    const next = stepOf(current).querySelector("input:not([type=checkbox]), select");
    if (next) next.focus();
  }

  async function runCheck(section, button) {
    const n = Number(section.dataset.step);
    steps.slice(0, n).forEach(clearErrors);
    const data = new FormData();
    data.append("step", section.dataset.check);
    ["directoryId", "applicationId", "clientSecret", "subscriptionId", "managementGroup"].forEach(
      (name) => data.append(name, field(name).value));
    form.querySelectorAll("input[name=subscriptionIds]:checked").forEach((i) => {
      data.append("subscriptionIds", i.value);
    });
    const scope = form.querySelector("input[name=scope]:checked");
    data.append("scope", scope ? scope.value : "");
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Checking with Azure…";
    section.classList.add("busy");
    try {
      const response = await fetch("/azure/accounts/new/check", {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        body: data,
        credentials: "same-origin",
      });
      let body;
      try {
        body = await response.json();
      } catch (_) {
        body = { ok: false, message: "The check failed (HTTP " + response.status + "); reload the page and try again." };
      }
      if (!response.ok && body.error) body = { ok: false, message: body.error };
      if (body.ok) passed(n, body);
      else showError(body, section);
    } catch (_) {
      showError({ message: "cloudcanvas did not answer; check your connection and try again." }, section);
    } finally {
      button.disabled = false;
      button.textContent = label;
      section.classList.remove("busy");
    }
  }

  form.addEventListener("click", (event) => {
    const next = event.target.closest("[data-next]");
    if (next) {
      runCheck(next.closest(".step"), next);
      return;
    }
    const refresh = event.target.closest("[data-refresh]");
    if (refresh) {
      runCheck(stepOf(2), refresh).then(() => {
        if (current === 3 || verified >= 2) {
          current = 3;
          render();
        }
      });
      return;
    }
    const go = event.target.closest("[data-goto]");
    if (go) {
      current = Number(go.dataset.goto);
      render();
    }
  });

  // Changing a step's input invalidates its check and every later one.
  form.addEventListener("input", (event) => {
    const section = event.target.closest(".step");
    if (!section || !section.dataset.check) return;
    const n = Number(section.dataset.step);
    if (event.target.name === "secretExpiresAt") return;
    if (verified >= n) {
      verified = n - 1;
      render();
    }
  });

  // Enter in a field means Next, not Save, until the last step.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName === "BUTTON") return;
    const section = event.target.closest(".step");
    if (section && section.dataset.check) {
      event.preventDefault();
      section.querySelector("[data-next]").click();
    }
  });

  form.addEventListener("submit", (event) => {
    if (form.classList.contains("review")) return;
    if (verified < 3) {
      event.preventDefault();
      const section = stepOf(Math.min(current, 3));
      section.querySelector("[data-next]").click();
      return;
    }
    const save = form.querySelector("[data-save]");
    save.disabled = true;
    save.textContent = "Saving…";
  });

  form.classList.add("js");
  if (form.classList.contains("review")) {
    // A refused Save: every step stays open, the error stands next to its field.
    verified = 3;
    current = Number(form.dataset.errorStep || 4);
    render();
    const slot = form.querySelector(".field-error:not([hidden])");
    const input = slot ? form.querySelector("[aria-describedby='" + slot.id + "']") : null;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
    return;
  }
  render();
  field("applicationId").focus();
})();
