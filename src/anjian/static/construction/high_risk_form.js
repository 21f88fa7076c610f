// 危大工程 form: show only the parameters of the chosen category (each parameter input carries
// data-category); without this script every category's parameters show, labelled by category.
(function () {
  "use strict";
  var select = document.querySelector("[data-high-risk-category]");
  if (!select) return;
  function update() {
    document.querySelectorAll("[data-category]").forEach(function (input) {
      var row = input.closest(".mb-3") || input.parentElement;
      var shown = input.getAttribute("data-category") === select.value;
      row.hidden = !shown;
    });
    var none = document.getElementById("high-risk-no-parameters");
    if (none) {
      var any = document.querySelector('[data-category="' + select.value + '"]');
      none.hidden = !select.value || !!any;
    }
  }
  select.addEventListener("change", update);
  update();
})();
