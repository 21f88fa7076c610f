// Charts of the work plan (ECharts, served locally). Each chart fetches its scoped JSON endpoint named
// in data-src; no inline script (CSP script-src 'self').
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var charts = [];
  // The page's own (translated) words, from data-text-* attributes.
  var texts = (document.querySelector(".chart-texts") || document.body).dataset;
  function t(key, fallback) { return texts["text" + key.charAt(0).toUpperCase() + key.slice(1)] || fallback; }

  function narrow() {
    return window.innerWidth < 576;
  }

  // How many rows a plain legend of these names wraps to in el (English names are longer than
  // Chinese ones): the grid starts below them, so no legend entry or axis name is covered.
  function legendRows(el, names) {
    var ctx = document.createElement("canvas").getContext("2d");
    ctx.font = "12px " + FONT;
    var width = el.clientWidth - 20;
    var rows = 1;
    var line = 0;
    names.forEach(function (name) {
      var item = ctx.measureText(name).width + 12 + 5 + 10; // text, icon, icon gap, item gap
      if (line > 0 && line + item > width) {
        rows += 1;
        line = 0;
      }
      line += item;
    });
    return rows;
  }

  function completion(el, data) {
    var units = data.units.slice().reverse();
    var names = units.map(function (u) { return u.unit; });
    var series = data.statuses.map(function (s) {
      return {
        name: s.label,
        type: "bar",
        stack: "tasks",
        itemStyle: { color: s.color },
        emphasis: { focus: "series" },
        data: units.map(function (u) { return u[s.key] || 0; })
      };
    });
    series.push({
      name: t("rate", "完成率"),
      type: "scatter",
      symbolSize: 0,
      data: units.map(function (u) { return u.total; }),
      label: {
        show: true,
        position: "right",
        formatter: function (p) { return units[p.dataIndex].rate + "%"; },
        color: "#495057"
      },
      tooltip: { show: false }
    });
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: data.statuses.map(function (s) { return s.label; }), itemWidth: 12, itemHeight: 10 },
      grid: { left: 8, right: 48, top: narrow() ? 56 : 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, name: t("tasks", "任务数"), nameLocation: "end", nameGap: 6 },
      yAxis: {
        type: "category",
        data: names,
        axisLabel: { width: narrow() ? 84 : 150, overflow: "truncate" }
      },
      series: series
    };
  }

  function overdue(el, data) {
    var byKey = {};
    data.series.forEach(function (s) { byKey[s.key] = s; });
    var months = data.points.map(function (p) { return p.month; });
    var names = ["reminder", "supervision", "summons_proposal", "overdue"].map(function (k) { return byKey[k].label; });
    function bar(key) {
      return {
        name: byKey[key].label,
        type: "bar",
        stack: "escalations",
        yAxisIndex: 1,
        itemStyle: { color: byKey[key].color },
        data: data.points.map(function (p) { return p[key] || 0; })
      };
    }
    return {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "axis" },
      // The legend's rows, then the axis names (each kept inside its side of the chart), then the grid.
      legend: { top: 0, itemWidth: 12, itemHeight: 10 },
      grid: { left: 8, right: 8, top: legendRows(el, names) * 20 + 28, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months },
      yAxis: [
        { type: "value", name: t("overdue", "逾期任务"), nameTextStyle: { align: "left" }, minInterval: 1 },
        {
          type: "value",
          name: t("escalations", "升级次数"),
          nameTextStyle: { align: "right" },
          minInterval: 1,
          splitLine: { show: false }
        }
      ],
      series: [
        bar("reminder"),
        bar("supervision"),
        bar("summons_proposal"),
        {
          name: byKey.overdue.label,
          type: "line",
          smooth: false,
          symbolSize: 7,
          itemStyle: { color: byKey.overdue.color },
          lineStyle: { width: 3 },
          data: data.points.map(function (p) { return p.overdue; })
        }
      ]
    };
  }

  var builders = { completion: completion, overdue: overdue };

  function empty(el, text) {
    el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-muted");
    el.textContent = text;
  }

  document.querySelectorAll("[data-chart][data-src]").forEach(function (el) {
    var build = builders[el.getAttribute("data-chart")];
    fetch(el.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        var hasData = (data.units && data.units.length) || (data.points && data.points.length);
        if (!hasData) { empty(el, t("empty", "暂无数据")); return; }
        var chart = echarts.init(el, null, { renderer: "canvas" });
        var option = build(el, data);
        option.animationDuration = 400;
        // data-ready once drawn (the animation finished), so screenshots and tests see the final chart.
        chart.on("finished", function () { el.setAttribute("data-ready", "true"); });
        chart.setOption(option);
        charts.push(chart);
      })
      .catch(function (error) { empty(el, t("failed", "图表数据加载失败（{error}）").replace("{error}", error.message)); });
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
