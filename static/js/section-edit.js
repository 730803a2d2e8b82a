// CAP Portal, report section page: "Insert" appends an accepted progress narrative to the section's
// narrative. No inline handlers (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-narrative-target]");
  if (!target) return;
  document.querySelectorAll("[data-insert-narrative]").forEach((button) => {
    button.addEventListener("click", () => {
      const block = button.closest("[data-accepted-update]");
      const source = block && block.querySelector("[data-narrative-text]");
      if (!source) return;
      const text = source.textContent.trim();
      const current = target.value.replace(/\s+$/, "");
      target.value = current ? `${current}\n\n${text}` : text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });
});
