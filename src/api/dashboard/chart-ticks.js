/* dnbot chart axis ticks, shared by the live dashboard (served as /chart-ticks.js) and the report
 * (inlined before its chart script). Plain browser script, no build step: sets window.dnbotTicks. */
'use strict';
(function () {
  /** The distance between two neighbouring tick values (1 with fewer than two ticks). */
  function step(vals) { return vals.length > 1 ? Math.abs(vals[1] - vals[0]) : 1; }
  /** Time ticks (seconds since the epoch) in UTC, 24 h; the date where the day changes. */
  function time(u, vals) {
    var prev = null;
    return vals.map(function (v) {
      var iso = new Date(v * 1000).toISOString();
      var day = iso.slice(5, 10);
      var out = iso.slice(11, 16) + (day !== prev ? '\n' + day : '');
      prev = day;
      return out;
    });
  }
  window.dnbotTicks = { step: step, time: time };
})();
