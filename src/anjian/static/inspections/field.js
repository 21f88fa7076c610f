// The field page: the browser's position (optional) goes into every photo/finding form's hidden fields.
(function () {
  "use strict";
  var status = document.querySelector("[data-geo-status]");
  function say(text) { if (status) { status.textContent = text; } }
  if (!("geolocation" in navigator)) { say("定位：浏览器不支持"); return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    var c = pos.coords;
    document.querySelectorAll("[data-geo-form]").forEach(function (form) {
      form.querySelector("[data-geo=lat]").value = c.latitude.toFixed(6);
      form.querySelector("[data-geo=lng]").value = c.longitude.toFixed(6);
      form.querySelector("[data-geo=accuracy]").value = Math.round(c.accuracy);
    });
    say("定位：" + c.latitude.toFixed(5) + ", " + c.longitude.toFixed(5) + "（±" + Math.round(c.accuracy) + " 米）");
  }, function (err) {
    say("定位：未获取（" + (err && err.message ? err.message : "已拒绝") + "），照片仍可上传");
  }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
})();
