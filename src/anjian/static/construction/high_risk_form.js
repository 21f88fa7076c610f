// 危大工程 form: show only the parameters of the chosen category (the fields are named
// p__<category>__<parameter>); without this script every category's parameters show, each
// labelled with its category.
(function () {
  "use strict";
  var select = document.querySelector("[data-high-risk-category]");
  if (!select) return;
  function update() {
    var any = false;
    document.querySelectorAll('[name^="p__"]').forEach(function (input) {
      var row = input.closest(".mb-3") || input.parentElement;
      var shown = input.name.split("__")[1] === select.value;
      row.hidden = !shown;
      any = any || shown;
    });
    var none = document.getElementById("high-risk-no-parameters");
    if (none) none.hidden = !select.value || any;
  }
  select.addEventListener("change", update);
  update();
})();
