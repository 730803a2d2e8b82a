// CAP Portal: small behaviours, no inline handlers (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Submit a form as soon as one of its [data-autosubmit] controls changes (language switcher).
  document.querySelectorAll("[data-autosubmit]").forEach((control) => {
    control.addEventListener("change", () => control.form.submit());
  });

  // A table wider than the screen scrolls in its own box: keyboard users must be able to reach
  // that box to scroll it (WCAG 2.1.1), so it takes focus only while it actually scrolls.
  // Tables written without a scrolling box (help pages from Markdown, detail pages) get one.
  document.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.replaceWith(box);
    box.appendChild(table);
  });
  const focusableWhenScrolling = () => {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  };
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
});
