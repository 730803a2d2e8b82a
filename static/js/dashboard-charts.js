// The portfolio dashboard's charts (Chart.js, vendored). Data comes from the page's
// <script type="application/json" id="dashboard-data"> (Django's json_script): no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0b6e4f", "#f2a541", "#2e86ab", "#c73e1d", "#6c757d", "#7b2d8b", "#3bb273", "#e15554"];
  const day = (iso) => new Date(iso + "T00:00:00Z").getTime();
  // Dates as the UN writes them in the page's language ("15 December 2024", "15 décembre 2024",
  // "15 de diciembre de 2024"); the axis shows months ("Jun 2024").
  const lang = document.documentElement.lang === "en" ? "en-GB" : document.documentElement.lang || "en-GB";
  const fullDate = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const axisMonth = new Intl.DateTimeFormat(lang, { month: "short", year: "numeric", timeZone: "UTC" });
  const date = (ms) => fullDate.format(new Date(ms));
  const month = (ms) => axisMonth.format(new Date(ms));
  // Long Party names ("Lao People's Democratic Republic") wrap over lines instead of being cut.
  const wrap = (label, width = 22) => {
    const lines = [];
    for (const word of String(label).split(" ")) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    }
    return lines;
  };

  const activities = document.getElementById("chart-activities");
  if (activities && data.activities.values.length) {
    new Chart(activities, {
      type: "doughnut",
      data: { labels: data.activities.labels, datasets: [{ data: data.activities.values, backgroundColor: palette }] },
      options: { plugins: { legend: { position: "bottom" } } },
    });
  }

  const absorption = document.getElementById("chart-absorption");
  if (absorption && data.absorption.values.length) {
    new Chart(absorption, {
      type: "bar",
      data: { labels: data.absorption.labels, datasets: [{ data: data.absorption.values, backgroundColor: palette[2] }] },
      options: {
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: {
          x: { beginAtZero: true, suggestedMax: 100 },
          y: { ticks: { autoSkip: false, callback: function (v) { return wrap(this.getLabelForValue(v)); } } },
        },
      },
    });
  }

  const agreements = document.getElementById("chart-agreements");
  if (agreements && data.agreements.length) {
    const rows = data.agreements;
    new Chart(agreements, {
      type: "bar",
      data: {
        labels: rows.map((r) => r.party),
        datasets: [
          { label: source.dataset.original || "", data: rows.map((r) => [day(r.start), day(r.original_end)]), backgroundColor: palette[0] },
          { label: source.dataset.extension || "", data: rows.map((r) => [day(r.original_end), day(r.current_end)]), backgroundColor: palette[1] },
        ],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => ctx.raw.map(date).join(" → ") } },
        },
        scales: {
          x: { min: Math.min(...rows.map((r) => day(r.start))), ticks: { maxRotation: 0, autoSkipPadding: 16, callback: (v) => month(v) } },
          y: { stacked: true, ticks: { autoSkip: false, callback: function (v) { return wrap(this.getLabelForValue(v)); } } },
        },
      },
    });
  }
});
