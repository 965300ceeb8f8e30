/* dnbot live dashboard: plain browser script, no build step. Reads only the JSON API:
 * /series (equity history), /status (snapshot) and /events (the same status pushed as
 * server-sent events, read through fetch so a bearer token can travel in a header). */
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var TOKEN_KEY = 'dnbot-token';
  var state = { token: sessionStorage.getItem(TOKEN_KEY) || '', bot: null, status: null, series: null, charts: {}, updates: 0 };
  window.dnbotDashboard = state;

  // ---- formatting -------------------------------------------------------------------------
  function fin(v) { return typeof v === 'number' && isFinite(v); }
  function usd(v, d) {
    if (!fin(v)) return '—';
    d = d === undefined ? 2 : d;
    return (v < 0 ? '-' : '') + '$' + Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function signedUsd(v) { return fin(v) ? (v > 0 ? '+' : '') + usd(v) : '—'; }
  function compactUsd(v) {
    if (!fin(v)) return '';
    var a = Math.abs(v);
    var s = a >= 1e6 ? (a / 1e6).toFixed(2) + 'M' : a >= 1e4 ? (a / 1e3).toFixed(1) + 'k' : a.toFixed(a >= 100 ? 0 : 2);
    return (v < 0 ? '-$' : '$') + s;
  }
  function pct(v, d) { return fin(v) ? (v * 100).toFixed(d === undefined ? 2 : d) + '%' : '—'; }
  function tone(v) { return !fin(v) || v === 0 ? '' : v > 0 ? 'good' : 'bad'; }
  function utc(ts, withDate) {
    if (!fin(ts)) return '—';
    var iso = new Date(ts).toISOString();
    return withDate ? iso.slice(5, 10) + ' ' + iso.slice(11, 16) : iso.slice(11, 19);
  }
  function duration(ms) {
    if (!fin(ms) || ms < 0) return '—';
    var m = Math.floor(ms / 60000);
    return m >= 60 ? Math.floor(m / 60) + 'h ' + (m % 60) + 'm' : m + 'm';
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function setText(id, text, cls) {
    var el = $(id);
    el.textContent = text;
    el.classList.remove('good', 'bad', 'warn');
    if (cls) el.classList.add(cls);
  }
  /**
   * A table; each cell carries its column's title (data-label), which narrow cards show beside the
   * value when the table is laid out as one block per row. Tables of more than five columns are
   * `wide`: they turn into blocks sooner.
   */
  function table(head, rows) {
    var labels = head.map(function (h) { return ' data-label="' + esc(h.t) + '"'; });
    var body = rows.map(function (r) { var k = 0; return r.replace(/<td/g, function () { return '<td' + (labels[k++] || ''); }); });
    return '<table' + (head.length > 5 ? ' class="wide"' : '') + '><thead><tr>' + head.map(function (h) { return '<th' + (h.num ? ' class="num"' : '') + '>' + esc(h.t) + '</th>'; }).join('') +
      '</tr></thead><tbody>' + body.join('') + '</tbody></table>';
  }
  /** As src/report/figure-text.ts: far from liquidation (above 1,000%) the health ratio says no more. */
  function healthText(v) { return !fin(v) ? 'n/a' : v > 1000 ? '> 1,000%' : v.toFixed(0) + '%'; }
  /** As src/report/figure-text.ts: three significant figures (a small pair's plan is below 0.01×). */
  function leverageText(v) { return fin(v) ? Number(v.toPrecision(3)) + '×' : 'n/a'; }
  state.healthText = healthText;
  state.leverageText = leverageText;
  /** Sizes and prices as people read them: at most 8 significant digits, no float noise. */
  function readable(v) { return fin(v) ? String(Number(v.toPrecision(8))) : '—'; }

  // ---- API --------------------------------------------------------------------------------
  function headers() { return state.token ? { authorization: 'Bearer ' + state.token } : {}; }
  function needToken() {
    $('token-form').hidden = false;
    setConn('down', 'token needed');
  }
  function api(path) {
    return fetch(path, { headers: headers(), cache: 'no-store' }).then(function (r) {
      if (r.status === 401) { needToken(); throw new Error('unauthorized'); }
      // /health answers 503 with its reasons when something is wrong: that is a document to show.
      if (!r.ok && !(r.status === 503 && path === '/health')) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }
  function setConn(kind, text) {
    var el = $('conn');
    el.classList.remove('live', 'down');
    if (kind) el.classList.add(kind);
    $('conn-text').textContent = text;
  }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  /** Server-sent events over fetch: parses `event:`/`data:` frames, reconnects after a drop. */
  function stream() {
    return fetch('/events', { headers: headers(), cache: 'no-store' }).then(function (r) {
      if (r.status === 401) { needToken(); return 'stop'; }
      if (!r.ok || !r.body) throw new Error('events: HTTP ' + r.status);
      setConn('live', 'live');
      var reader = r.body.getReader();
      var dec = new TextDecoder();
      var buf = '';
      function pump() {
        return reader.read().then(function (x) {
          if (x.done) return 'closed';
          buf += dec.decode(x.value, { stream: true });
          var i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            var frame = buf.slice(0, i);
            buf = buf.slice(i + 2);
            var data = frame.split('\n').filter(function (l) { return l.indexOf('data:') === 0; }).map(function (l) { return l.slice(5).trim(); }).join('\n');
            if (data) onStatus(JSON.parse(data));
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () { return 'error'; }).then(function (how) {
      if (how === 'stop') return;
      setConn('down', 'reconnecting');
      return wait(2000).then(stream);
    });
  }

  // ---- charts (uPlot) -----------------------------------------------------------------------
  var AXIS = { stroke: '#8b98a7', grid: { stroke: '#263140', width: 1 }, ticks: { stroke: '#263140', width: 1 } };
  function chartWidth(id) { return Math.max(200, $(id).clientWidth); }
  /** Axis labels precise enough to tell ticks apart ($10,000.25 vs $10,000.50), compact when large. */
  function usdTicks(u, vals) {
    var step = window.dnbotTicks.step(vals);
    var big = Math.max.apply(null, vals.map(Math.abs));
    if (big >= 1e5 && step >= 1e3) return vals.map(compactUsd);
    return vals.map(function (v) { return usd(v, step < 1 ? 2 : 0); });
  }
  function makeCharts() {
    var tz = function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); };
    var usdAxis = Object.assign({}, AXIS, { size: 84, values: usdTicks });
    var timeAxis = Object.assign({}, AXIS, { space: 70, size: 44, values: window.dnbotTicks.time });
    state.charts.equity = new uPlot({
      width: chartWidth('chart-equity'), height: 250, tzDate: tz,
      scales: { x: { time: true } },
      legend: { live: false },
      series: [{ label: 'UTC' }, { label: 'Equity', stroke: '#58a6ff', width: 2, fill: 'rgba(88,166,255,0.08)', value: function (u, v) { return usd(v); } }],
      axes: [timeAxis, usdAxis],
    }, [[], []], $('chart-equity'));
    state.charts.pnl = new uPlot({
      width: chartWidth('chart-pnl'), height: 250, tzDate: tz,
      scales: { x: { time: true }, delta: {} },
      legend: { live: false },
      series: [
        { label: 'UTC' },
        { label: 'PnL', stroke: '#3fb950', width: 2, fill: 'rgba(139,152,167,0.10)', value: function (u, v) { return signedUsd(v); } },
        { label: 'Net delta', stroke: '#bc8cff', width: 1, scale: 'delta', value: function (u, v) { return usd(v); } },
      ],
      axes: [timeAxis, usdAxis, Object.assign({}, usdAxis, { scale: 'delta', side: 1, grid: { show: false } })],
    }, [[], [], []], $('chart-pnl'));
    window.addEventListener('resize', function () {
      state.charts.equity.setSize({ width: chartWidth('chart-equity'), height: 250 });
      state.charts.pnl.setSize({ width: chartWidth('chart-pnl'), height: 250 });
    });
  }
  function drawSeries() {
    var s = state.series;
    if (!s) return;
    var x = s.ts.map(function (t) { return t / 1000; });
    state.charts.equity.setData([x, s.equity]);
    state.charts.pnl.setData([x, s.pnl, s.netDelta]);
    // The PnL curve takes the colour of where it stands now: green at or above the start, red below.
    var last = s.pnl[s.pnl.length - 1];
    state.charts.pnl.series[1].stroke = function () { return last < 0 ? '#f85149' : '#3fb950'; };

  }
  function loadSeries() {
    return api('/series?points=2000&bot=' + encodeURIComponent(state.bot)).then(function (s) { state.series = s; drawSeries(); });
  }
  /** Appends the bot's latest equity snapshot (the same rows /series reads) when it is new. */
  function appendSnapshot(bot) {
    var s = state.series;
    var e = bot.equity;
    if (!s || !e || (s.ts.length > 0 && e.ts <= s.ts[s.ts.length - 1])) return;
    var base = s.baseEquity === null ? e.equity : s.baseEquity;
    if (s.baseEquity === null) s.baseEquity = base;
    s.ts.push(e.ts); s.equity.push(e.equity); s.pnl.push(e.equity - base); s.netDelta.push(e.netDelta); s.grossNotional.push(e.grossNotional);
    drawSeries();
  }

  // ---- panels -----------------------------------------------------------------------------
  function currentBot(st) {
    var bots = st.bots || [];
    return bots.find(function (b) { return b.id === state.bot; }) || bots[0] || null;
  }
  function onStatus(st) {
    state.status = st;
    state.updates++;
    var bots = st.bots || [];
    if (state.bot === null && bots[0]) { state.bot = bots[0].id; fillBotPicker(bots); loadSeries().catch(function () {}); }
    var b = currentBot(st);
    $('venue').textContent = (b ? b.id + ' · ' : '') + (st.venue || '') + ' · ' + (st.mode || '') + (st.progress ? ' · replay ' + pct(st.progress.total ? st.progress.done / st.progress.total : 0, 1) : '');
    $('market-time').textContent = st.market_time ? st.market_time.replace('T', ' ').slice(0, 19) : '—';
    renderKpis(st, b);
    if (!b) return;
    appendSnapshot(b);
    renderPairs(b);
    renderOrders(b);
    renderRisk(st, b);
    renderMargin(b);
    renderHistory(b);
    renderEvents(st.recentEvents || []);
  }
  function fillBotPicker(bots) {
    if (bots.length < 2) return;
    $('bot-pick').hidden = false;
    $('bot-select').innerHTML = bots.map(function (b) { return '<option>' + esc(b.id) + '</option>'; }).join('');
    $('bot-select').onchange = function (e) { state.bot = e.target.value; loadSeries().catch(function () {}); if (state.status) onStatus(state.status); };
  }
  function renderKpis(st, b) {
    var acct = st.account || {};
    var live = st.live || {};
    setText('equity', usd(acct.equity));
    setText('equity-sub', 'collateral ' + usd(acct.collateral) + ' · free ' + usd(acct.freeCollateral, 0));
    var base = b && b.baseEquity;
    var pnl = fin(base) ? acct.equity - base : null;
    setText('pnl', signedUsd(pnl), tone(pnl));
    if (b) {
      var t = b.today || {};
      var realised = t.realizedPnl - t.feesUsd;
      setText('pnl-sub', 'realised today ' + signedUsd(realised) + ' after ' + usd(t.feesUsd) + ' fees');
      var share = b.volumeTargetUsd > 0 ? t.volumeUsd / b.volumeTargetUsd : 0;
      setText('volume', usd(t.volumeUsd, 0) + ' / ' + usd(b.volumeTargetUsd, 0));
      $('volume-bar').style.width = Math.min(100, share * 100).toFixed(1) + '%';
      $('volume-bar').classList.toggle('done', share >= 1);
      setText('volume-sub', pct(share, 0) + ' of phase ' + (b.phase ? b.phase.phase : 1) + ' daily target · ' + t.fills + ' fills' + (share >= 1 ? ' · target reached: entries paused until 00:00 UTC' : ''), share >= 1 ? 'good' : '');
    }
    var gross = live.gross_notional_usd;
    var delta = live.net_delta_usd;
    var share2 = fin(gross) && gross > 0 ? Math.abs(delta) / gross : 0;
    setText('delta', usd(delta), share2 > 0.1 ? 'warn' : 'good');
    setText('delta-sub', 'gross ' + usd(gross, 0) + ' · ' + pct(share2, 1) + ' of gross · ' + (live.open_pairs || 0) + ' open pair(s)');
    var risk = st.risk;
    var lvl = risk ? risk.level : null;
    setText('risk-level', lvl ? lvl.toUpperCase() : 'n/a', lvl === 'low' ? 'good' : lvl === 'medium' ? 'warn' : lvl ? 'bad' : '');
    setText('risk-sub', risk ? 'health ' + healthText(risk.health_ratio) + ' · action ' + actionText(risk.action) : 'not evaluated yet');
    if (b) {
      var blocked = b.halted ? 'HALTED' : b.breakers.length > 0 ? 'BREAKER' : null;
      setText('entries', blocked || 'allowed', blocked ? 'bad' : 'good');
      setText('entries-sub', b.halted ? String(b.halted) : b.breakers.length > 0 ? b.breakers[0].reason : 'phase ' + (b.phase ? b.phase.phase : 1) + ' · multiplier ×' + b.currentRiskMultiplier.toFixed(2));
    }
  }
  function actionText(a) {
    if (a === null || a === undefined) return 'none';
    if (typeof a !== 'object') return String(a);
    return String(a.kind || 'none') + (fin(a.fraction) ? ' ' + pct(a.fraction, 0) : '');
  }
  function pairReturn(b, plan) {
    var pos = b.positions || [];
    var sum = 0, seen = 0;
    [plan.longSymbol, plan.shortSymbol].forEach(function (s) {
      var p = pos.find(function (x) { return x.symbol === s; });
      if (p && fin(p.mark)) { sum += p.size * (p.mark - p.entryPrice); seen++; }
    });
    return seen > 0 && plan.entryNotional > 0 ? sum / plan.entryNotional : null;
  }
  /**
   * A label at `x`% of the ladder, shifted left by the same share of its own width: centred in the
   * middle, flush with the ladder's edges at its ends, so it never sticks out of the ladder.
   */
  function ladderLabel(cls, x, text, title) {
    return '<span class="' + cls + '"' + (title ? ' title="' + esc(title) + '"' : '') + ' style="left:' + x.toFixed(2) + '%;transform:translateX(-' + x.toFixed(2) + '%)">' + esc(text) + '</span>';
  }
  /** CSS left of a mark `w` px wide at `x`% of the ladder, kept inside it at both ends. */
  function along(x, w) { return 'calc((100% - ' + w + 'px) * ' + (x / 100).toFixed(4) + ')'; }
  function ladder(plan, now) {
    var lv = [{ k: 'SL', v: -Math.abs(plan.sl), cls: 'sl' }, { k: 'entry', v: 0, cls: '' }, { k: 'TP1', v: plan.tp1 }, { k: 'TP2', v: plan.tp2 }, { k: 'TP3', v: plan.tp3 }];
    var lo = Math.min(lv[0].v, fin(now) ? now : 0) * 1.15;
    var hi = Math.max(plan.tp3, fin(now) ? now : 0) * 1.1;
    var x = function (v) { return Math.max(0, Math.min(100, ((v - lo) / (hi - lo)) * 100)); };
    var html = '<div class="ladder"><div class="track"></div>';
    lv.forEach(function (l, i) {
      var hit = i >= 2 && plan.levelsHit >= i - 1;
      var cls = (l.cls || '') + (hit ? ' hit' : '');
      html += '<div class="lvl ' + cls + '" style="left:' + along(x(l.v), 2) + '"></div>' + ladderLabel('lbl ' + cls, x(l.v), l.k, l.k + ' ' + pct(l.v, 3));
    });
    if (fin(now)) html += '<div class="dot" style="left:' + along(x(now), 10) + '"></div>' + ladderLabel('now', x(now), 'now ' + pct(now, 2));
    return html + '</div>';
  }
  /**
   * Ladder labels that would run into the one before them (TP1 and TP2 a few pixels apart) drop to
   * a second row under the track. Measured after layout: label widths depend on the font.
   */
  function unclutterLadders(root) {
    Array.prototype.forEach.call(root.querySelectorAll('.ladder'), function (ld) {
      var right = [-Infinity, -Infinity];
      var two = false;
      Array.prototype.forEach.call(ld.querySelectorAll('.lbl'), function (el) {
        var r = el.getBoundingClientRect();
        var row = r.left >= right[0] + 3 ? 0 : 1;
        if (row === 1) { el.classList.add('row2'); two = true; }
        right[row] = r.right;
      });
      ld.classList.toggle('two-rows', two);
    });
  }
  function renderPairs(b) {
    var pairs = b.openPairs || [];
    $('pairs-count').textContent = pairs.length ? '(' + pairs.length + ')' : '';
    if (pairs.length === 0) { $('pairs').innerHTML = '<p class="empty">No open pair. The bot waits for |z| ≥ entry threshold.</p>'; return; }
    var nowTs = state.status ? state.status.market_ts : null;
    $('pairs').innerHTML = pairs.map(function (p) {
      var plan = (b.exitPlans || []).find(function (x) { return x.pairId === p.id; });
      var st = p.status === 'open' ? 'good' : p.status === 'exiting' ? 'warn' : '';
      var r = plan ? pairReturn(b, plan) : null;
      var html = '<div class="pair" data-pair="' + esc(p.id) + '"><div class="head"><b>' + esc(p.id) + '</b><span class="pill ' + st + '">' + esc(p.status) + '</span></div>' +
        '<div class="legs">long <b>' + esc(p.longSymbol) + '</b> / short <b>' + esc(p.shortSymbol) + '</b> · ' + usd(p.targetNotional, 0) + ' per leg · open ' + duration(nowTs - (p.openTs || p.entryTs)) +
        (fin(r) ? ' · return <span class="' + tone(r) + '">' + pct(r, 3) + '</span>' : '') + '</div>';
      if (plan) {
        html += ladder(plan, r);
        html += '<div class="levels">SL <b class="bad">' + pct(-Math.abs(plan.sl), 2) + '</b> · TP1 <b>' + pct(plan.tp1, 2) + '</b> · TP2 <b>' + pct(plan.tp2, 2) + '</b> · TP3 <b>' + pct(plan.tp3, 2) + '</b> <span class="label">(return on one leg\'s entry notional)</span></div>';
        html += '<div class="meta">ExitBrain ' + esc(plan.mode) + (plan.fallback ? ' (fallback levels)' : '') + ' · ' + leverageText(plan.leverage) + ' · LSF ' + plan.lsf.toFixed(3) + ' · harvest ' + esc(plan.schemeName) +
          ' [' + plan.harvestScheme.map(function (f) { return Math.round(f * 100) + '%'; }).join('/') + '] · ' + plan.levelsHit + ' level(s) hit · ' + Math.round(plan.closedFraction * 100) + '% harvested</div>';
      } else {
        html += '<div class="meta">no exit plan yet (entering)</div>';
      }
      return html + '</div>';
    }).join('');
    unclutterLadders($('pairs'));
  }
  function renderOrders(b) {
    var orders = b.openOrders || [];
    $('orders-count').textContent = orders.length ? '(' + orders.length + ')' : '';
    var nowTs = state.status ? state.status.market_ts : null;
    $('orders').innerHTML = orders.length === 0 ? '<p class="empty">No open order.</p>' : table(
      [{ t: 'symbol' }, { t: 'side' }, { t: 'size', num: 1 }, { t: 'price', num: 1 }, { t: 'filled', num: 1 }, { t: 'type' }, { t: 'purpose' }, { t: 'status' }, { t: 'age', num: 1 }],
      orders.map(function (o) {
        return '<tr><td>' + esc(o.symbol) + '</td><td class="' + (o.side === 'buy' ? 'good' : 'bad') + '">' + esc(o.side) + '</td><td class="num">' + readable(o.size) + '</td><td class="num">' + (o.price === null ? 'mkt' : readable(o.price)) +
          '</td><td class="num">' + readable(o.filledSize) + '</td><td>' + esc(o.tif || o.type) + (o.reduceOnly ? ' RO' : '') + '</td><td>' + esc(o.purpose) + '</td><td>' + esc(o.status) + '</td><td class="num">' + duration(nowTs - o.createdTs) + '</td></tr>';
      }));
    var pos = b.positions || [];
    $('positions').innerHTML = pos.length === 0 ? '<p class="empty">Flat.</p>' : table(
      [{ t: 'symbol' }, { t: 'size', num: 1 }, { t: 'entry', num: 1 }, { t: 'mark', num: 1 }, { t: 'notional', num: 1 }, { t: 'unrealised', num: 1 }],
      pos.map(function (p) {
        var u = fin(p.mark) ? p.size * (p.mark - p.entryPrice) : null;
        return '<tr><td>' + esc(p.symbol) + '</td><td class="num ' + (p.size > 0 ? 'good' : 'bad') + '">' + readable(p.size) + '</td><td class="num">' + p.entryPrice.toFixed(2) + '</td><td class="num">' + (fin(p.mark) ? p.mark.toFixed(2) : '—') +
          '</td><td class="num">' + usd(p.notional, 0) + '</td><td class="num ' + tone(u) + '">' + signedUsd(u) + '</td></tr>';
      }));
  }
  function renderRisk(st, b) {
    var tier = b.tier || {};
    var facts = [
      ['Phase', (b.phase ? b.phase.phase : 1) + (b.phase ? ' since ' + utc(b.phase.sinceTs, true) : '')],
      ['Risk multiplier', '×' + b.currentRiskMultiplier.toFixed(3), b.currentRiskMultiplier < 1 ? 'warn' : 'good'],
      ['Allocation tier', (tier.tier || '—') + (fin(tier.limit) ? ' (margin ≤ ' + pct(tier.limit, 0) + ')' : '')],
      ['Win rate (50)', fin(tier.winRate) ? pct(tier.winRate, 0) : 'n/a'],
      ['Closed pairs', String(b.closedPairs)],
      ['Hedge effectiveness', b.hedges && b.hedges.count > 0 ? pct(b.hedges.meanEffectiveness, 0) + ' (last ' + b.hedges.count + ')' : 'no hedge yet'],
      ['Health ratio', healthText(st.risk ? st.risk.health_ratio : null)],
      ['Stream lag', st.live && fin(st.live.stream_lag_seconds) ? st.live.stream_lag_seconds.toFixed(1) + ' s' : '—', st.live && st.live.stream_lag_seconds > 10 ? 'bad' : ''],
    ].concat((st.live && st.live.feeds ? st.live.feeds : []).map(function (f) {
      return ['Feed ' + f.venue + ' ' + f.symbol, f.stale ? 'STALE' + (f.reason ? ': ' + f.reason : '') : 'live · ' + f.resyncs + ' resync(s) · ' + f.dropped + ' dropped', f.stale ? 'bad' : 'good'];
    })).concat([
      ['Last entry refusal', b.lastRefusal ? String(b.lastRefusal.data.check) + ': ' + String(b.lastRefusal.data.reason) : 'none'],
    ]);
    $('risk-facts').innerHTML = facts.map(function (f) { return '<dt>' + esc(f[0]) + '</dt><dd class="' + (f[2] || '') + '">' + esc(f[1]) + '</dd>'; }).join('');
    var br = b.breakers || [];
    $('breakers').innerHTML = br.length === 0 ? '<p class="empty good">None tripped.</p>' : table(
      [{ t: 'scope' }, { t: 'key' }, { t: 'loss', num: 1 }, { t: 'limit', num: 1 }, { t: 'since' }],
      br.map(function (x) { return '<tr class="bad"><td>' + esc(x.scope) + '</td><td>' + esc(x.key) + '</td><td class="num">' + usd(x.loss) + '</td><td class="num">' + usd(x.limitValue) + '</td><td>' + utc(x.trippedTs, true) + '</td></tr>'; }));
    var adj = b.riskAdjustments || [];
    $('multipliers').innerHTML = adj.length === 0 ? '<p class="empty">No recalculation yet.</p>' : table(
      [{ t: 'time' }, { t: 'multiplier', num: 1 }, { t: 'trigger' }, { t: 'signal', num: 1 }],
      adj.map(function (a) {
        return '<tr><td>' + utc(a.ts, true) + '</td><td class="num ' + tone(a.multiplier - a.previousMultiplier) + '">' + a.previousMultiplier.toFixed(2) + ' → ' + a.multiplier.toFixed(2) + '</td><td>' + esc(a.trigger) + '</td><td class="num">' + a.signalStrength.toFixed(2) + '</td></tr>';
      }));
  }
  function facts(rows) {
    return rows.map(function (f) { return '<dt>' + esc(f[0]) + '</dt><dd class="' + (f[2] || '') + '">' + esc(f[1]) + '</dd>'; }).join('');
  }
  /** Leverage used against the bot's cap, maintenance margin, liquidation prices; fees and funding. */
  function renderMargin(b) {
    var m = b.margin;
    var c = b.costs;
    if (!m || !c) return;
    var share = m.leverageShare;
    $('margin-facts').innerHTML = facts([
      ['Leverage used', (fin(m.leverage) ? m.leverage.toFixed(2) + '×' : 'n/a') + ' of ' + readable(m.allowedLeverage) + '× allowed' + (fin(share) ? ' (' + pct(share, 0) + ')' : ''), fin(share) && share > 0.9 ? 'bad' : fin(share) && share > 0.7 ? 'warn' : ''],
      ['Gross notional', usd(m.grossNotionalUsd, 0) + ' on ' + usd(m.equity) + ' equity'],
      ['Maintenance margin', usd(m.maintenanceMarginUsd)],
    ].concat(m.unpriced.length ? [['Not priced yet', m.unpriced.join(', '), 'warn']] : []));
    var marks = {};
    (m.marks || []).forEach(function (x) { marks[x.symbol] = x.mark; });
    $('liquidation').innerHTML = m.liquidation.length === 0 ? '<p class="empty">Flat: nothing to liquidate.</p>' : table(
      [{ t: 'symbol' }, { t: 'mark', num: 1 }, { t: 'liquidates at', num: 1 }, { t: 'move', num: 1 }],
      m.liquidation.map(function (l) {
        var tone2 = l.status === 'breached' ? 'bad' : fin(l.distanceFraction) && l.distanceFraction < 0.1 ? 'warn' : '';
        return '<tr><td>' + esc(l.symbol) + '</td><td class="num">' + readable(marks[l.symbol]) + '</td><td class="num ' + tone2 + '">' + (l.price === null ? (l.status === 'none' ? 'none' : '—') : readable(Number(l.price.toPrecision(6)))) +
          '</td><td class="num ' + tone2 + '">' + (l.status === 'breached' ? 'BREACHED' : fin(l.distanceFraction) ? (l.direction === 'down' ? '−' : '+') + pct(l.distanceFraction, 1) : '—') + '</td></tr>';
      }));
    var t = b.today || {};
    $('cost-facts').innerHTML = facts([
      ['Fees today', usd(t.feesUsd) + ' on ' + usd(t.volumeUsd, 0) + ' volume'],
      ['Fees, all days', usd(c.feesUsd)],
      ['Realised before fees', signedUsd(c.realizedGrossUsd), tone(c.realizedGrossUsd)],
      ['Funding paid', fin(c.fundingUsd) ? usd(c.fundingUsd) + ' (negative = received; realised − fees − Δ collateral)' : 'n/a (one snapshot)', fin(c.fundingUsd) && c.fundingUsd >= 0.01 ? 'bad' : ''],
    ]);
  }
  /** The latest closed round trips and fills. */
  function renderHistory(b) {
    var trades = b.trades || [];
    $('trades').innerHTML = trades.length === 0 ? '<p class="empty">No closed round trip yet.</p>' : table(
      [{ t: 'closed' }, { t: 'pair' }, { t: 'long / short' }, { t: 'notional / leg', num: 1 }, { t: 'held', num: 1 }, { t: 'exit' }, { t: 'fees', num: 1 }, { t: 'PnL net of fees', num: 1 }],
      trades.map(function (x) {
        return '<tr><td>' + utc(x.exitTs, true) + '</td><td>' + esc(x.id) + '</td><td>' + esc(x.longSymbol) + ' / ' + esc(x.shortSymbol) + '</td><td class="num">' + usd(x.targetNotional, 0) + '</td><td class="num">' + duration(x.exitTs - x.openTs) +
          '</td><td>' + esc(x.exitReason || '—') + '</td><td class="num">' + usd(x.fees) + '</td><td class="num ' + tone(x.realizedPnl) + '">' + signedUsd(x.realizedPnl) + '</td></tr>';
      }));
    var fills = b.fills || [];
    $('fills').innerHTML = fills.length === 0 ? '<p class="empty">No fill yet.</p>' : table(
      [{ t: 'time' }, { t: 'symbol' }, { t: 'side' }, { t: 'size', num: 1 }, { t: 'price', num: 1 }, { t: 'notional', num: 1 }, { t: 'fee', num: 1 }, { t: 'liquidity' }, { t: 'purpose' }],
      fills.map(function (f) {
        return '<tr><td>' + utc(f.ts, true) + '</td><td>' + esc(f.symbol) + '</td><td class="' + (f.side === 'buy' ? 'good' : 'bad') + '">' + esc(f.side) + '</td><td class="num">' + readable(f.size) + '</td><td class="num">' + readable(f.price) +
          '</td><td class="num">' + usd(f.size * f.price) + '</td><td class="num">' + usd(f.fee, 4) + '</td><td>' + esc(f.liquidity) + '</td><td>' + esc(f.purpose) + '</td></tr>';
      }));
  }
  var EVENT_TONE = { breaker_tripped: 'bad', bookkeeping_error: 'bad', emergency_hedge: 'warn', risk_level: 'warn', protection_action: 'warn', phase_breach: 'bad', phase_rollback: 'warn', phase_approve: 'good', breaker_reset: 'good', entry_refused: '' };
  /** An event field in words: numbers rounded, lists joined ("none" when empty), an action by its kind, never raw JSON. */
  function brief(v, depth) {
    if (typeof v === 'number') return Math.abs(v) >= 100 ? v.toFixed(0) : String(Math.round(v * 1e4) / 1e4);
    if (v === null || v === undefined) return '–';
    if (Array.isArray(v)) return v.length === 0 ? 'none' : v.slice(0, 3).map(function (x) { return brief(x, depth + 1); }).join(', ') + (v.length > 3 ? ' +' + (v.length - 3) : '');
    if (typeof v === 'object') {
      if (typeof v.kind === 'string') return v.kind;
      if (depth > 1) return '…';
      return (depth > 0 ? '(' : '') + Object.keys(v).slice(0, 3).map(function (k) { return k + ' ' + brief(v[k], depth + 1); }).join(', ') + (depth > 0 ? ')' : '');
    }
    return String(v);
  }
  function summary(data) {
    return Object.keys(data || {}).slice(0, 4).map(function (k) { return k + ' ' + brief(data[k], 0); }).join(' · ');
  }
  state.eventSummary = summary;
  function renderEvents(events) {
    $('events').innerHTML = events.length === 0 ? '<p class="empty">No event yet.</p>' : events.map(function (e) {
      return '<div class="ev"><span class="t">' + utc(e.ts, true) + '</span><span><span class="kind ' + (EVENT_TONE[e.kind] || '') + '">' + esc(e.kind.replace(/_/g, ' ')) + '</span>' + (e.botId ? ' <span class="label">' + esc(e.botId) + '</span>' : '') +
        '<div class="data">' + esc(summary(e.data)) + '</div></span></div>';
    }).join('');
  }

  /** /health: liveness, ExitBrain's adaptive leverage status, the last reconciliation. */
  function renderHealth(h) {
    var al = h.adaptive_leverage_status || {};
    var rec = h.last_reconciliation;
    var mismatches = rec && rec.data && rec.data.positionMismatches ? rec.data.positionMismatches.length : 0;
    var facts = [
      ['Bot', String(h.status || '—').toUpperCase() + (h.reasons && h.reasons.length ? ': ' + h.reasons.map(function (r) { return r.message; }).join('; ') : ''), h.status === 'ok' ? 'good' : 'bad'],
      ['ExitBrain', (al.enabled ? 'adaptive' : 'static v3') + ' · ' + (al.status || '—'), al.status === 'OK' ? 'good' : 'warn'],
      ['Win rate (20) / avg PnL', (fin(al.win_rate) ? pct(al.win_rate, 0) : 'n/a') + ' / ' + (fin(al.avg_pnl_last_20) ? pct(al.avg_pnl_last_20, 3) : 'n/a')],
      ['Market events', (h.events_processed || 0).toLocaleString('en-US') + ' processed · ' + (h.dropped_events || 0) + ' dropped', h.dropped_events > 0 ? 'warn' : ''],
      ['Last reconciliation', rec ? utc(rec.ts, true) + ' · ' + (mismatches === 0 ? 'no mismatch' : mismatches + ' mismatch(es)') : 'none', rec && mismatches > 0 ? 'bad' : ''],
    ];
    $('health-facts').innerHTML = facts.map(function (f) { return '<dt>' + esc(f[0]) + '</dt><dd class="' + (f[2] || '') + '">' + esc(f[1]) + '</dd>'; }).join('');
  }
  function pollHealth() {
    api('/health').then(renderHealth).catch(function () {}).then(function () { return wait(5000); }).then(pollHealth);
  }

  // ---- start ------------------------------------------------------------------------------
  $('token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.token = $('token-input').value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    $('token-form').hidden = true;
    start();
  });
  function start() {
    api('/status').then(onStatus).then(function () { stream(); pollHealth(); }).catch(function (e) {
      if (String(e.message) !== 'unauthorized') { setConn('down', 'bot unreachable, retrying'); wait(3000).then(start); }
    });
  }
  makeCharts();
  start();
})();
