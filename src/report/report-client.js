/* dnbot report: draws the inlined charts with uPlot (inlined too). No network. */
'use strict';
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var state = { charts: {}, drawn: 0 };
  window.dnbotReport = state;
  function fin(v) { return typeof v === 'number' && isFinite(v); }
  function usd(v, d) {
    if (!fin(v)) return '—';
    var a = Math.abs(v);
    if (a >= 1e6) return (v < 0 ? '-$' : '$') + (a / 1e6).toFixed(2) + 'M';
    if (a >= 1e5) return (v < 0 ? '-$' : '$') + (a / 1e3).toFixed(0) + 'k';
    return (v < 0 ? '-' : '') + '$' + a.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  var ticks = window.dnbotTicks; // chart-ticks.js, inlined before this script
  function ticksUsd(u, vals) {
    var step = ticks.step(vals);
    return vals.map(function (v) { return usd(v, step < 1 ? 2 : 0); });
  }
  function ticksPct(u, vals) {
    var step = ticks.step(vals);
    return vals.map(function (v) { return (v * 100).toFixed(step < 0.001 ? 3 : step < 0.01 ? 2 : 1) + '%'; });
  }
  function ticksCount(u, vals) { return vals.map(function (v) { return Number.isInteger(v) ? String(v) : ''; }); }
  function ticksDay(u, vals) {
    var prev = null;
    return vals.map(function (v) {
      var day = new Date(v * 1000).toISOString().slice(0, 10);
      var out = day === prev ? '' : day.slice(5);
      prev = day;
      return out;
    });
  }
  /**
   * Day ticks under the bars: every day while there is room, else every k-th day, k from the
   * increment uPlot found for the axis's spacing (so labels never run into each other).
   */
  function daySplits(days) {
    return function (u, axisIdx, min, max, incr) {
      var k = Math.max(1, Math.round(incr / 86400));
      return days.filter(function (d, i) { return i % k === 0; });
    };
  }
  var AXIS = { stroke: '#57606a', grid: { stroke: '#eaeef2', width: 1 }, ticks: { stroke: '#d0d7de', width: 1 } };
  data.charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    if (c.x.length === 0) { el.innerHTML = '<p class="empty">No data in this range.</p>'; return; }
    var time = c.xKind === 'time' || c.xKind === 'day';
    var yTicks = c.yKind === 'pct' ? ticksPct : c.yKind === 'count' ? ticksCount : ticksUsd;
    var pad = function (u, lo, hi) {
      if (lo === hi) { var p = time ? 43200 : Math.max(1, Math.abs(lo) * 0.1); return [lo - p, hi + p]; }
      if (c.series.some(function (s) { return s.bars; })) { var w = (hi - lo) / Math.max(1, c.x.length - 1); return [lo - w * 0.6, hi + w * 0.6]; }
      return [lo, hi];
    };
    var opts = {
      width: Math.max(200, el.clientWidth), height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: time, range: pad }, y: c.yKind === 'count' || c.series.some(function (s) { return s.bars; }) ? { range: function (u, lo, hi) { return [Math.min(0, lo), hi > 0 ? hi * 1.1 : 1]; } } : {} },
      legend: { live: false },
      series: [{ label: time ? 'UTC' : 'PnL bin' }].concat(c.series.map(function (s) {
        var o = { label: s.label, stroke: s.color, width: s.bars ? 1 : 2, fill: s.fill, spanGaps: true };
        if (s.bars) o.paths = uPlot.paths.bars({ size: [0.7, 60] });
        if (s.dash) o.dash = [6, 4];
        if (s.bars) o.points = { show: false };
        if (s.dash) o.points = { show: true, size: 9, fill: s.color, stroke: s.color };
        return o;
      })),
      axes: [
        Object.assign({}, AXIS, c.xKind === 'day' ? { values: ticksDay, space: 50, splits: daySplits(c.x) } : time ? { values: ticks.time, space: 70, size: 44 } : { values: ticksUsd, space: 60 }),
        Object.assign({}, AXIS, { values: yTicks, size: 80 }),
      ],
    };
    state.charts[c.id] = new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
    state.drawn++;
  });
  window.addEventListener('resize', function () {
    Object.keys(state.charts).forEach(function (id) {
      var el = document.getElementById(id);
      state.charts[id].setSize({ width: Math.max(200, el.clientWidth), height: 240 });
    });
  });
})();
