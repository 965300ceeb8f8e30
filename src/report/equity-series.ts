import type { EquitySnapshot } from '../store/snapshot-repository.js';
import type { Store } from '../store/store.js';

/** A bot's equity history from its snapshots, column-wise (what uPlot draws directly). */
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

/**
 * A bot's equity, PnL, net delta and gross curve from `rows` (its snapshots of a range, read by the
 * caller, which uses them whole too), thinned to at most `maxPoints`.
 */
export function equitySeries(store: Store, botId: string, rows: readonly EquitySnapshot[], maxPoints = Number.POSITIVE_INFINITY): EquitySeries {
  const keep = thinIndices(rows.length, maxPoints).map((i) => rows[i]!);
  const baseEquity = baseEquityOf(store, botId);
  return { botId, baseEquity, ...seriesColumns(keep, baseEquity), total: rows.length };
}

/** The bot's first equity ever recorded: the base of the PnL curve. */
function baseEquityOf(store: Store, botId: string): number | null {
  return store.snapshots.firstEquity(botId)?.equity ?? null;
}

/** `rows` column-wise, PnL against `baseEquity`. */
function seriesColumns(rows: readonly EquitySnapshot[], baseEquity: number | null): Pick<EquitySeries, 'ts' | 'equity' | 'pnl' | 'netDelta' | 'grossNotional'> {
  return {
    ts: rows.map((r) => r.ts),
    equity: rows.map((r) => r.equity),
    pnl: rows.map((r) => r.equity - (baseEquity ?? r.equity)),
    netDelta: rows.map((r) => r.netDelta),
    grossNotional: rows.map((r) => r.grossNotional),
  };
}

/** The market time `/series` shows without `from`: the week before its end. */
export const SERIES_DEFAULT_WINDOW_MS = 7 * 86_400_000;

/** `/series`: a bounded window of the equity history, then what was read. */
export interface EquityWindow extends Omit<EquitySeries, 'total'> {
  /** The window read, market ms (`from` and `to` as asked, or the defaults). */
  readonly from: number;
  readonly to: number;
  /** Snapshots in the window when it held at most `maxPoints`; null when it held more (sampled). */
  readonly total: number | null;
  /** True when the window held more than `maxPoints` snapshots and was sampled evenly in time. */
  readonly sampled: boolean;
}

/**
 * The equity history `/series` serves, at a cost that does not grow with history: without `from`,
 * only the {@link SERIES_DEFAULT_WINDOW_MS} before `to` (or before the latest snapshot); at most
 * `maxPoints` rows read in order, and a window holding more is sampled by one seek per point (the
 * first snapshot at or after each of `maxPoints` evenly spaced times, the window's last kept: one
 * packed hour read each), so a year's window costs what a day's does.
 */
export function equityWindow(store: Store, botId: string, range: SeriesRange & { readonly maxPoints: number }): EquityWindow {
  const snapshots = store.snapshots;
  const m = Math.max(2, Math.floor(range.maxPoints));
  const asked = range.to ?? Number.MAX_SAFE_INTEGER;
  const last = snapshots.equityAtOrBefore(botId, asked);
  const to = range.to ?? last?.ts ?? 0;
  const from = range.from ?? to - SERIES_DEFAULT_WINDOW_MS;
  let rows = snapshots.equityRange(botId, from, to, m + 1);
  const sampled = rows.length > m;
  if (sampled && last) {
    const start = rows[0]!.ts;
    const end = last.ts;
    rows = [];
    for (let k = 0; k < m; k++) {
      const r = snapshots.equityAtOrAfter(botId, k === m - 1 ? end : start + Math.floor(((end - start) * k) / (m - 1)), to);
      if (r && (rows.length === 0 || r.ts > rows.at(-1)!.ts)) rows.push(r);
    }
  }
  const baseEquity = baseEquityOf(store, botId);
  return { botId, baseEquity, from, to, ...seriesColumns(rows, baseEquity), total: sampled ? null : rows.length, sampled };
}
