// Koers: small enhancements; every page works without this file.
"use strict";

// Ask before a destructive form is sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Scope canvas: drag a card to another column or place; saved by the same move URL.
function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function setUpCanvas(canvas) {
  let dragged = null;
  canvas.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".scope-card");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.item);
  });
  canvas.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    canvas.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
  });
  canvas.querySelectorAll("[data-column]").forEach((column) => {
    column.addEventListener("dragover", (event) => {
      event.preventDefault();
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", () => column.classList.remove("drop-target"));
    column.addEventListener("drop", async (event) => {
      event.preventDefault();
      column.classList.remove("drop-target");
      if (!dragged) return;
      const cards = [...column.querySelectorAll(".scope-card:not(.dragging)")];
      const after = cards.find((card) => {
        const box = card.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      const position = after ? cards.indexOf(after) : cards.length;
      const body = new URLSearchParams({ column: column.dataset.column, position: String(position) });
      const response = await fetch(dragged.dataset.moveUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) window.alert(canvas.dataset.moveFailed);
      window.location.reload();
    });
  });
}

document.querySelectorAll("[data-canvas]").forEach(setUpCanvas);
