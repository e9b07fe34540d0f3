// The findings list: keyboard navigation (j/k move, on to the next or previous page at either end; x selects;
// Enter opens), selection, bulk confirmation.
// Bound from data attributes (CSP: no inline script, no on* attribute).
"use strict";

(function () {
  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) &&
      !(target.tagName === "INPUT" && target.type === "checkbox");
  }

  ready(function () {
    var table = document.querySelector("[data-findings-table]");
    var rows = table ? Array.prototype.slice.call(table.querySelectorAll("[data-finding-row]")) : [];
    var bulkForm = document.querySelector("[data-bulk-form]");
    var count = document.querySelector("[data-bulk-count]");
    var summary = document.querySelector("[data-bulk-summary]");
    var actionSelect = document.querySelector("[data-bulk-action]");
    var selectAll = document.querySelector("[data-select-all]");
    var nextPage = document.querySelector("[data-page-next]");
    var previousPage = document.querySelector("[data-page-previous]");
    var active = -1;
    // Where j past the last row or k before the first one lands on the page it opens.
    var ARRIVE_AT_FIRST = "#first-row";
    var ARRIVE_AT_LAST = "#last-row";

    function boxes() {
      return rows.map(function (row) { return row.querySelector("[data-select-row]"); }).filter(Boolean);
    }

    function selected() {
      return boxes().filter(function (box) { return box.checked; });
    }

    function refreshCount() {
      if (!count) { return; }
      var n = selected().length;
      count.textContent = n === 0 ? "No finding selected." : n + (n === 1 ? " finding selected." : " findings selected.");
      rows.forEach(function (row) {
        var box = row.querySelector("[data-select-row]");
        row.classList.toggle("is-selected", Boolean(box && box.checked));
      });
      if (selectAll) {
        selectAll.checked = n > 0 && n === boxes().length;
        selectAll.indeterminate = n > 0 && n < boxes().length;
      }
    }

    function activate(index) {
      if (rows.length === 0) { return; }
      active = Math.max(0, Math.min(rows.length - 1, index));
      rows.forEach(function (row, i) { row.classList.toggle("is-active", i === active); });
      var link = rows[active].querySelector("[data-finding-link]");
      if (link) { link.focus(); }
      rows[active].scrollIntoView({ block: "nearest" });
    }

    function rowIndexOf(element) {
      for (var i = 0; i < rows.length; i += 1) {
        if (rows[i].contains(element)) { return i; }
      }
      return active;
    }

    function showActionFields() {
      if (!actionSelect) { return; }
      bulkForm.querySelectorAll("[data-bulk-for]").forEach(function (field) {
        field.hidden = field.getAttribute("data-bulk-for") !== actionSelect.value;
      });
    }

    function describe() {
      var n = selected().length;
      var what = n + (n === 1 ? " finding" : " findings");
      var action = actionSelect ? actionSelect.value : "";
      var text;
      if (action === "transition") {
        var status = bulkForm.querySelector("[name=status]");
        text = "Move " + what + " to " + (status.selectedIndex > 0 ? status.options[status.selectedIndex].text : "(no status chosen)") + ".";
      } else if (action === "assign") {
        var assignee = bulkForm.querySelector("[name=assignee]");
        text = "Assign " + what + " to " + (assignee.selectedIndex > 0 ? assignee.options[assignee.selectedIndex].text : "(nobody chosen)") + ".";
      } else {
        text = "Add the tags \u201c" + bulkForm.querySelector("[name=tags]").value + "\u201d to " + what + ".";
      }
      summary.textContent = n === 0 ? "No finding is selected: select rows first (x or the checkboxes)." : text + " All or none.";
    }

    boxes().forEach(function (box) { box.addEventListener("change", refreshCount); });
    if (selectAll) {
      selectAll.addEventListener("change", function () {
        boxes().forEach(function (box) { box.checked = selectAll.checked; });
        refreshCount();
      });
    }
    if (bulkForm) {
      showActionFields();
      actionSelect.addEventListener("change", showActionFields);
      var review = bulkForm.querySelector("[data-bulk-review]");
      review.addEventListener("click", describe);
    }
    refreshCount();

    if (rows.length > 0 && (window.location.hash === ARRIVE_AT_FIRST || window.location.hash === ARRIVE_AT_LAST)) {
      activate(window.location.hash === ARRIVE_AT_FIRST ? 0 : rows.length - 1);
      // The mark has done its work: a reload or a shared address starts at the top again.
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }

    // Empty filters stay out of the address, so a filtered list's URL is short enough to share.
    var filters = document.querySelector("[data-filter-form]");
    if (filters) {
      filters.addEventListener("submit", function () {
        filters.querySelectorAll("input:not([type=checkbox]), select").forEach(function (control) {
          if (control.value === "") { control.disabled = true; }
        });
      });
    }

    document.addEventListener("keydown", function (event) {
      if (rows.length === 0 || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) { return; }
      if (document.querySelector("dialog[open]")) { return; }
      if (event.key === "j") {
        event.preventDefault();
        var below = active < 0 ? 0 : rowIndexOf(document.activeElement) + 1;
        if (below >= rows.length && nextPage) {
          window.location.assign(nextPage.href + ARRIVE_AT_FIRST);
        } else {
          activate(below);
        }
      } else if (event.key === "k") {
        event.preventDefault();
        var above = active < 0 ? 0 : rowIndexOf(document.activeElement) - 1;
        if (above < 0 && previousPage) {
          window.location.assign(previousPage.href + ARRIVE_AT_LAST);
        } else {
          activate(above);
        }
      } else if (event.key === "x" && active >= 0) {
        var box = rows[rowIndexOf(document.activeElement)].querySelector("[data-select-row]");
        if (box) {
          event.preventDefault();
          box.checked = !box.checked;
          refreshCount();
        }
      } else if (event.key === "Enter" && active >= 0 && !event.target.closest("a")) {
        var link = rows[rowIndexOf(document.activeElement)].querySelector("[data-finding-link]");
        if (link) { event.preventDefault(); link.click(); }
      }
    });
  });
})();
