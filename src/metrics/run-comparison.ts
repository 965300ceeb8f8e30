import { drawdownAnalysis } from '../analytics/drawdown.js';
import { PERIODS_PER_YEAR, sharpeRatio } from '../analytics/performance.js';
import { annualisationWindow, type AnnualisationWindow } from '../analytics/annualisation-window.js';
import type { CostBreakdown } from './cost-breakdown.js';
import type { NeutralityMetrics } from './neutrality.js';

/** What one replayed configuration produced, as `dnbot compare` reads it back. */
export interface ComparisonInput {
  readonly volumeUsd: number;
  readonly netBpsPerVolume: number | null;
  readonly realizedPnlUsd: number;
  readonly startingEquityUsd: number;
  readonly endingEquityUsd: number;
  readonly makerShare: number | null;
  readonly roundTrips: number;
  readonly nonNegativeRoundTripShare: number | null;
  readonly maxAbsNetDeltaUsd: number;
  /** Neutrality from fills at event resolution (src/metrics/neutrality). */
  readonly neutrality: NeutralityMetrics;
  readonly costs: CostBreakdown;
  /** Equity snapshots, oldest first. */
  readonly equity: readonly { readonly ts: number; readonly equity: number }[];
}

/** One column of the side-by-side table. */
export interface ComparisonRow {
  readonly volumeUsd: number;
  readonly netBpsPerVolume: number | null;
  /** Equity change over the run (realised, unrealised, fees and funding). */
  readonly pnlUsd: number;
  readonly realizedPnlUsd: number;
  /** Largest fall from a peak of equity, as a fraction (0.01 = 1%). */
  readonly maxDrawdown: number;
  /** Annualised Sharpe ratio of hourly equity returns; null with fewer than 2 or constant returns. */
  readonly sharpe: number | null;
  /** The span the Sharpe ratio was annualised from; `short` under 30 days (a warning is printed). */
  readonly sharpeWindow: AnnualisationWindow;
  readonly makerShare: number | null;
  readonly roundTrips: number;
  readonly nonNegativeRoundTripShare: number | null;
  readonly maxAbsNetDeltaUsd: number;
  readonly neutrality: NeutralityMetrics;
  readonly costs: CostBreakdown;
}

const HOUR_MS = 3_600_000;

/** Equity at the last snapshot of each hour, oldest first. Pure. */
export function hourlyEquity(equity: readonly { ts: number; equity: number }[]): number[] {
  const out: number[] = [];
  let hour = Number.NaN;
  for (const p of equity) {
    const h = Math.floor(p.ts / HOUR_MS);
    if (h === hour) out[out.length - 1] = p.equity;
    else out.push(p.equity);
    hour = h;
  }
  return out;
}

/** The table's numbers for one run. Pure. */
export function comparisonRow(i: ComparisonInput): ComparisonRow {
  const curve = hourlyEquity(i.equity).filter((e) => e > 0);
  const returns: number[] = [];
  for (let k = 1; k < curve.length; k++) returns.push(curve[k]! / curve[k - 1]! - 1);
  return {
    volumeUsd: i.volumeUsd,
    netBpsPerVolume: i.netBpsPerVolume,
    pnlUsd: i.endingEquityUsd - i.startingEquityUsd,
    realizedPnlUsd: i.realizedPnlUsd,
    maxDrawdown: curve.length > 0 ? -drawdownAnalysis(curve).maxDrawdown : 0,
    sharpe: returns.length >= 2 ? sharpeRatio(returns, { periodsPerYear: PERIODS_PER_YEAR.hour }) : null,
    sharpeWindow: annualisationWindow(i.equity.length > 1 ? i.equity.at(-1)!.ts - i.equity[0]!.ts : 0),
    makerShare: i.makerShare,
    roundTrips: i.roundTrips,
    nonNegativeRoundTripShare: i.nonNegativeRoundTripShare,
    maxAbsNetDeltaUsd: i.maxAbsNetDeltaUsd,
    neutrality: i.neutrality,
    costs: i.costs,
  };
}

