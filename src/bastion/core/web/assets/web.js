// Bastion's web application: behaviour bound from data attributes (no inline script, no on* attribute: CSP).
"use strict";

(function () {
  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  // A form marked data-auto-submit submits when a select changes; its button is for use without JS.
  function bindAutoSubmit(root) {
    root.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.querySelectorAll("[data-hide-with-js]").forEach(function (button) { button.hidden = true; });
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { form.requestSubmit(); });
      });
    });
  }

  // A button data-dialog-open="ID" opens the <dialog id="ID">; data-dialog-close closes its dialog.
  function bindDialogs(root) {
    root.querySelectorAll("[data-dialog-open]").forEach(function (button) {
      button.addEventListener("click", function () {
        var dialog = document.getElementById(button.getAttribute("data-dialog-open"));
        if (dialog) { dialog.showModal(); }
      });
    });
    root.querySelectorAll("[data-dialog-close]").forEach(function (button) {
      button.addEventListener("click", function () { button.closest("dialog").close(); });
    });
  }

  // Severity-independent series styles: the second series is dashed, so colour is not the only cue.
  var SERIES_STYLES = [
    { borderColor: "#1f5fbf", backgroundColor: "#1f5fbf", borderDash: [], pointStyle: "circle" },
    { borderColor: "#1d6b3a", backgroundColor: "#1d6b3a", borderDash: [6, 4], pointStyle: "rectRot" },
  ];

  // <canvas data-chart="ID" data-chart-kind="line|bar"> draws the JSON in <script id="ID" type="application/json">.
  function drawCharts(root) {
    if (typeof window.Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source || canvas.dataset.drawn) { return; }
      var data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "true";
      new window.Chart(canvas, {
        type: canvas.getAttribute("data-chart-kind") || "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, index) {
            var style = SERIES_STYLES[index % SERIES_STYLES.length];
            return Object.assign({ label: series.label, data: series.data, tension: 0, pointRadius: 4 }, style);
          }),
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { labels: { usePointStyle: true } } },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
  }

  function bind(root) {
    bindAutoSubmit(root);
    bindDialogs(root);
    drawCharts(root);
  }

  ready(function () { bind(document); });
  // Content htmx swaps in gets the same behaviour (the body itself was bound when the page was ready).
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { bind(event.target); }
  });
})();
