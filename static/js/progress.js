// Progress bars carry their width in data-percent (the page's CSP forbids inline styles);
// set it on load and whenever htmx brings a new part of the page.
(function () {
  function widen(root) {
    root.querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
      bar.style.width = bar.dataset.percent + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { widen(document); });
  document.addEventListener("htmx:load", function (event) { widen(event.detail.elt); });
})();
