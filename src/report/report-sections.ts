import type { DrawdownAnalysis, PerformanceSummary, PortfolioVarEstimate, TradeStatistics, VarEstimate } from '../analytics/index.js';
import type { RiskReport } from '../engine/risk-report.js';
import type { CostBreakdown } from '../metrics/cost-breakdown.js';
import type { NeutralityMetrics } from '../metrics/neutrality.js';
import { COST_ROWS } from '../metrics/run-comparison.js';
import { esc, maybe, num, pct, table, usd } from './report-format.js';
import { healthRatioText } from './figure-text.js';

/** The risk metrics of engine/risk-report (src/analytics): drawdown, ratios, VaR, volatility, limits, liquidation. Pure. */
export function riskSection(r: RiskReport): string {
  const v = r.valueAtRisk;
  const varRows: [string, string][] =
    'flat' in v
      ? [['1-day 95% VaR', 'flat book at the end of the range: nothing at risk']]
      : [
          ['VaR historical (1 day, 95%)', maybe<VarEstimate>(v.historical, (x) => `${usd(x.valueAtRiskUsd ?? 0)} (${pct(x.valueAtRisk)}), ES ${usd(x.expectedShortfallUsd ?? 0)}`)],
          ['VaR parametric', maybe<VarEstimate>(v.parametric, (x) => `${usd(x.valueAtRiskUsd ?? 0)} (${pct(x.valueAtRisk)}), ES ${usd(x.expectedShortfallUsd ?? 0)}`)],
          ['VaR Monte Carlo', maybe<PortfolioVarEstimate>(v.monteCarlo, (x) => `${usd(x.valueAtRiskUsd)} (${pct(x.valueAtRisk)}), ES ${usd(x.expectedShortfallUsd)}`)],
        ];
  const facts: [string, string][] = [
    ['Drawdown', maybe<DrawdownAnalysis>(r.drawdown, (x) => `max ${pct(x.maxDrawdown, 3)}, current ${pct(x.currentDrawdown, 3)}`)],
    [
      'Sharpe / Sortino / Calmar',
      maybe<PerformanceSummary>(r.performance, (x) => `${num(x.sharpeRatio)} / ${num(x.sortinoRatio)} / ${num(x.calmarRatio)} (annualised from 1-minute equity)`) +
        (r.annualisation?.warning ? ` <span class="warn-note" role="note">⚠ ${esc(r.annualisation.warning)}</span>` : ''),
    ],
    [
      'Round trips',
      maybe<TradeStatistics>(r.trades, (t) => `${t.totalTrades}, win rate ${pct(t.winRate, 1)}, profit factor ${num(t.profitFactor)}, avg win ${usd(t.averageWin ?? 0)}, avg loss ${usd(t.averageLoss ?? 0)}, largest loss ${usd(t.largestLoss ?? 0)}`),
    ],
    ...varRows,
    ['Dynamic correlation (DCC) and regime', dynamicsCell(r.dynamics)],
    ['Leverage at the end', r.summary.leverage === null ? '—' : `${num(r.summary.leverage)}×`],
    ['Health ratio', r.liquidation?.healthRatio === null || r.liquidation === null ? 'n/a (no margin in use)' : `${esc(healthRatioText(r.liquidation.healthRatio))} · risk level ${esc(r.liquidation.riskLevel)}`],
  ];
  const assets = table(r.assets, [
    { title: 'asset', cell: (a) => esc(a.symbol) },
    { title: 'returns', cell: (a) => esc(a.returns), num: true },
    { title: 'realised vol', cell: (a) => maybe<number>(a.realisedVolatility, (x) => pct(x, 1)), num: true },
    { title: 'EWMA vol', cell: (a) => maybe<number>(a.ewmaVolatility, (x) => pct(x, 1)), num: true },
    { title: 'GARCH next day', cell: (a) => maybe<{ nextDayVolatility: number }>(a.garch, (g) => pct(g.nextDayVolatility)), num: true },
    { title: 'beta vs SOL', cell: (a) => num(a.betaVsSol), num: true },
  ], 'No bars in this range.');
  const limits = table(r.limits, [
    { title: 'limit', cell: (l) => esc(l.limit) },
    { title: 'actual', cell: (l) => num(l.actual, 4), num: true },
    { title: 'allowed', cell: (l) => esc(l.allowed), num: true },
    { title: 'headroom', cell: (l) => num(l.headroom, 4), num: true, cls: (l) => (l.headroom !== null && l.headroom < 0 ? 'bad' : 'good') },
  ]);
  return `<section class="panel"><h3>Risk metrics</h3>
<p class="note">Drawdown, ratios and round trips over the whole period; VaR and volatility from its last week of 1-minute bars; leverage and health at its end.</p>
<div class="two"><dl class="facts">${facts.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${val}</dd>`).join('')}</dl>
<div><h4>Volatility by asset</h4>${assets}<h4>Limits (seed 002; seed 001 allocation) and headroom</h4>${limits}</div></div>
${r.violations.length > 0 ? `<p class="bad">Breaches: ${esc(r.violations.map((x) => x.message).join('; '))}</p>` : ''}
</section>`;
}

/** DCC's correlation now and long-run, the regime and the hedge ratio of the report's pair. */
function dynamicsCell(d: RiskReport['dynamics']): string {
  if (d === null) return '—';
  if ('unavailable' in d) return `n/a (${esc(d.unavailable)})`;
  return `${esc(d.long)}/${esc(d.short)}: ρ ${num(d.correlation)} now, ${num(d.longRunCorrelation)} long-run · regime ${esc(d.regime.label)} · hedge ratio ${num(d.hedgeRatio.ratio, 3)} (${esc(d.hedgeRatio.reason)})`;
}

const LABELS: Record<string, string> = {
  makerShare: 'maker share of filled notional',
  makerFillShare: 'maker share of fills',
  postOnlyRejectionRate: 'post-only rejection rate',
  restingFillRate: 'resting orders filled',
  avgQueueWaitMs: 'average queue wait (ms)',
  spreadCaptureBps: 'spread captured at fill (bps)',
  realisedSpreadCaptureBps: 'realised spread capture after 60 s (bps)',
  netBpsPerVolume: 'net PnL per volume (bps)',
  nonNegativeRoundTripShare: 'round trips with PnL ≥ 0',
  netPnlUsd: 'net PnL (USD)',
  feesUsd: 'fees (USD)',
  fundingUsd: 'funding (USD)',
  volumeUsd: 'volume (USD)',
};
const SHARES = new Set(['makerShare', 'makerFillShare', 'postOnlyRejectionRate', 'restingFillRate', 'nonNegativeRoundTripShare']);

function metricValue(k: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return SHARES.has(k) ? pct(v, 1) : k.endsWith('Usd') ? usd(v) : Number.isInteger(v) ? String(v) : num(v, 2);
  if (typeof v === 'object') return esc(Object.entries(v as Record<string, unknown>).map(([a, b]) => `${a} ${typeof b === 'number' ? b.toFixed(2) : String(b)}`).join(' · '));
  return esc(v);
}

/**
 * Execution metrics (maker share, adverse selection, net bps per volume), computed by
 * engine/execution-metrics-loader when it is available and handed in by the command; empty-safe.
 */
export function executionSection(m: unknown): string {
  const report =
    m !== null && typeof m === 'object'
      ? (m as { total?: Record<string, unknown>; days?: { day: string; metrics: Record<string, unknown> }[]; neutrality?: NeutralityMetrics; costs?: CostBreakdown })
      : null;
  if (!report?.total) {
    return '<section class="panel"><h3>Execution quality</h3><p class="empty">Execution metrics are not available for this database.</p></section>';
  }
  const total = report.total;
  const rows = Object.entries(total).map(([k, v]) => `<dt>${esc(LABELS[k] ?? k.replace(/([A-Z])/g, ' $1').toLowerCase())}</dt><dd>${metricValue(k, v)}</dd>`);
  const days = report.days ?? [];
  return `<section class="panel"><h3>Execution quality</h3>
