import type { RoundTrip } from '../store/round-trip-repository.js';

/** Results of one pair of symbols (long leg / short leg) over a report's round trips. */
export interface PairRow {
  readonly pair: string;
  readonly longSymbol: string;
  readonly shortSymbol: string;
  readonly trades: number;
  readonly wins: number;
  readonly pnlUsd: number;
  readonly feesUsd: number;
  readonly avgPnlUsd: number;
  readonly bestUsd: number;
  readonly worstUsd: number;
  readonly avgHoldMs: number | null;
  readonly avgNotionalUsd: number;
  /** Exit reasons and how often each closed a trade. */
  readonly exits: Readonly<Record<string, number>>;
}

/** Groups closed round trips by their long/short symbols. Pure. */
export function pairTable(trips: readonly RoundTrip[]): PairRow[] {
  const groups = new Map<string, RoundTrip[]>();
  for (const t of trips) {
    const k = `${t.longSymbol} / ${t.shortSymbol}`;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  return [...groups].map(([pair, ts]) => {
    const pnls = ts.map((t) => t.realizedPnl ?? 0);
    const holds = ts.filter((t) => t.exitTs !== null && (t.openTs ?? t.entryTs) > 0).map((t) => t.exitTs! - (t.openTs ?? t.entryTs));
    const exits: Record<string, number> = {};
    for (const t of ts) exits[t.exitReason ?? 'unknown'] = (exits[t.exitReason ?? 'unknown'] ?? 0) + 1;
    const pnl = pnls.reduce((a, v) => a + v, 0);
    return {
      pair,
      longSymbol: ts[0]!.longSymbol,
      shortSymbol: ts[0]!.shortSymbol,
      trades: ts.length,
      wins: pnls.filter((p) => p > 0).length,
      pnlUsd: pnl,
      feesUsd: ts.reduce((a, t) => a + (t.fees ?? 0), 0),
      avgPnlUsd: pnl / ts.length,
      bestUsd: Math.max(...pnls),
      worstUsd: Math.min(...pnls),
      avgHoldMs: holds.length > 0 ? holds.reduce((a, v) => a + v, 0) / holds.length : null,
      avgNotionalUsd: ts.reduce((a, t) => a + t.targetNotional, 0) / ts.length,
      exits,
    };
  }).sort((a, b) => b.trades - a.trades);
}

/** Histogram of values in `bins` equal-width bins over [min, max]: bin left edges and counts. Pure. */
export function histogram(values: readonly number[], bins: number): { edges: number[]; counts: number[]; width: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0 || bins < 1) return { edges: [], counts: [], width: 0 };
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo === hi) return { edges: [lo], counts: [finite.length], width: 0 };
  const span = hi - lo;
  const width = span / bins;
  const counts = new Array<number>(bins).fill(0);
  // The bin comes from the value's fraction of the span, not from dividing by the width: for a
  // span near the smallest double the width underflows to 0 and v/width would be NaN.
  for (const v of finite) counts[Math.min(bins - 1, Math.floor(((v - lo) / span) * bins))]! += 1;
  return { edges: counts.map((_, i) => (i === 0 ? lo : lo + i * width)), counts, width };
}
