// Anjian — small behaviours shared by every page. Loaded with defer; no inline script (CSP).
(function () {
  "use strict";
  // Ask before a destructive POST (buttons with data-confirm).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Dates: a picker that shows and writes yyyy-mm-dd whatever the browser's locale (a native
  // <input type="date"> reads 12/03/2026 in an en-US browser). Typing a date works too, and closes it.
  function datePickers(root) {
    if (!window.flatpickr) {
      return;
    }
    var zh = (document.documentElement.lang || "").indexOf("zh") === 0 && window.flatpickr.l10ns.zh;
    root.querySelectorAll('input[type="date"]').forEach(function (input) {
      input.type = "text";
      input.inputMode = "numeric";
      input.autocomplete = "off";
      input.placeholder = input.placeholder || "yyyy-mm-dd";
      input.classList.add("date-input");
      var picker = window.flatpickr(input, {
        dateFormat: "Y-m-d",
        allowInput: true,
        disableMobile: true,
        // Weeks start on Monday (GB/T 7408), in either language.
        locale: Object.assign({}, zh || window.flatpickr.l10ns.default, { firstDayOfWeek: 1 }),
        minDate: input.min || null,
        maxDate: input.max || null,
      });
      input.addEventListener("input", function () {
        picker.close();
      });
    });
  }
  datePickers(document);
  document.addEventListener("htmx:load", function (event) {
    datePickers(event.target);
  });
  // htmx: show the server's message for a refused request instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    // The page's (translated) words come from data-text-* on <body> (base.html).
    var failed = (document.body.dataset.textRequestFailed || "请求失败（{status}）").replace("{status}", xhr.status);
    window.alert(xhr.responseText && xhr.responseText.length < 300 ? xhr.responseText : failed);
  });
})();