const usd = (v: number): string => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, d = 2): string => (v === null ? 'n/a' : v.toFixed(d));

/** The cost breakdown's lines, in the order they are printed; they sum to the last. */
export const COST_ROWS: readonly (readonly [string, keyof CostBreakdown])[] = [
  ['fees, maker', 'feesMakerUsd'],
  ['fees, taker', 'feesTakerUsd'],
  ['spread paid by takers', 'takerSpreadUsd'],
  ['spread earned by makers', 'makerSpreadUsd'],
  ['adverse selection (60 s)', 'makerAdverseUsd'],
  ['hedges and repairs', 'hedgeUsd'],
  ['funding', 'fundingUsd'],
  ['market move on inventory', 'marketMoveUsd'],
  ['= net PnL', 'netPnlUsd'],
];

/** The side-by-side table, one line per measure. Pure. */
export function formatComparison(a: ComparisonRow, b: ComparisonRow, labels: readonly [string, string]): string[] {
  const rows: [string, string, string][] = [
    ['volume', usd(a.volumeUsd), usd(b.volumeUsd)],
    ['net bps per volume', num(a.netBpsPerVolume), num(b.netBpsPerVolume)],
    ['PnL (equity change)', usd(a.pnlUsd), usd(b.pnlUsd)],
    ['realised PnL (closed pairs)', usd(a.realizedPnlUsd), usd(b.realizedPnlUsd)],
    ['max drawdown', pct(a.maxDrawdown), pct(b.maxDrawdown)],
    ['Sharpe (hourly, annualised)', sharpeCell(a), sharpeCell(b)],
    ['maker share of volume', pct(a.makerShare), pct(b.makerShare)],
    ['round trips', String(a.roundTrips), String(b.roundTrips)],
    ['round trips with PnL >= 0', pct(a.nonNegativeRoundTripShare), pct(b.nonNegativeRoundTripShare)],
    ['|net delta| max', usd(a.maxAbsNetDeltaUsd), usd(b.maxAbsNetDeltaUsd)],
    ['|net delta| time-weighted (fills)', usd(a.neutrality.twAbsNetDeltaUsd), usd(b.neutrality.twAbsNetDeltaUsd)],
    ['  of gross', pct(a.neutrality.twAbsNetDeltaShare), pct(b.neutrality.twAbsNetDeltaShare)],
    ['|net delta| max of max gross', pct(a.neutrality.maxAbsNetDeltaShare), pct(b.neutrality.maxAbsNetDeltaShare)],
    ['max naked exposure', usd(a.neutrality.maxNakedUsd), usd(b.neutrality.maxNakedUsd)],
    ['time with |net delta| > 10%', pct(a.neutrality.shareAboveThreshold), pct(b.neutrality.shareAboveThreshold)],
    ...COST_ROWS.map(([label, k]): [string, string, string] => [label, usd(a.costs[k]), usd(b.costs[k])]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length), 7);
  const w1 = Math.max(...rows.map((r) => r[1].length), labels[0].length);
  const w2 = Math.max(...rows.map((r) => r[2].length), labels[1].length);
  const line = (c: readonly [string, string, string]): string => `${c[0].padEnd(w0)}  ${c[1].padStart(w1)}  ${c[2].padStart(w2)}`;
  const warnings = ([[labels[0], a], [labels[1], b]] as const).filter(([, r]) => r.sharpe !== null && r.sharpeWindow.short).map(([l, r]) => `(!) ${l}: Sharpe ${r.sharpeWindow.warning}`);
  return [line(['', labels[0], labels[1]]), ...rows.map(line), ...warnings];
}

/** A Sharpe figure, marked `(!)` when annualised from a short window (explained under the table). */
function sharpeCell(r: ComparisonRow): string {
  return r.sharpe !== null && r.sharpeWindow.short ? `${num(r.sharpe)} (!)` : num(r.sharpe);
}
