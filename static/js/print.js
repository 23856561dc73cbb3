// Printable documents (templates/documents/base.html). No inline handlers: the CSP forbids them.

// "Print" opens the browser's print dialogue.
document.addEventListener("click", (event) => {
  if (event.target.closest(".js-print")) {
    window.print();
  }
});
