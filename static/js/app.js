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
