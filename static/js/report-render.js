/* Render a report and follow the job: POST to the API, then poll the job until done or failed.
   Plain JS, no dependency; the page works without it (the form posts and the page reloads). */
(function () {
  "use strict";
  var box = document.getElementById("render-box");
  if (!box) return;
  var form = box.querySelector("[data-render-form]");
  var progress = box.querySelector("[data-render-progress]");
  var bar = progress.querySelector(".progress-bar");
  var message = box.querySelector("[data-render-message]");
  var result = box.querySelector("[data-render-result]");
  var d = box.dataset;

  function link(href, label) {
    var a = document.createElement("a");
    a.className = "btn btn-sm btn-outline-success";
    a.href = href;
    a.textContent = label;
    return a;
  }

  function show(job) {
    progress.hidden = false;
    progress.setAttribute("aria-valuenow", job.percent);
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + "%";
    bar.classList.toggle("bg-danger", job.state === "failed");
    bar.classList.toggle("bg-success", job.state === "done");
    bar.classList.toggle("progress-bar-striped", job.state === "running" || job.state === "queued");
    bar.classList.toggle("progress-bar-animated", job.state === "running" || job.state === "queued");
    message.textContent = job.message;
    result.replaceChildren();
    if (job.state === "done" && job.version) {
      result.append(link(d.versionBase + job.version.id + "/pdf/", d.labelPdf));
      result.append(link(d.versionBase + job.version.id + "/docx/", d.labelDocx));
    } else if (job.state === "failed") {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-sm btn-outline-danger";
      retry.textContent = d.labelRetry;
      retry.addEventListener("click", function () { start(d.jobBase + job.id + "/retry/"); });
      result.append(retry);
    }
  }

  function poll(id) {
    fetch(d.jobBase + id + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (job) {
        show(job);
        if (job.state === "queued" || job.state === "running") {
          window.setTimeout(function () { poll(id); }, 1000);
        }
      })
      .catch(function () { message.textContent = d.labelError; });
  }

  function start(url) {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": d.csrf },
      body: "{}",
    })
      .then(function (response) { if (response.status !== 202) throw new Error(response.status); return response.json(); })
      .then(function (job) { show(job); if (!(job.state === "done" || job.state === "failed")) poll(job.id); })
      .catch(function () { message.textContent = d.labelError; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    start(d.renderUrl);
  });
  if (d.jobId) poll(d.jobId);
})();
