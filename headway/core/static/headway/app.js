// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-copy]");
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.textContent.trim()).then(() => {
    target.setAttribute("data-copied", "true");
    target.title = "Copied";
  });
});

// Board: drag a card onto a column to move it. The card's own Move form does the work, so
// dragging and the keyboard path send the same request.
document.addEventListener("dragstart", (event) => {
  const card = event.target.closest && event.target.closest("[data-task]");
  if (!card) return;
  event.dataTransfer.setData("text/plain", card.dataset.task);
  event.dataTransfer.effectAllowed = "move";
});
document.addEventListener("dragover", (event) => {
  const column = event.target.closest && event.target.closest("[data-status]");
  if (!column) return;
  event.preventDefault();
  column.classList.add("drop-target");
});
document.addEventListener("dragleave", (event) => {
  const column = event.target.closest && event.target.closest("[data-status]");
  if (column) column.classList.remove("drop-target");
});
document.addEventListener("drop", (event) => {
  const column = event.target.closest && event.target.closest("[data-status]");
  if (!column) return;
  event.preventDefault();
  column.classList.remove("drop-target");
  const card = document.querySelector(`[data-task="${event.dataTransfer.getData("text/plain")}"]`);
  const form = card && card.querySelector(".move-form");
  if (!form) return;
  form.querySelector("select[name=status]").value = column.dataset.status;
  form.requestSubmit();
});
