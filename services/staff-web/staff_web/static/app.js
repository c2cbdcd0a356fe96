// Small progressive enhancements: every form works without this file.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// Scans dropped on the drop zone go into its file input (several files at once).
document.querySelectorAll("[data-drop-for]").forEach((zone) => {
  const input = document.getElementById(zone.dataset.dropFor);
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    input.files = event.dataTransfer.files;
  });
});
