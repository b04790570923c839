/* The charts of the statistics board, drawn with the vendored Chart.js from the figures the page
   embeds (json_script). No build step. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  var colors = { early: "#2e7d32", onTime: "#81c784", late: "#c62828", received: "#1f5c99", overdue: "#e65100", inTime: "#90caf9" };
  var months = read("data-months");
  var el = document.getElementById("chart-months");
  if (months && el) {
    new Chart(el, {
      type: "bar",
      data: {
        labels: months.labels,
        datasets: [
          { type: "line", label: "Tiếp nhận", data: months.received, borderColor: colors.received, backgroundColor: colors.received, tension: 0.2 },
          { label: "Trước hạn", data: months.early, backgroundColor: colors.early, stack: "r" },
          { label: "Đúng hạn", data: months.on_time, backgroundColor: colors.onTime, stack: "r" },
          { label: "Quá hạn", data: months.late, backgroundColor: colors.late, stack: "r" }
        ]
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
    });
  }
  var progress = document.getElementById("chart-progress");
  if (months && progress) {
    var n = months.in_progress.length;
    var total = n ? months.in_progress[n - 1] : 0;
    var overdue = n ? months.overdue[n - 1] : 0;
    new Chart(progress, {
      type: "doughnut",
      data: { labels: ["Trong hạn", "Quá hạn"], datasets: [{ data: [total - overdue, overdue], backgroundColor: [colors.inTime, colors.overdue] }] }
    });
  }
  var units = read("data-units");
  var unitsEl = document.getElementById("chart-units");
  if (units && unitsEl) {
    new Chart(unitsEl, {
      type: "bar",
      data: { labels: units.labels, datasets: [{ label: "Đúng hạn và trước hạn (%)", data: units.on_time_rate, backgroundColor: colors.early }] },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } } }
    });
  }
})();
