// Koers: small enhancements; every page works without this file.
"use strict";

// Ask before a destructive form is sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form sent back with problems: its summary takes the focus, and the page title says so.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  document.title = `${summary.dataset.titlePrefix}: ${document.title}`;
  summary.focus();
}

// Menus (details.menu) close on Escape, with the focus back on their button, and when the
// focus or a click goes elsewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.open = false;
    if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
  });
});
["focusin", "click"].forEach((kind) => {
  document.addEventListener(kind, (event) => {
    document.querySelectorAll("details.menu[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
});

// On a narrow screen the workspace's navigation folds behind a menu button (without this
// file it stays open).
const navToggle = document.querySelector(".nav-toggle");
if (navToggle) {
  const nav = document.getElementById(navToggle.getAttribute("aria-controls"));
  document.documentElement.classList.add("has-nav-toggle");
  navToggle.hidden = false;
  navToggle.addEventListener("click", () => {
    const open = navToggle.getAttribute("aria-expanded") !== "true";
    navToggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
}

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

// Copy buttons: `data-copy` names the element whose text is copied; hidden without JS.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.hidden = !navigator.clipboard;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    await navigator.clipboard.writeText(source.textContent.trim());
    const label = button.textContent;
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});

// A "tick everyone on this page" box: `data-check-all` names the checkboxes it ticks.
document.querySelectorAll("input[data-check-all]").forEach((all) => {
  const boxes = () => all.form.querySelectorAll(`input[name="${all.dataset.checkAll}"]`);
  all.hidden = false;
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
});

// "Add a row" for a Django formset: `data-add-form` names the rows' box, `data-template` the
// <template> holding the empty form, `data-prefix` the formset's prefix. Without this file
// the form keeps its empty rows.
document.querySelectorAll("button[data-add-form]").forEach((button) => {
  const box = document.getElementById(button.dataset.addForm);
  const template = document.getElementById(button.dataset.template);
  const total = document.getElementById(`id_${button.dataset.prefix}-TOTAL_FORMS`);
  const max = document.getElementById(`id_${button.dataset.prefix}-MAX_NUM_FORMS`);
  if (!box || !template || !total) return;
  const full = () => max && Number(total.value) >= Number(max.value);
  button.hidden = full();
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    box.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    box.lastElementChild.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    button.hidden = full();
  });
});
