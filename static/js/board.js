// Drag a card to another column to move the deal there. The move itself is the card's own
// form (the same POST the "Move" button sends), so the board works without dragging too.
(() => {
  let dragged = null;

  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest(".board-card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.id);
  });

  document.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    for (const column of document.querySelectorAll(".board-column.drop-target")) {
      column.classList.remove("drop-target");
    }
  });

  document.addEventListener("dragover", (event) => {
    const column = event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.add("drop-target");
  });

  document.addEventListener("dragleave", (event) => {
    const column = event.target.closest(".board-column");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("drop-target");
  });

  document.addEventListener("drop", (event) => {
    const column = event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    const form = dragged.querySelector("form.move-form");
    const stage = column.dataset.stage;
    if (!form || form.elements.to.value === stage) return;
    form.elements.to.value = stage;
    form.requestSubmit();
  });
})();
