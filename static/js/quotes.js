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

// The quote form: typing in a line's description offers the catalogue's products (SKU or
// name, at most 50, from products:search); picking one fills the line's product, name,
// unit, price and tax rate. Typing on after that keeps the text and drops the product.
const productSearch = { timer: null, request: 0 };

function lineRow(element) {
  return element.closest("tr");
}

function closeSuggestions(row) {
  row?.querySelector(".product-suggestions")?.remove();
}

function pickProduct(row, product) {
  row.querySelector(".js-line-product").value = product.id;
  row.querySelector(".js-line-description").value = product.name;
  row.querySelector(".js-line-unit").value = product.unit;
  row.querySelector(".js-line-unit-price").value = product.list_price;
  row.querySelector(".js-line-tax-rate").value = product.tax_rate;
  const quantity = row.querySelector(".js-line-quantity");
  if (!quantity.value) {
    quantity.value = "1";
  }
  row.querySelector(".js-line-description").dataset.picked = product.name;
  closeSuggestions(row);
  quantity.focus();
}

function showSuggestions(input, products) {
  const row = lineRow(input);
  closeSuggestions(row);
  if (!products.length) {
    return;
  }
  const list = document.createElement("div");
  list.className = "product-suggestions list-group position-absolute shadow-sm";
  list.setAttribute("role", "listbox");
  for (const product of products) {
    const option = document.createElement("button");
    option.type = "button";
    option.className = "list-group-item list-group-item-action py-1 small";
    option.setAttribute("role", "option");
    option.textContent = `${product.sku} · ${product.name}`;
    option.addEventListener("click", () => pickProduct(row, product));
    list.append(option);
  }
  input.parentElement.classList.add("position-relative");
  input.after(list);
}

document.addEventListener("input", (event) => {
  const input = event.target.closest(".js-line-description");
  if (!input) {
    return;
  }
  const row = lineRow(input);
  if (input.dataset.picked !== undefined && input.value !== input.dataset.picked) {
    // The text no longer is the product's name: a free-text line (prices stay as typed).
    row.querySelector(".js-line-product").value = "";
    delete input.dataset.picked;
  }
  clearTimeout(productSearch.timer);
  const term = input.value.trim();
  if (!term) {
    closeSuggestions(row);
    return;
  }
  productSearch.timer = setTimeout(async () => {
    const request = ++productSearch.request;
    const url = `${input.dataset.searchUrl}?q=${encodeURIComponent(term)}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || request !== productSearch.request) {
      return;
    }
    const data = await response.json();
    showSuggestions(input, data.results);
  }, 200);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    closeSuggestions(lineRow(event.target));
  }
});
