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
  // On a phone: the quarter switch shows that quarter's three months.
  document.querySelectorAll(".quarter-switch button[data-quarter]").forEach(function (button) {
    button.addEventListener("click", function () {
      var board = document.querySelector("table.board");
      if (board) board.setAttribute("data-quarter", button.getAttribute("data-quarter"));
      button.parentNode.querySelectorAll("button").forEach(function (other) {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
    });
  });
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
})();
