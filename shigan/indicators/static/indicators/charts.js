/* Indicator charts (ECharts, canvas renderer, Chinese locale). The figures come computed from
   the server in <script id="indicator-charts" type="application/json">; this file only draws
   them. Each container gets data-rendered="1" once its first frame is drawn.
   A tooltip formatter returns HTML: every name or unit in it goes through esc(), since names
   are typed by users (labels and axes are drawn on the canvas as plain text). */
(function () {
  "use strict";

  var source = document.getElementById("indicator-charts");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var style = getComputedStyle(document.body);

  // Every colour is a variable of app.css's :root (docs/style.md): the 序时进度 states, the
  // neutral bar and the ink of the benchmark line; none is repeated here.
  function color(name) {
    return style.getPropertyValue(name).trim();
  }

  var COLORS = {
    green: color("--seq-green"),
    yellow: color("--seq-yellow"),
    red: color("--seq-red"),
    grey: color("--seq-grey"),
    missing: color("--seq-grey"),
    bar: color("--chart-bar"),
    target: color("--brand"),
    last: color("--muted")
  };
  var ESTIMATE_DECAL = { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 4], rotation: -Math.PI / 4, color: "rgba(255,255,255,0.55)" };
  var ANIMATE = !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

  var esc = echarts.format.encodeHTML;

  function fmt(value) {
    return value === null || value === undefined ? "—" : String(+value.toFixed(2));
  }

  function pct(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "1"); });
    option.animation = ANIMATE;
    chart.setOption(option);
    charts.push(chart);
  }

  function trendOption(t) {
    var bars = t.actual.map(function (value, i) {
      return t.estimate[i] ? { value: value, itemStyle: { decal: ESTIMATE_DECAL, opacity: 0.8 } } : value;
    });
    var series = [{
      name: "本年完成值", type: "bar", data: bars, barMaxWidth: 36,
      itemStyle: { color: COLORS.bar },
      label: { show: t.actual.length <= 8, position: "top", formatter: function (p) { return fmt(p.value); } }
    }];
    if (t.target.length) {
      series.push({
        name: t.targetName, type: "line", data: t.target, symbol: "none",
        lineStyle: { type: "dashed", width: 2, color: COLORS.target }, itemStyle: { color: COLORS.target }
      });
    }
    series.push({
      name: "上年同期", type: "line", data: t.samePeriod, connectNulls: true,
      lineStyle: { color: COLORS.last }, itemStyle: { color: COLORS.last }
    });
    return {
      aria: { enabled: true },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) { return esc(fmt(value) + " " + t.unit); }
      },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value", name: t.unit, nameTextStyle: { align: "right" }, axisLabel: { formatter: fmt } },
      series: series
    };
  }

  function completionOption(c) {
    var items = c.values.map(function (value, i) {
      return { value: value, itemStyle: { color: COLORS[c.status[i]] || COLORS.grey } };
    });
    var max = Math.max(100, Math.ceil(Math.max.apply(null, c.values.concat([0])) / 10) * 10);
    return {
      aria: { enabled: true },
      grid: { left: 8, right: 48, top: 30, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          return esc(p.name) + "<br>完成率 " + esc(pct(p.value)) + (c.point[p.dataIndex] ? "（时点指标，基准100%）" : "");
        }
      },
      xAxis: { type: "value", max: max, axisLabel: { formatter: "{value}%" } },
      yAxis: {
        type: "category", data: c.names, inverse: true,
        axisLabel: { formatter: function (name) { return wrap(name).join("\n"); }, lineHeight: LINE_HEIGHT, fontSize: 12, fontFamily: "sans-serif" }
      },
      series: [{
        type: "bar", data: items, barMaxWidth: 22,
        label: { show: true, position: "right", formatter: function (p) { return pct(p.value); } },
        markLine: {
          symbol: "none", silent: true,
          lineStyle: { color: COLORS.target, type: "dashed", width: 2 },
          label: { formatter: "序时进度 " + pct(c.timeProgress), position: "start", color: COLORS.target },
          data: [{ xAxis: c.timeProgress }]
        }
      }]
    };
  }

  function ratesOption(r) {
    var empty = r.values.every(function (v) { return v === null; });
    return {
      aria: { enabled: true },
      title: empty ? { text: "暂无重点项目数据", left: "center", top: "middle", textStyle: { color: COLORS.last, fontSize: 14 } } : undefined,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: pct },
      xAxis: { type: "category", data: r.names, axisLabel: { interval: 0 } },
      yAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); }, axisLabel: { formatter: "{value}%" } },
      series: [{
        type: "bar", data: r.values, barMaxWidth: 48, itemStyle: { color: COLORS.bar },
        label: { show: true, position: "top", formatter: function (p) { return pct(p.value); } }
      }]
    };
  }

  // The completion chart's names are written whole, on as many lines as the label column
  // needs (never cut with "…": a printed page has no tooltip), measured in the font the axis
  // draws in; the column takes about a third of the chart's width, so a phone wraps sooner.
  var LINE_HEIGHT = 15;
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = "12px sans-serif";
  var labelWidth = 110;
  var NO_LINE_START = "、，。；：！？）》」』】,.;:!?)";

  function wrap(name) {
    var lines = [];
    var line = "";
    Array.from(String(name)).forEach(function (ch) {
      // A closing mark stays at the end of its line rather than opening the next (、）。).
      if (line && NO_LINE_START.indexOf(ch) < 0 && measure.measureText(line + ch).width > labelWidth) {
        lines.push(line);
        line = "";
      }
      line += ch;
    });
    if (line || !lines.length) { lines.push(line); }
    return lines;
  }

  function sizeCompletion(c) {
    var el = document.getElementById("chart-completion");
    if (!el) { return; }
    labelWidth = Math.max(84, Math.min(200, Math.round(el.clientWidth * 0.32)));
    var lines = Math.max.apply(null, c.names.map(function (name) { return wrap(name).length; }));
    var row = Math.max(30, lines * LINE_HEIGHT + 12);
    el.style.height = Math.max(200, row * c.names.length + 60) + "px";
  }

  if (data.trend) { draw("chart-trend", trendOption(data.trend)); }
  if (data.completion && data.completion.names.length) {
    sizeCompletion(data.completion);
    draw("chart-completion", completionOption(data.completion));
  }
  if (data.rates) { draw("chart-rates", ratesOption(data.rates)); }

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      if (data.completion && data.completion.names.length) { sizeCompletion(data.completion); }
      charts.forEach(function (chart) { chart.resize(); });
    }, 100);
  });

  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
}());
