// The scan and schedule forms: only the chosen target kind's engines and options show, and only they are sent.
"use strict";

(function () {
  // A form marked data-scan-form holds groups marked data-scan-kind="<kind>"; a disabled fieldset sends nothing.
  function bindKinds(root) {
    root.querySelectorAll("form[data-scan-form]").forEach(function (form) {
      var kind = form.querySelector("select[name=kind]");
      if (!kind || form.dataset.kindsBound) { return; }
      form.dataset.kindsBound = "true";
      function show() {
        form.querySelectorAll("[data-scan-kind]").forEach(function (group) {
          var fits = group.getAttribute("data-scan-kind") === kind.value;
          group.hidden = !fits;
          group.disabled = !fits;
        });
      }
      kind.addEventListener("change", show);
      show();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindKinds(document); });
  } else {
    bindKinds(document);
  }
})();
