// Small behaviours shared by every page. No inline handlers: the CSP forbids them.
document.addEventListener("change", (event) => {
  const field = event.target.closest(".js-autosubmit");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// Buttons that destroy or archive something ask first; the text comes from the template.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Filter forms leave empty fields out of the URL, so links and exports stay readable.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.method !== "get" || !form.classList.contains("filter-panel")) {
    return;
  }
  for (const field of form.elements) {
    if (field.name && !field.value) {
      field.disabled = true;
    }
  }
});

// Coming back to a filter page from the browser's history must not leave fields disabled.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll(".filter-panel [disabled]")) {
    field.disabled = false;
  }
});
