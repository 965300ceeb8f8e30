import { ConfigError, ErrorCodes } from '../core/errors.js';
import { pointLabel, rankRows, type GridPoint, type SweepRow, type SweepRunResult } from './sweep-grid.js';

/**
 * The pure half of `dnbot sweep --walk-forward N`: the replay range cut into N + 1 consecutive
 * windows of equal length (on whole minutes); fold k (1 … N) picks the grid point that did best on
 * window k − 1 (the sweep's ranking, training data only) and reports what that point made on
 * window k, which it has never seen. The folds' test windows together are the out-of-sample
 * result. Same range, same grid, same folds: reproducible.
 */

const MINUTE = 60_000;

export interface WalkWindow {
  readonly index: number;
  /** Market time, inclusive. */
  readonly from: number;
  /** Market time, exclusive. */
  readonly to: number;
}

/**
 * `folds` + 1 consecutive windows covering [from, to), boundaries on whole minutes.
 * @throws ConfigError naming `--walk-forward` when a window would be shorter than an hour.
 */
export function walkWindows(from: number, to: number, folds: number): WalkWindow[] {
  const n = folds + 1;
  const step = Math.floor((to - from) / n / MINUTE) * MINUTE;
  if (!(step >= 60 * MINUTE)) throw new ConfigError('--walk-forward', `${folds} folds cut ${new Date(from).toISOString()} → ${new Date(to).toISOString()} into windows under an hour; use fewer folds or more data`, ErrorCodes.CLI_USAGE);
  return Array.from({ length: n }, (_, i) => ({ index: i, from: from + i * step, to: i === n - 1 ? to : from + (i + 1) * step }));
}

/** `--walk-forward`: a whole number of folds >= 1. @throws ConfigError naming the flag. */
export function parseFolds(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw new ConfigError('--walk-forward', `expected a whole number of folds >= 1, got "${text}"`, ErrorCodes.CLI_USAGE);
  return n;
}

/** Several windows' results as one: volumes, PnL and round trips add up, rates are volume-weighted. Null when none traded. Pure. */
export function combineRuns(runs: readonly (SweepRunResult | null)[]): SweepRunResult | null {
  const ok = runs.filter((r): r is SweepRunResult => r !== null);
  if (ok.length === 0) return null;
  const volumeUsd = ok.reduce((s, r) => s + r.volumeUsd, 0);
  const weighted = (f: (r: SweepRunResult) => number | null): number | null => {
    const w = ok.filter((r) => f(r) !== null && r.volumeUsd > 0);
    const v = w.reduce((s, r) => s + r.volumeUsd, 0);
    return v > 0 ? w.reduce((s, r) => s + f(r)! * r.volumeUsd, 0) / v : null;
  };
  return { volumeUsd, netBpsPerVolume: weighted((r) => r.netBpsPerVolume), pnlUsd: ok.reduce((s, r) => s + r.pnlUsd, 0), makerShare: weighted((r) => r.makerShare), roundTrips: ok.reduce((s, r) => s + r.roundTrips, 0) };
}

export interface WalkFold {
  readonly fold: number;
  readonly train: WalkWindow;
  readonly test: WalkWindow;
  /** Grid index of the point chosen on the training window (null when nothing traded). */
  readonly chosen: number | null;
  readonly point: GridPoint | null;
  readonly trainResult: SweepRunResult | null;
  readonly testResult: SweepRunResult | null;
}

export interface WalkForwardResult {
  readonly windows: readonly WalkWindow[];
  readonly folds: readonly WalkFold[];
  /** The chosen points' test windows together. */
  readonly outOfSample: SweepRunResult | null;
}

/**
 * Picks each fold's point on its training window and reads its test window. `results[i][w]` is
 * grid point i's result on window w. Ranking as the sweep's (net bps per volume, then volume,
 * then grid order). Pure.
 */
export function walkForward(points: readonly GridPoint[], results: readonly (readonly (SweepRunResult | null)[])[], windows: readonly WalkWindow[]): WalkForwardResult {
  const folds: WalkFold[] = [];
  for (let k = 1; k < windows.length; k++) {
    const rows: SweepRow[] = points.map((point, i) => ({ index: i, point, train: results[i]?.[k - 1] ?? null, test: null }));
    const best = rankRows(rows)[0];
    const chosen = best && best.train !== null ? best.index : null;
    folds.push({ fold: k, train: windows[k - 1]!, test: windows[k]!, chosen, point: chosen === null ? null : points[chosen]!, trainResult: chosen === null ? null : results[chosen]![k - 1] ?? null, testResult: chosen === null ? null : results[chosen]![k] ?? null });
  }
  return { windows, folds, outOfSample: combineRuns(folds.map((f) => f.testResult)) };
}

const bps = (r: SweepRunResult | null): string => (r?.netBpsPerVolume === null || r?.netBpsPerVolume === undefined ? '' : r.netBpsPerVolume.toFixed(2));
const usd = (r: SweepRunResult | null): string => (r ? `$${Math.round(r.volumeUsd).toLocaleString('en-US')}` : '');
const day = (ts: number): string => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');

/** The folds as text lines: train and test windows, the point chosen, its train and test figures, then the out-of-sample total. Pure. */
export function formatWalkForward(w: WalkForwardResult): string[] {
  const rows: string[][] = [['fold', 'train window', 'test window', 'chosen on train', 'train bps', 'test bps', 'test volume']];
  for (const f of w.folds) {
    rows.push([String(f.fold), `${day(f.train.from)} → ${day(f.train.to)}`, `${day(f.test.from)} → ${day(f.test.to)}`, f.point ? pointLabel(f.point) : '(nothing traded)', bps(f.trainResult), bps(f.testResult), usd(f.testResult)]);
  }
  rows.push(['all', '', '', 'out of sample', '', bps(w.outOfSample), usd(w.outOfSample)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return ['', 'walk-forward (each fold chosen on the window before its test window):', ...rows.map((row) => row.map((cell, c) => (c <= 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))];
}
