import type { CostBreakdown } from './cost-breakdown.js';

/**
 * Results as a band, not a number: the same configuration replayed over several intrabar paths
 * (seeded bridges plus the adverse order), summarised by the spread of net bps per volume.
 */

/** One replay of the band. */
export interface PathResult {
  /** `bridge seed 7`, `adverse`. */
  readonly label: string;
  readonly intrabar: 'bridge' | 'adverse';
  /** The bridge's seed; null for the adverse path. */
  readonly pathSeed: number | null;
  readonly volumeUsd: number;
  /** Net PnL ÷ filled notional × 1e4; null when nothing traded. */
  readonly netBpsPerVolume: number | null;
  readonly pnlUsd: number;
  readonly makerShare: number | null;
  readonly roundTrips: number;
  /** Neutrality from fills (`neutrality.ts`), when the run reported it. */
  readonly maxNakedUsd?: number;
  readonly maxGrossUsd?: number;
  readonly twAbsNetDeltaShare?: number | null;
  /** Where the money went (`cost-breakdown.ts`), when the run reported it. */
  readonly costs?: CostBreakdown;
}

/** Spread of net bps per volume over the paths (adverse included). */
export interface PathBand {
  readonly paths: number;
  /** Paths that traded (a net bps per volume exists); min/median/max are over these. */
  readonly traded: number;
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
  /** Paths with net bps per volume ≥ 0 (a path that did not trade does not count). */
  readonly nonNegative: number;
  /** `nonNegative / paths`; null without paths. */
  readonly nonNegativeShare: number | null;
  /** The adverse path's net bps per volume, when it was run and traded. */
  readonly adverse: number | null;
}

/** Median of a non-empty sorted list (mean of the middle two for an even count). */
function medianSorted(xs: readonly number[]): number {
  const m = xs.length >> 1;
  return xs.length % 2 === 1 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

/**
 * The band over all paths, the adverse one included (it belongs to the spread of outcomes, and
 * usually is its floor). Pure.
 */
export function pathBand(results: readonly PathResult[]): PathBand {
  const values = results.map((r) => r.netBpsPerVolume).filter((v): v is number => v !== null && Number.isFinite(v));
  const sorted = [...values].sort((a, b) => a - b);
  const nonNegative = values.filter((v) => v >= 0).length;
  return {
    paths: results.length,
    traded: values.length,
    min: sorted.length > 0 ? sorted[0]! : null,
    median: sorted.length > 0 ? medianSorted(sorted) : null,
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
    nonNegative,
    nonNegativeShare: results.length > 0 ? nonNegative / results.length : null,
    adverse: results.find((r) => r.intrabar === 'adverse')?.netBpsPerVolume ?? null,
  };
}

const bps = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(2));
const usd = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;
const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

/** One line: `net bps per volume: min … / median … / max …; paths ≥ 0: k of n (adverse …)`. */
export function formatBandLine(b: PathBand): string {
  return `net bps per volume: min ${bps(b.min)} / median ${bps(b.median)} / max ${bps(b.max)}; paths >= 0: ${b.nonNegative} of ${b.paths}` + (b.adverse === null ? '' : ` (adverse ${bps(b.adverse)})`);
}

/** A table of the paths, then the band line. Pure. */
export function formatBand(results: readonly PathResult[], band: PathBand): string[] {
  // Neutrality columns when the runs reported them.
  const neutral = results.some((r) => r.maxNakedUsd !== undefined);
  const rows: string[][] = [['path', 'volume', 'net bps/vol', 'PnL', 'maker share', 'round trips', ...(neutral ? ['max naked', 'tw |net delta|'] : [])]];
  for (const r of results) {
    const n = neutral ? [r.maxNakedUsd === undefined ? 'n/a' : usd(r.maxNakedUsd), pct(r.twAbsNetDeltaShare ?? null)] : [];
    rows.push([r.label, usd(r.volumeUsd), bps(r.netBpsPerVolume), usd(r.pnlUsd), pct(r.makerShare), String(r.roundTrips), ...n]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  return [...lines, formatBandLine(band)];
}
