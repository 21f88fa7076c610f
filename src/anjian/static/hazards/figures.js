// Figures of the hazard list: every chart reads its own scoped JSON endpoint (data-url), so the
// numbers are those the list, the bulletin and the API show. ECharts draws on canvas; tooltips
// use richText mode so no HTML with inline styles is produced (CSP style-src 'self').
(function () {
  "use strict";

  var BLUE = "#0b4f8a";
  var charts = [];

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + r.statusText);
      return r.json();
    });
  }

  var base = {
    textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
    tooltip: { renderMode: "richText", confine: true },
    animation: false,
  };

  function pie(rows, colors, el) {
    var narrow = el.clientWidth < 480;
    var data = rows.filter(function (r) { return r.count > 0; }).map(function (r) {
      var item = { name: r.label, value: r.count };
      if (r.color) item.itemStyle = { color: r.color };
      return item;
    });
    return Object.assign({}, base, {
      tooltip: Object.assign({}, base.tooltip, { trigger: "item", formatter: (el.dataset.textTooltip || "{b}：{c}（{d}）").replace("{d}", "{d}%") }),
      color: colors,
      series: [{
        type: "pie",
        radius: narrow ? ["28%", "50%"] : ["38%", "66%"],
        center: ["50%", "50%"],
        avoidLabelOverlap: true,
        // Long names (English) wrap within the label's width instead of running off the canvas.
        label: { formatter: "{b}\n{c}", width: narrow ? 72 : 140, overflow: "break", fontSize: narrow ? 11 : 12 },
        labelLine: { length: narrow ? 6 : 12, length2: narrow ? 4 : 10 },
        data: data,
      }],
    });
  }

  function bars(rows) {
    rows = rows.slice().reverse();
    return Object.assign({}, base, {
      tooltip: Object.assign({}, base.tooltip, { trigger: "axis" }),
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.count; }), itemStyle: { color: BLUE }, label: { show: true, position: "right" } }],
    });
  }

  function towns(rows, el) {
    rows = rows.slice().reverse();
    return Object.assign({}, base, {
      tooltip: Object.assign({}, base.tooltip, { trigger: "axis" }),
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      series: [
        { name: el.dataset.labelOpen, type: "bar", stack: "n", data: rows.map(function (r) { return r.open; }), itemStyle: { color: "#fd7e14" } },
        { name: el.dataset.labelClosed, type: "bar", stack: "n", data: rows.map(function (r) { return r.closed; }), itemStyle: { color: "#198754" } },
      ],
    });
  }

  function monthly(data, el) {
    return Object.assign({}, base, {
      tooltip: Object.assign({}, base.tooltip, { trigger: "axis" }),
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: el.dataset.labelFound, type: "bar", data: data.found, itemStyle: { color: "#fd7e14" } },
        { name: el.dataset.labelClosed, type: "line", data: data.closed, itemStyle: { color: "#198754" }, lineStyle: { width: 3 } },
      ],
    });
  }

  function option(name, data, el) {
    switch (name) {
      case "by_state": return pie(data, undefined, el);
      case "by_level": return pie(data, ["#6c757d", "#dc3545"], el);
      case "by_sector": return bars(data);
      case "by_town": return towns(data, el);
      case "monthly": return monthly(data, el);
      default: return null;
    }
  }

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (className) td.className = className;
    return td;
  }

  function overdue(table) {
    getJSON(table.dataset.overdueUrl).then(function (body) {
      var tbody = table.querySelector("tbody");
      tbody.textContent = "";
      if (!body.data.length) {
        var tr = document.createElement("tr");
        var td = cell(table.dataset.labelNone, "text-muted");
        td.colSpan = 8;
        tr.append(td);
        tbody.append(tr);
        return;
      }
      body.data.forEach(function (row) {
        var tr = document.createElement("tr");
        var first = document.createElement("td");
        var link = document.createElement("a");
        link.href = row.url;
        link.className = "font-monospace";
        link.textContent = row.number;
        first.append(link);
        tr.append(
          first,
          cell(row.title, "text-wrap"),
          cell(row.level),
          cell(row.deadline),
          cell(row.days_overdue == null ? "—" : row.days_overdue + " " + table.dataset.labelDays, "text-danger fw-semibold"),
          cell(row.town),
          cell(row.responsible_enterprise),
          cell(row.supervising_unit)
        );
        tbody.append(tr);
      });
    }).catch(function (err) {
      table.querySelector("tbody").textContent = String(err);
    });
  }

  ready(function () {
    document.querySelectorAll(".chart[data-url]").forEach(function (el) {
      if (!window.echarts) return;
      var name = el.dataset.chart;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      charts.push(chart);
      getJSON(el.dataset.url).then(function (body) {
        var opt = option(name, body.data, el);
        if (opt) chart.setOption(opt);
        el.setAttribute("data-ready", "1");
      }).catch(function (err) {
        chart.dispose();
        el.textContent = String(err);
      });
    });
    var table = document.querySelector("[data-overdue-url]");
    if (table) overdue(table);
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
