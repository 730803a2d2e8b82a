/* Follow a donor statement while the worker renders it: poll its API record every second, show
   the percentage and step, and reload the page once it is done or failed (the page then offers
   the files). Plain JS, no dependency; without it the page shows the state when loaded. */
(function () {
  "use strict";
  var box = document.getElementById("statement-box");
  if (!box || box.dataset.finished) return;
  var bar = box.querySelector("[data-progress] .progress-bar");
  var progress = box.querySelector("[data-progress]");
  var message = box.querySelector("[data-message]");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (statement) {
        if (!statement) return;
        bar.style.width = statement.percent + "%";
        bar.textContent = statement.percent + "%";
        progress.setAttribute("aria-valuenow", statement.percent);
        message.textContent = statement.message;
        if (statement.state === "done" || statement.state === "failed") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
