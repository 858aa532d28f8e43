// Roadmap: a print button where JavaScript runs; the browser's own print works without it.
"use strict";

document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
