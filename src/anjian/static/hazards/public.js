// The public report form: a new CAPTCHA image on request (the server keeps the answer).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var img = document.getElementById("captcha-img");
    var button = document.getElementById("captcha-refresh");
    if (!img) return;
    function refresh() {
      img.src = img.dataset.src + "?t=" + Date.now();
    }
    img.addEventListener("click", refresh);
    if (button) button.addEventListener("click", refresh);
  });
})();
