import type { ReportData } from './report-data.js';
import { histogram } from './pair-table.js';
import { esc, hold, inlineJson, pct, signedUsd, table, tone, usd, utc } from './report-format.js';
import { executionSection, riskSection } from './report-sections.js';

/** The files inlined into a report so it opens with no network: uPlot, the chart script, the style. */
export interface ReportAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
  readonly clientJs: string;
  readonly css: string;
}

/** One chart the inline script draws with uPlot: x values and one or more series. */
export interface ChartSpec {
  readonly id: string;
  readonly x: readonly number[];
  /** x is seconds since the epoch (UTC time axis) or a plain number (USD). */
  readonly xKind: 'time' | 'day' | 'usd';
  readonly yKind: 'usd' | 'pct' | 'count';
  readonly series: readonly { readonly label: string; readonly values: readonly (number | null)[]; readonly color: string; readonly bars?: boolean; readonly fill?: string; readonly dash?: boolean }[];
}

const BINS = 24;
/** Histogram bins for n round trips: about twice √n, at most {@link BINS}. */
export const binsFor = (n: number): number => Math.min(BINS, Math.max(1, Math.ceil(2 * Math.sqrt(n))));

/** The charts of a report, from its data. Pure. */
export function reportCharts(d: ReportData): ChartSpec[] {
  const x = d.equity.ts.map((t) => t / 1000);
  const days = d.daily.map((r) => Date.parse(`${r.day}T00:00:00Z`) / 1000);
  const pnls = d.roundTrips.map((t) => t.realizedPnl ?? 0);
  const h = histogram(pnls, binsFor(pnls.length));
  let cum = 0;
  return [
    { id: 'chart-equity', x, xKind: 'time', yKind: 'usd', series: [{ label: 'Equity', values: d.equity.equity, color: '#1f6feb', fill: 'rgba(31,111,235,0.08)' }] },
    { id: 'chart-drawdown', x, xKind: 'time', yKind: 'pct', series: [{ label: 'Drawdown from peak', values: d.drawdown, color: '#cf222e', fill: 'rgba(207,34,46,0.15)' }] },
    {
      id: 'chart-volume',
      x: days,
      xKind: 'day',
      yKind: 'usd',
      series: [
        { label: 'Volume', values: d.daily.map((r) => r.volumeUsd), color: '#1f6feb', bars: true, fill: 'rgba(31,111,235,0.55)' },
        { label: 'Phase target', values: d.daily.map((r) => r.targetUsd), color: '#bf8700', dash: true },
      ],
    },
    { id: 'chart-pnl-dist', x: h.edges.map((e) => e + h.width / 2), xKind: 'usd', yKind: 'count', series: [{ label: 'Round trips', values: h.counts, color: '#8250df', bars: true, fill: 'rgba(130,80,223,0.55)' }] },
    {
      id: 'chart-cum-pnl',
      x: d.roundTrips.map((t) => (t.exitTs ?? 0) / 1000),
      xKind: 'time',
      yKind: 'usd',
      series: [{ label: 'Cumulative round-trip PnL (net of fees)', values: pnls.map((p) => (cum += p)), color: '#1a7f37', fill: 'rgba(26,127,55,0.10)' }],
    },
  ];
}

function kpi(label: string, value: string, sub: string, cls = ''): string {
  return `<div class="kpi"><div class="k">${esc(label)}</div><div class="v ${cls}">${value}</div><div class="d">${sub}</div></div>`;
}

function chartBox(id: string, title: string, note: string): string {
  return `<div class="panel"><h3>${esc(title)}</h3><div class="chart" id="${id}"></div><p class="note">${note}</p></div>`;
}

/**
 * The self-contained HTML report: summary, equity and drawdown, daily volume against the phase
 * target, round-trip PnL distribution, per-pair results, fees and funding, the risk metrics,
 * execution metrics, breaker trips, manual interventions and notable events. Charts are drawn by
 * uPlot from data inlined as JSON; nothing is fetched. Pure.
 */
