// /code-analysis/: send the code to the agent's POST /agent/v1/analyze with the session cookie and
// the CSRF header, then draw the answer (text only: nothing from the answer is parsed as HTML).
(function () {
  "use strict";

  var EXTENSIONS = { py: "python", js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript",
    ts: "typescript", tsx: "typescript", java: "java", go: "go" };
  var SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function badge(severity) {
    return element("span", "badge badge--" + severity, severity.charAt(0).toUpperCase() + severity.slice(1));
  }

  function errorText(status, body) {
    var detail = body && body.detail;
    if (Array.isArray(detail)) {
      detail = detail.map(function (item) { return item.msg || String(item); }).join("; ");
    }
    if (status === 401) { return "Your session has ended: sign in again."; }
    if (status === 403) { return "Refused: " + (detail || "you may not do this."); }
    if (status === 404) { return "Not found: " + (detail || "the asset is out of reach."); }
    if (status === 429) { return "Too many analyses: wait a minute and try again."; }
    return "The analysis failed (" + status + ")" + (detail ? ": " + detail : ".");
  }

  function drawListing(listing, code, vulnerabilities) {
    var marked = {};
    vulnerabilities.forEach(function (v) {
      for (var line = v.line_start; line <= Math.max(v.line_start, v.line_end); line += 1) {
        var current = marked[line];
        if (!current || SEVERITY_ORDER.indexOf(v.severity) < SEVERITY_ORDER.indexOf(current)) {
          marked[line] = v.severity;
        }
      }
    });
    listing.replaceChildren();
    code.split("\n").forEach(function (text, index) {
      var number = index + 1;
      var row = element("span", "line" + (marked[number] ? " line--marked line--" + marked[number] : ""));
      row.id = "line-" + number;
      row.appendChild(element("span", "line__number", number));
      if (marked[number]) {
        row.appendChild(element("span", "visually-hidden", " " + marked[number] + " problem: "));
        row.setAttribute("data-severity", marked[number]);
      }
      row.appendChild(element("span", "line__text", text + "\n"));
      listing.appendChild(row);
    });
  }

  // The data flow of a taint finding: where the input enters, each variable it passes, the sink.
  var STEP_NAMES = { source: "enters", step: "passes", sink: "reaches the sink" };

  function drawTrace(trace) {
    var flow = element("ol", "vuln__trace");
    flow.setAttribute("aria-label", "Data flow");
    trace.forEach(function (step) {
      var entry = element("li", "vuln__step vuln__step--" + step.kind);
      var link = element("a", null, "line " + step.line);
      link.href = "#line-" + step.line;
      entry.appendChild(link);
      entry.appendChild(document.createTextNode(" " + (STEP_NAMES[step.kind] || step.kind) + (step.code ? ": " : "")));
      if (step.code) { entry.appendChild(element("code", null, step.code)); }
      flow.appendChild(entry);
    });
    return flow;
  }

  function drawResults(result, code) {
    document.getElementById("analysis-empty").hidden = true;
    document.getElementById("analysis-results").hidden = false;
    var risk = document.getElementById("analysis-risk");
    risk.replaceChildren(element("span", "risk__label", "Risk score "),
      element("strong", "risk__value", result.risk_score.toFixed(1)), element("span", "muted", " / 10"));
    var vulns = document.getElementById("analysis-vulns");
    vulns.replaceChildren();
    if (result.vulnerabilities.length === 0) {
      vulns.appendChild(element("li", "muted", "No problem found by the engines."));
    }
    result.vulnerabilities.forEach(function (v) {
      var item = element("li", "vuln");
      var head = element("p", "vuln__head");
      head.appendChild(badge(v.severity));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(element("strong", null, v.title));
      var lines = v.line_end > v.line_start ? "lines " + v.line_start + "–" + v.line_end : "line " + v.line_start;
      var link = element("a", null, lines);
      link.href = "#line-" + v.line_start;
      head.appendChild(document.createTextNode(" · "));
      head.appendChild(link);
      head.appendChild(element("span", "muted", " · " + v.source + (v.cwe ? " · " + v.cwe : "") + " · " + v.rule_id));
      item.appendChild(head);
      item.appendChild(element("p", null, v.message));
      if (v.trace && v.trace.length) { item.appendChild(drawTrace(v.trace)); }
      if (v.fix) {
        var fix = element("p", "vuln__fix");
        fix.appendChild(element("strong", null, "Fix: "));
        fix.appendChild(document.createTextNode(v.fix));
        item.appendChild(fix);
      }
      if (v.likely_false_positive) { item.appendChild(element("p", "muted", "Likely a false positive" + (v.model_note ? ": " + v.model_note : "."))); }
      vulns.appendChild(item);
    });
    var recommendations = document.getElementById("analysis-recommendations");
    recommendations.replaceChildren();
    (result.recommendations.length ? result.recommendations : ["Nothing to recommend."]).forEach(function (text) {
      recommendations.appendChild(element("li", null, text));
    });
    var imported = document.getElementById("analysis-import");
    imported.hidden = !result.import_id;
    if (result.import_id) {
      imported.textContent = "Imported: the results are queued as the asset's findings (import " + result.import_id + ").";
    }
    document.getElementById("analysis-engines").textContent = "Engines: " + result.engines.map(function (e) {
      return e.name + " " + e.findings + (e.error ? " (failed: " + e.error + ")" : "");
    }).join(", ") + (result.model ? "; reviewed by " + result.model : "") + ".";
    drawListing(document.getElementById("analysis-listing"), code, result.vulnerabilities);
  }

  function start() {
    var form = document.getElementById("analysis-form");
    if (!form) { return; }
    var code = document.getElementById("analysis-code");
    var language = document.getElementById("analysis-language");
    var file = document.getElementById("analysis-file");
    var status = document.getElementById("analysis-status");
    var button = document.getElementById("analysis-run");
    var fileName = null;

    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) { return; }
      if (chosen.size > Number(form.getAttribute("data-max-bytes"))) {
        status.textContent = "This file is too large to analyse.";
        return;
      }
      fileName = chosen.name;
      var extension = chosen.name.split(".").pop().toLowerCase();
      if (EXTENSIONS[extension]) { language.value = EXTENSIONS[extension]; }
      chosen.text().then(function (text) { code.value = text; status.textContent = chosen.name + " loaded."; });
    });
    code.addEventListener("input", function () { fileName = null; });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!code.value.trim()) { status.textContent = "Paste some code first."; code.focus(); return; }
      var body = { code: code.value, language: language.value };
      if (fileName && /^[^\/\\]+$/.test(fileName)) { body.filename = fileName; }
      var asset = document.getElementById("analysis-asset").value;
      if (asset) { body.asset = Number(asset); }
      var sent = code.value;
      button.disabled = true;
      status.textContent = "Analysing…";
      fetch(form.getAttribute("data-analyze-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value
        },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () { return null; }).then(function (data) {
          if (!response.ok) { throw new Error(errorText(response.status, data)); }
          return data;
        });
      }).then(function (result) {
        drawResults(result, sent);
        var count = result.vulnerabilities.length;
        status.textContent = count + (count === 1 ? " problem found." : " problems found.");
      }).catch(function (error) {
        status.textContent = error.message || "The analysis failed.";
      }).finally(function () {
        button.disabled = false;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
