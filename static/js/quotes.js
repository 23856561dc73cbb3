// Quote pages. No inline handlers: the CSP forbids them.

// The quote form: "Add line" appends a copy of the formset's empty row.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".js-add-line");
  if (!button) {
    return;
  }
  const formset = document.getElementById(button.dataset.formset);
  const total = formset.querySelector(`input[name="${button.dataset.formset}-TOTAL_FORMS"]`);
  const template = document.getElementById("line-template");
  const index = Number(total.value);
  if (index >= Number(formset.dataset.max)) {
    button.disabled = true;
    return;
  }
  const row = template.innerHTML.replaceAll("__prefix__", String(index));
  formset.querySelector("tbody").insertAdjacentHTML("beforeend", row);
  total.value = String(index + 1);
  formset.querySelector("tbody tr:last-child input:not([type=hidden])")?.focus();
});
