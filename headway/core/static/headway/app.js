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

// Calendar: drag a piece or a launch onto another day. The move is an ordinary form post to
// the chip's data-move address: a piece moves at once (same time of day); a launch first
// shows what it would move and asks to confirm.
document.addEventListener("dragstart", (event) => {
  const chip = event.target.closest && event.target.closest("[data-move]");
  if (!chip) return;
  event.dataTransfer.setData("text/plain", `${chip.dataset.move}|${chip.dataset.version}`);
});
document.addEventListener("dragover", (event) => {
  const day = event.target.closest && event.target.closest("[data-calendar] [data-day]");
  if (day) event.preventDefault();
});
document.addEventListener("drop", (event) => {
  const day = event.target.closest && event.target.closest("[data-calendar] [data-day]");
  if (!day) return;
  event.preventDefault();
  const [action, version] = event.dataTransfer.getData("text/plain").split("|");
  if (!action || !action.startsWith("/w/")) return;
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
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

// A confirmation ([data-confirm]) cancels with Esc, as its Cancel link does.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const cancel = document.querySelector("[data-confirm] [data-cancel]");
  if (cancel) window.location.assign(cancel.href);
});
