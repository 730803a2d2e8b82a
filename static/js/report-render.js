/* Render a report and follow the job live. A render form (the button, or "re-render" in the
   versions list) is posted by fetch asking for JSON: the answer (202) is the job, new or the one
   already queued or running. The job is then polled from the API every second: the progress bar
   shows its percentage and step, the render buttons stay disabled while it is queued or running,
   and when it is done its version is added to the versions list, without a reload.
   Plain JS, no dependency; without it the forms post and the page reloads. */
(function () {
  "use strict";
  var box = document.getElementById("render-box");
  if (!box) return;
  var progress = box.querySelector("[data-render-progress]");
  var bar = progress.querySelector(".progress-bar");
  var message = box.querySelector("[data-render-message]");
  var waiting = box.querySelector("[data-render-waiting]");
  var result = box.querySelector("[data-render-result]");
  var d = box.dataset;
  // Day before month, as the server writes dates ("6 Dec 2026"), in English too.
  var language = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang || undefined;
  var following = null; // the id of the job being polled
  var WAITING_HINT_AFTER = 10000; // ms a job may stay queued before the page says no worker took it

  function link(href, label) {
    var a = document.createElement("a");
    a.className = "btn btn-sm btn-outline-success";
    a.href = href;
    a.textContent = label;
    return a;
  }

  function active(job) {
    return job.state === "queued" || job.state === "running";
  }

  function setBusy(busy) {
    document.querySelectorAll("[data-render-form] button[type=submit]").forEach(function (button) {
      button.disabled = busy;
    });
  }

  function formatDate(iso, withTime) {
    var options = { day: "numeric", month: "short", year: "numeric" };
    if (withTime) {
      options.hour = "2-digit";
      options.minute = "2-digit";
      options.hourCycle = "h23";
    } else {
      options.timeZone = "UTC"; // a date without time: show that day wherever the browser is
    }
    try {
      return new Intl.DateTimeFormat(language, options).format(new Date(iso));
    } catch (error) {
      return iso;
    }
  }

  function addVersion(version) {
    var table = document.getElementById("version-table");
    var template = document.getElementById("version-row-template");
    if (!table || !template || table.querySelector('tr[data-version="' + version.id + '"]')) return;
    var row = template.content.firstElementChild.cloneNode(true);
    var field = function (name) { return row.querySelector('[data-field="' + name + '"]'); };
    row.dataset.version = version.id;
    field("compare").value = version.id;
    field("number").textContent = version.number;
    field("rendered_at").textContent = formatDate(version.rendered_at, true);
    field("author").textContent = version.author;
    field("as_of").textContent = formatDate(version.as_of, false);
    field("page_count").textContent = version.page_count;
    field("sha256").textContent = version.sha256.slice(0, 12) + "…";
    field("sha256").title = version.sha256;
    field("pdf").href = d.versionBase + version.id + "/pdf/";
    field("docx").href = d.versionBase + version.id + "/docx/";
    field("preview").href = d.versionBase + version.id + "/";
    var source = field("source_version");
    if (source) {
      source.value = version.id;
      listen(row.querySelector("[data-render-form]"));
    }
    table.tBodies[0].prepend(row);
    var list = document.querySelector("[data-version-list]");
    var empty = document.querySelector("[data-version-empty]");
    if (list) list.hidden = false;
    if (empty) empty.hidden = true;
  }

  function show(job) {
    progress.hidden = false;
    progress.setAttribute("aria-valuenow", job.percent);
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + "%";
    bar.classList.toggle("bg-danger", job.state === "failed");
    bar.classList.toggle("bg-success", job.state === "done");
    bar.classList.toggle("progress-bar-striped", active(job));
    bar.classList.toggle("progress-bar-animated", active(job));
    message.textContent = job.message;
    var queuedFor = Date.now() - Date.parse(job.created);
    waiting.hidden = !(job.state === "queued" && queuedFor > WAITING_HINT_AFTER);
    setBusy(active(job));
    result.replaceChildren();
    if (job.state === "done" && job.version) {
      result.append(link(d.versionBase + job.version.id + "/pdf/", d.labelPdf));
      result.append(link(d.versionBase + job.version.id + "/docx/", d.labelDocx));
      addVersion(job.version);
    } else if (job.state === "failed") {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-sm btn-outline-danger";
      retry.textContent = d.labelRetry;
      retry.addEventListener("click", function () {
        start(d.jobBase + job.id + "/retry/", { "Content-Type": "application/json", "X-CSRFToken": d.csrf }, "{}");
      });
      result.append(retry);
    }
  }

  function follow(job) {
    show(job);
    if (active(job) && following !== job.id) {
      following = job.id;
      window.setTimeout(function () { poll(job.id); }, 1000);
    }
  }

  function poll(id) {
    fetch(d.jobBase + id + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (job) {
        show(job);
        if (active(job)) {
          window.setTimeout(function () { poll(id); }, 1000);
        } else {
          following = null;
        }
      })
      .catch(function () {
        // The server did not answer (restarting?): say so and try again a little later.
        message.textContent = d.labelError;
        window.setTimeout(function () { poll(id); }, 5000);
      });
  }

  function start(url, headers, body) {
    setBusy(true);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign({ Accept: "application/json" }, headers),
      body: body,
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (response.status !== 202 || !data) {
            var detail = data && data.errors && data.errors.length ? data.errors[0].detail : d.labelError;
            throw new Error(detail);
          }
          return data;
        });
      })
      .then(follow)
      .catch(function (error) {
        setBusy(false);
        message.textContent = error.message || d.labelError;
      });
  }

  function listen(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      start(form.action, {}, new FormData(form));
    });
  }

  document.querySelectorAll("[data-render-form]").forEach(listen);
  if (d.jobId) {
    // The page was loaded while a job was queued or running: follow it.
    following = Number(d.jobId);
    setBusy(true);
    poll(following);
  }
})();
