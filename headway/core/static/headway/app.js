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

// Calendar: drag a piece onto another day to move its slot there (same time of day). The
// move is an ordinary form post, so the page shows the result or the reason it was refused.
document.addEventListener("dragstart", (event) => {
  const chip = event.target.closest && event.target.closest("[data-piece]");
  if (!chip) return;
  event.dataTransfer.setData("text/plain", `${chip.dataset.piece}:${chip.dataset.version}`);
});
document.addEventListener("dragover", (event) => {
  const day = event.target.closest && event.target.closest("[data-day]");
  if (day) event.preventDefault();
});
document.addEventListener("drop", (event) => {
  const day = event.target.closest && event.target.closest("[data-day]");
  const grid = day && day.closest("[data-move-base]");
  if (!grid) return;
  event.preventDefault();
  const [piece, version] = event.dataTransfer.getData("text/plain").split(":");
  if (!piece) return;
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const form = document.createElement("form");
  form.method = "post";
  form.action = `${grid.dataset.moveBase}${piece}/move/`;
  const fields = {csrfmiddlewaretoken: headers["X-CSRFToken"], day: day.dataset.day, version, next: location.pathname + location.search};
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
});
