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

  // <input data-picker-url data-picker-for="ID">: the words typed ask the server for the matching
  // options of <select id="ID">; its empty option and the chosen one stay (core/web/pickers.py).
  function bindPickers(root) {
    root.querySelectorAll("input[data-picker-url]").forEach(function (search) {
      var select = document.getElementById(search.getAttribute("data-picker-for"));
      if (!select || search.dataset.bound) { return; }
      search.dataset.bound = "true";
      var timer = null;
      var asked = 0;
      function refresh() {
        var ticket = ++asked;
        var url = search.getAttribute("data-picker-url") + "&q=" + encodeURIComponent(search.value.trim());
        fetch(url, { credentials: "same-origin" }).then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        }).then(function (html) {
          if (ticket !== asked) { return; }  // a later search has been asked for meanwhile
          var found = document.createElement("select");
          found.innerHTML = html;
          var kept = Array.prototype.filter.call(select.options, function (option) {
            return option.value === "" || option.selected;
          });
          var keptValues = kept.map(function (option) { return option.value; });
          select.replaceChildren.apply(select, kept);
          Array.prototype.forEach.call(found.querySelectorAll("option"), function (option) {
            if (keptValues.indexOf(option.value) === -1 || option.value === "") {
              if (option.value !== "" || option.disabled) { select.appendChild(option); }
            }
          });
        }).catch(function () { /* the select keeps its options; the form still works */ });
      }
      search.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, 250);
      });
      // Enter in the search box must not submit the form with half-typed words.
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); refresh(); }
      });
    });
  }

  function bind(root) {
    bindAutoSubmit(root);
    bindPickers(root);
    bindDialogs(root);
    drawCharts(root);
  }

  ready(function () { bind(document); });
  // Content htmx swaps in gets the same behaviour (the body itself was bound when the page was ready).
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { bind(event.target); }
  });
})();