<dl class="facts">${rows.join('')}</dl>
<h4>By UTC day</h4>
${table(days, [
    { title: 'day', cell: (d) => esc(d.day) },
    { title: 'volume', cell: (d) => metricValue('volumeUsd', d.metrics['volumeUsd']), num: true },
    { title: 'maker share', cell: (d) => metricValue('makerShare', d.metrics['makerShare']), num: true },
    { title: 'adverse selection (bps)', cell: (d) => metricValue('adverseSelectionBps', d.metrics['adverseSelectionBps']), num: true },
    { title: 'net bps / volume', cell: (d) => metricValue('netBpsPerVolume', d.metrics['netBpsPerVolume']), num: true },
  ], 'No day.')}
${report.neutrality ? neutralityBlock(report.neutrality) : ''}
${report.costs ? costBlock(report.costs) : ''}
</section>`;
}

/** Neutrality from fills at event resolution (src/metrics/neutrality). Pure. */
export function neutralityBlock(n: NeutralityMetrics): string {
  const share = (v: number | null): string => (v === null ? '—' : pct(v, 1));
  const facts: [string, string][] = [
    ['time-weighted |net delta| while holding', `${usd(n.twAbsNetDeltaUsd)} (${share(n.twAbsNetDeltaShare)} of gross ${usd(n.twGrossUsd)})`],
    ['max |net delta|', `${usd(n.maxAbsNetDeltaUsd)} (${share(n.maxAbsNetDeltaShare)} of max gross ${usd(n.maxGrossUsd)})`],
    ['max naked exposure (at cost)', usd(n.maxNakedUsd)],
    ['time with |net delta| > 10% of pair notional', `${num(n.secondsAboveThreshold, 0)} s (${share(n.shareAboveThreshold)} of ${num(n.holdingSeconds, 0)} s holding)`],
  ];
  return `<h4>Neutrality (from fills, at event resolution)</h4>
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** Where the money went: terms that sum to net PnL (src/metrics/cost-breakdown). Pure. */
export function costBlock(c: CostBreakdown): string {
  return `<h4>Where the money went</h4>
<p class="note">Positive = earned. The lines sum to the change in equity over the range.</p>
<dl class="facts">${COST_ROWS.map(([label, k]) => `<dt>${esc(label)}</dt><dd>${usd(c[k])}</dd>`).join('')}</dl>`;
}
