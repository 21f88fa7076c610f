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
  // htmx: show the server's message for a refused request instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    // The page's (translated) words come from data-text-* on <body> (base.html).
    var failed = (document.body.dataset.textRequestFailed || "请求失败（{status}）").replace("{status}", xhr.status);
    window.alert(xhr.responseText && xhr.responseText.length < 300 ? xhr.responseText : failed);
  });
})();
