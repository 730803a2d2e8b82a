// CAP Portal: small behaviours, no inline handlers (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Submit a form as soon as one of its [data-autosubmit] controls changes (language switcher).
  document.querySelectorAll("[data-autosubmit]").forEach((control) => {
    control.addEventListener("change", () => control.form.submit());
  });
});
