// A queued import's page (templates/common/import_job.html): polls the job's progress and moves the
// bar; when the job has ended, fetches the page's job part again (the result) and swaps it in.
// The progress is asked for without cookies: that request touches neither the session nor the
// database, so it is answered while the import's transaction holds SQLite's one writer.
(function () {
  "use strict";
  var EVERY = 1000;

  function label(box, state) {
    var template = state.phase === "rows" ? box.dataset.labelRows
      : state.phase === "read" ? box.dataset.labelRead : box.dataset.labelQueued;
    return template.replace("{done}", String(state.done)).replace("{total}", String(state.total));
  }

  function show(box, state) {
    var bar = box.querySelector(".progress");
    var percent = Math.max(0, Math.min(100, state.percent));
    if (bar) {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.querySelector(".progress-bar").style.width = percent + "%";
    }
    var text = box.querySelector("[data-progress-label]");
    if (text && state.phase) text.textContent = label(box, state);
    var status = box.querySelector("[data-progress-status]");
    var statusLabel = state.status === "running" ? box.dataset.statusRunning : box.dataset.statusQueued;
    if (status && state.status && statusLabel) status.textContent = statusLabel;
  }

  function swap(box) {
    fetch(box.dataset.resultUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        box.replaceWith(fresh);
        start(fresh);
      })
      .catch(function () { window.location.reload(); });
  }

  function start(box) {
    if (!box || !box.hasAttribute("data-import-job")) return;
    var bar = box.querySelector(".progress");
    if (bar) bar.querySelector(".progress-bar").style.width = (bar.dataset.percent || "0") + "%";
    function tick() {
      fetch(box.dataset.progressUrl, { credentials: "omit", cache: "no-store" })
        .then(function (r) {
          if (r.status === 404) return { finished: true };
          return r.ok ? r.json() : Promise.reject(r.status);
        })
        .then(function (state) {
          if (state.finished) {
            if (state.phase) show(box, state);
            swap(box);
          } else {
            show(box, state);
            window.setTimeout(tick, EVERY);
          }
        })
        .catch(function () { window.setTimeout(tick, EVERY * 3); });
    }
    window.setTimeout(tick, EVERY / 2);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-import-job]").forEach(start);
  });
})();
