// 挂图作战: a row opens its task; a changed filter applies at once. Loaded with defer; no inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr.task-row[data-href]");
    if (!row || event.target.closest("a, button, input, select")) {
      return;
    }
    window.location.href = row.getAttribute("data-href");
  });
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
