// The portfolio dashboard's charts (Chart.js, vendored). Data comes from the page's
// <script type="application/json" id="dashboard-data"> (Django's json_script): no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0b6e4f", "#f2a541", "#2e86ab", "#c73e1d", "#6c757d", "#7b2d8b", "#3bb273", "#e15554"];
  const day = (iso) => new Date(iso + "T00:00:00Z").getTime();
  const month = (ms) => new Date(ms).toISOString().slice(0, 7);

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
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, suggestedMax: 100 } } },
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
          tooltip: { callbacks: { label: (ctx) => ctx.raw.map(month).join(" → ") } },
        },
        scales: { x: { min: Math.min(...rows.map((r) => day(r.start))), ticks: { callback: (v) => month(v) } }, y: { stacked: true } },
      },
    });
  }
});
