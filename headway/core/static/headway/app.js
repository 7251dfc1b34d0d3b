// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-copy]");
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.textContent.trim()).then(() => {
    target.setAttribute("data-copied", "true");
    target.title = "Copied";
  });
});
