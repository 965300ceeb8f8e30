import type { Store } from '../store/store.js';

/** A bot's equity history from `equity_snapshots`, column-wise (what uPlot draws directly). */
export interface EquitySeries {
  readonly botId: string;
  /** First equity ever recorded for the bot: the base of the PnL curve. */
  readonly baseEquity: number | null;
  /** Market time, ms. */
  readonly ts: number[];
  readonly equity: number[];
  /** Equity minus {@link baseEquity}. */
  readonly pnl: number[];
  readonly netDelta: number[];
  readonly grossNotional: number[];
  /** Snapshots in the range before thinning. */
  readonly total: number;
}

export interface SeriesRange {
  readonly from?: number;
  readonly to?: number;
  /** At most this many points (evenly thinned, the last point always kept). */
  readonly maxPoints?: number;
}

/** Indices of `n` rows thinned to at most `max`, evenly, first and last kept. */
export function thinIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (max >= n) return Array.from({ length: n }, (_, i) => i);
  const m = Math.max(2, Math.floor(max));
  const out: number[] = [];
  for (let k = 0; k < m; k++) out.push(Math.round((k * (n - 1)) / (m - 1)));
  return [...new Set(out)];
}

/** Reads a bot's equity, PnL, net delta and gross curve in a market-time range. */
export function equitySeries(store: Store, botId: string, range: SeriesRange = {}): EquitySeries {
  const base = store.db.prepare('SELECT equity FROM equity_snapshots WHERE bot_id = ? ORDER BY ts LIMIT 1').get(botId) as { equity: number } | undefined;
  const rows = store.db
    .prepare('SELECT ts, equity, net_delta, gross_notional FROM equity_snapshots WHERE bot_id = ? AND ts >= ? AND ts <= ? ORDER BY ts')
    .all(botId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as { ts: number; equity: number; net_delta: number; gross_notional: number }[];
  const keep = thinIndices(rows.length, range.maxPoints ?? Number.POSITIVE_INFINITY).map((i) => rows[i]!);
  const baseEquity = base?.equity ?? null;
  return {
    botId,
    baseEquity,
    ts: keep.map((r) => r.ts),
    equity: keep.map((r) => r.equity),
    pnl: keep.map((r) => r.equity - (baseEquity ?? r.equity)),
    netDelta: keep.map((r) => r.net_delta),
    grossNotional: keep.map((r) => r.gross_notional),
    total: rows.length,
  };
}