export function renderReportHtml(d: ReportData, a: ReportAssets): string {
  const s = d.summary;
  const charts = reportCharts(d);
  const maker = s.fills > 0 ? s.makerFills / s.fills : null;
  const targetDays = d.daily.filter((r) => r.volumeUsd >= r.targetUsd).length;
  const recent = d.roundTrips.slice(-200).reverse();
  const body = `
<header><h1>dnbot report <span>${esc(d.botId)} · ${esc(d.venue)}</span></h1>
<p class="period">${esc(utc(d.fromTs))} → ${esc(utc(d.toTs))} UTC (market time) · generated ${esc(utc(d.generatedTs))} UTC${d.bots.length > 1 ? ` · bots in this database: ${esc(d.bots.join(', '))}` : ''}</p></header>
<section class="kpis">
${kpi('Equity', usd(s.endEquity), `from ${usd(s.startEquity)}`)}
${kpi('PnL', signedUsd(s.pnlUsd), `return ${pct(s.returnPct, 3)}`, tone(s.pnlUsd))}
${kpi('Max drawdown', pct(s.maxDrawdown, 3), 'from the running peak', s.maxDrawdown < 0 ? 'bad' : '')}
${kpi('Volume', usd(s.volumeUsd, 0), `${s.fills} fills · ${pct(maker, 0)} maker`)}
${kpi('Fees', usd(s.feesUsd), `maker ${usd(s.makerFeesUsd)} · taker ${usd(s.takerFeesUsd)}`)}
${kpi('Funding', usd(s.fundingUsd), 'paid (negative = received); realised − fees − Δ collateral')}
${kpi('Round trips', String(s.roundTrips), `win rate ${pct(s.winRate, 0)}`)}
</section>
<section class="two">
${chartBox('chart-equity', 'Equity (USD)', `${d.equity.total} snapshots${d.equity.ts.length < d.equity.total ? `, ${d.equity.ts.length} drawn` : ''}.`)}
${chartBox('chart-drawdown', 'Drawdown', 'Equity over its running peak, minus one.')}
</section>
<section class="two">
${chartBox('chart-volume', 'Daily volume against the phase target (USD)', `${targetDays} of ${d.daily.length} UTC day(s) reached the target. Partial first and last days included.`)}
${chartBox('chart-pnl-dist', 'Round-trip PnL distribution (USD, net of fees)', `${d.roundTrips.length} closed round trips in ${binsFor(d.roundTrips.length)} bins.`)}
</section>
<section class="two">
${chartBox('chart-cum-pnl', 'Cumulative round-trip PnL (USD)', 'By exit time.')}
<div class="panel"><h3>Phase progress</h3>
<p>Current phase <b>${esc(d.phase.current ?? '—')}</b>${d.phase.sinceTs !== null ? ` since ${esc(utc(d.phase.sinceTs))}` : ''}.</p>
${d.phase.gate ? table(d.phase.gate.criteria, [
    { title: 'criterion to reach the next phase', cell: (c) => esc(c.name.replace(/_/g, ' ')) },
    { title: 'actual', cell: (c) => esc(Number.isInteger(c.actual) ? c.actual : c.actual.toFixed(3)), num: true },
    { title: 'required', cell: (c) => `${esc(c.comparison)} ${esc(c.required)}`, num: true },
    { title: 'met', cell: (c) => (c.met ? 'yes' : 'no'), cls: (c) => (c.met ? 'good' : 'bad') },
  ]) : '<p class="empty">Gate not evaluated.</p>'}
<h4>Phase changes</h4>
${table(d.phase.changes, [
    { title: 'time', cell: (c) => esc(utc(c.ts)) },
    { title: 'change', cell: (c) => `${esc(c.fromPhase)} → ${esc(c.toPhase)}` },
    { title: 'kind', cell: (c) => esc(c.kind) },
    { title: 'reason', cell: (c) => esc(c.reason) },
  ], 'No phase change.')}
</div>
</section>
<section class="panel"><h3>Daily volume and PnL</h3>
${table(d.daily, [
    { title: 'day (UTC)', cell: (r) => esc(r.day) },
    { title: 'phase', cell: (r) => esc(r.phase), num: true },
    { title: 'volume', cell: (r) => usd(r.volumeUsd, 0), num: true },
    { title: 'target', cell: (r) => usd(r.targetUsd, 0), num: true },
    { title: 'of target', cell: (r) => pct(r.targetUsd > 0 ? r.volumeUsd / r.targetUsd : null, 0), num: true, cls: (r) => (r.volumeUsd >= r.targetUsd ? 'good' : '') },
    { title: 'fills', cell: (r) => esc(r.fills), num: true },
    { title: 'fees', cell: (r) => usd(r.feesUsd), num: true },
    { title: 'realised PnL net of fees', cell: (r) => signedUsd(r.pnlUsd), num: true, cls: (r) => tone(r.pnlUsd) },
  ], 'No trading day in this range.')}
</section>
<section class="panel"><h3>Per pair</h3>
${table(d.pairs, [
    { title: 'pair (long / short)', cell: (p) => esc(p.pair) },
    { title: 'round trips', cell: (p) => esc(p.trades), num: true },
    { title: 'win rate', cell: (p) => pct(p.wins / p.trades, 0), num: true },
    { title: 'PnL net of fees', cell: (p) => signedUsd(p.pnlUsd), num: true, cls: (p) => tone(p.pnlUsd) },
    { title: 'fees', cell: (p) => usd(p.feesUsd), num: true },
    { title: 'avg PnL', cell: (p) => signedUsd(p.avgPnlUsd), num: true },
    { title: 'best', cell: (p) => signedUsd(p.bestUsd), num: true },
    { title: 'worst', cell: (p) => signedUsd(p.worstUsd), num: true },
    { title: 'avg hold', cell: (p) => hold(p.avgHoldMs), num: true },
    { title: 'avg notional / leg', cell: (p) => usd(p.avgNotionalUsd, 0), num: true },
    { title: 'exits', cell: (p) => esc(Object.entries(p.exits).map(([k, n]) => `${k} ${n}`).join(', ')) },
  ], 'No closed round trip.')}
<h4>ExitBrain events</h4>
${table(d.exitEvents, [
    { title: 'kind', cell: (e) => esc(e.kind.replace(/_/g, ' ')) },
    { title: 'level', cell: (e) => esc(e.level ?? '—') },
    { title: 'count', cell: (e) => esc(e.n), num: true },
  ], 'No exit event.')}
<h4>Round trips${d.roundTrips.length > recent.length ? ` (latest ${recent.length} of ${d.roundTrips.length})` : ''}</h4>
<div class="scroll">${table(recent, [
    { title: 'id', cell: (t) => esc(t.id) },
    { title: 'long / short', cell: (t) => `${esc(t.longSymbol)} / ${esc(t.shortSymbol)}` },
    { title: 'notional / leg', cell: (t) => usd(t.targetNotional, 0), num: true },
    { title: 'opened', cell: (t) => esc(utc(t.openTs ?? t.entryTs)) },
    { title: 'closed', cell: (t) => esc(utc(t.exitTs)) },
    { title: 'held', cell: (t) => hold(t.exitTs !== null ? t.exitTs - (t.openTs ?? t.entryTs) : null), num: true },
    { title: 'exit', cell: (t) => esc(t.exitReason ?? '—') },
    { title: 'fees', cell: (t) => usd(t.fees), num: true },
    { title: 'PnL net of fees', cell: (t) => signedUsd(t.realizedPnl), num: true, cls: (t) => tone(t.realizedPnl) },
  ], 'No closed round trip.')}</div>
</section>
<section class="panel"><h3>Fees and funding</h3>
<dl class="facts"><dt>Fees paid</dt><dd>${usd(s.feesUsd)} (maker ${usd(s.makerFeesUsd)}, taker ${usd(s.takerFeesUsd)})</dd>
<dt>Fills</dt><dd>${esc(s.fills)} (${esc(s.makerFills)} maker, ${pct(maker, 0)})</dd>
<dt>Realised PnL before fees</dt><dd>${signedUsd(s.realizedGrossUsd)} (the range's UTC days)</dd>
<dt>Funding paid</dt><dd>${usd(s.fundingUsd)} (derived: realised − fees − change in collateral; negative = received)</dd></dl>
</section>
${riskSection(d.risk)}
${executionSection(d.executionMetrics)}
<section class="panel"><h3>Circuit breaker trips</h3>
${table(d.breakers, [
    { title: 'tripped', cell: (b) => esc(utc(b.trippedTs)) },
    { title: 'scope', cell: (b) => esc(b.scope) },
    { title: 'key', cell: (b) => esc(b.key) },
    { title: 'period', cell: (b) => esc(b.period) },
    { title: 'loss', cell: (b) => usd(b.loss), num: true, cls: () => 'bad' },
    { title: 'limit', cell: (b) => usd(b.limitValue), num: true },
    { title: 'reason', cell: (b) => esc(b.reason) },
    { title: 'status', cell: (b) => esc(b.status + (b.resetTs !== null ? ` (reset ${utc(b.resetTs)} by ${b.resetBy ?? '?'})` : '')) },
  ], 'No breaker tripped.')}
</section>
<section class="panel"><h3>Manual interventions</h3>
${table(d.interventions, [
    { title: 'time (as recorded)', cell: (i) => esc(utc(i.ts)) },
    { title: 'action', cell: (i) => esc(i.action) },
    { title: 'detail', cell: (i) => `<code>${esc(JSON.stringify(i.detail))}</code>` },
  ], 'No manual intervention.')}
</section>
<section class="panel"><h3>Notable events</h3>
<p class="note">Journal counts: ${esc(Object.entries(d.eventCounts).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(' · ') || 'none')}</p>
<div class="scroll">${table(d.notableEvents, [
    { title: 'time', cell: (e) => esc(utc(e.ts)) },
    { title: 'kind', cell: (e) => esc(e.kind.replace(/_/g, ' ')) },
    { title: 'data', cell: (e) => `<code>${esc(JSON.stringify(e.data).slice(0, 240))}</code>` },
  ], 'No notable event.')}</div>
</section>
<footer>Self-contained: charts by uPlot (inlined), data inlined below; opens offline.</footer>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dnbot report · ${esc(d.botId)} · ${esc(utc(d.fromTs))} → ${esc(utc(d.toTs))}</title>
<style>${a.uplotCss}</style>
<style>${a.css}</style>
</head><body>${body}
<script type="application/json" id="report-data">${inlineJson({ charts })}</script>
<script>${a.uplotJs.replace(/<\/script/gi, '<\\/script')}</script>
<script>${a.clientJs.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>
`;
}
