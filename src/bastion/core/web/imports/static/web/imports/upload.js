// The imports page: drop a report on the form to choose it; show the new-asset fields only when needed.
"use strict";

(function () {
  function bind() {
    var zone = document.querySelector("[data-dropzone]");
    if (zone) {
      var input = zone.querySelector("input[type=file]");
      var hint = zone.querySelector("[data-dropzone-hint]");
      var show = function () {
        if (hint && input.files.length) { hint.textContent = "Chosen: " + input.files[0].name; }
      };
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("dropzone--over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function () { zone.classList.remove("dropzone--over"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          show();
        }
      });
      input.addEventListener("change", show);
    }
    var asset = document.getElementById("id_asset");
    var fresh = document.querySelector("[data-new-asset]");
    if (asset && fresh) {
      var toggle = function () { fresh.hidden = asset.value !== ""; };
      asset.addEventListener("change", toggle);
      toggle();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
