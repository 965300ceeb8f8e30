import type { CostBreakdown } from './cost-breakdown.js';
import type { PathBand, PathResult } from './path-band.js';

/**
 * The cheap-volume targets, judged on a band of replays (seeded bridge paths plus the adverse
 * path) on the honest model: median net bps per volume ≥ −2.0; ≥ 70% maker share of notional;
 * max naked exposure ≤ one slice and ≤ 10% of gross; time-weighted |net delta| ≤ 1% of gross;
 * at phase-1 volume (≥ $20,000 a day). Medians are judged where the target is a median (net,
 * maker share, time-weighted |Δ|); maxima on the worst path (max naked is a bound, not an average).
 */

export interface TargetSpread {
  readonly min: number | null;
  readonly median: number | null;
  readonly max: number | null;
}

export interface TargetVerdict {
  readonly target: string;
  /** What the judgement reads: `median`, or `worst` path. */
  readonly judged: 'median' | 'worst';
  readonly required: string;
  readonly band: TargetSpread;
  readonly actual: number | null;
  readonly pass: boolean;
}

export interface TargetOptions {
  /** The configuration's `execution.sliceUsd`. */
  readonly sliceUsd: number;
  /** Market days the band covers (for volume a day). */
  readonly days: number;
  /**
   * Slack on "one slice": a slice is sized at marks and filled at its own prices, on the lot grid,
   * so its notional may exceed `sliceUsd` by this share. 0.05.
   */
  readonly sliceSlack?: number;
}

function spread(xs: readonly (number | null | undefined)[]): TargetSpread {
  const v = xs.filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return { min: null, median: null, max: null };
  const m = v.length >> 1;
  return { min: v[0]!, median: v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2, max: v.at(-1)! };
}

/** The five verdicts (the four targets and the phase-1 volume they are judged at). Pure. */
export function judgeVolumeTargets(paths: readonly PathResult[], band: PathBand, o: TargetOptions): TargetVerdict[] {
  const slack = o.sliceSlack ?? 0.05;
  const net: TargetSpread = { min: band.min, median: band.median, max: band.max };
  const maker = spread(paths.map((p) => p.makerShare));
  const perDay = spread(paths.map((p) => (o.days > 0 ? p.volumeUsd / o.days : null)));
  const naked = spread(paths.map((p) => p.maxNakedUsd));
  const nakedShare = spread(paths.map((p) => (p.maxNakedUsd !== undefined && p.maxGrossUsd !== undefined && p.maxGrossUsd > 0 ? p.maxNakedUsd / p.maxGrossUsd : null)));
  const tw = spread(paths.map((p) => p.twAbsNetDeltaShare));
  const at = (x: number | null, ok: (v: number) => boolean): boolean => x !== null && ok(x);
  return [
    { target: 'median net bps per volume', judged: 'median', required: '>= -2.0', band: net, actual: net.median, pass: at(net.median, (v) => v >= -2.0) },
    { target: 'maker share of notional', judged: 'median', required: '>= 70%', band: maker, actual: maker.median, pass: at(maker.median, (v) => v >= 0.7) },
    { target: 'max naked exposure, USD', judged: 'worst', required: `<= one slice ($${o.sliceUsd}, +${slack * 100}% for lots and drift)`, band: naked, actual: naked.max, pass: at(naked.max, (v) => v <= o.sliceUsd * (1 + slack)) },
    { target: 'max naked exposure ÷ max gross', judged: 'worst', required: '<= 10%', band: nakedShare, actual: nakedShare.max, pass: at(nakedShare.max, (v) => v <= 0.1) },
    { target: 'time-weighted |net delta| ÷ gross', judged: 'median', required: '<= 1%', band: tw, actual: tw.median, pass: at(tw.median, (v) => v <= 0.01) },
    { target: 'volume a day (phase 1), USD', judged: 'median', required: '>= $20,000', band: perDay, actual: perDay.median, pass: at(perDay.median, (v) => v >= 20_000) },
  ];
}

/** The cost terms of the paths' costs, each as bps of that path's volume, median over paths, largest loss first. Pure. */
export function costTermsBps(paths: readonly PathResult[]): { term: string; bps: number }[] {
  const keys: (keyof CostBreakdown)[] = ['feesMakerUsd', 'feesTakerUsd', 'takerSpreadUsd', 'makerSpreadUsd', 'makerAdverseUsd', 'hedgeUsd', 'fundingUsd', 'marketMoveUsd'];
  const out: { term: string; bps: number }[] = [];
  for (const k of keys) {
    const med = spread(paths.map((p) => (p.costs && p.volumeUsd > 0 ? ((p.costs[k] as number) / p.volumeUsd) * 1e4 : null))).median;
    if (med !== null) out.push({ term: k, bps: med });
  }
  return out.sort((a, b) => a.bps - b.bps);
}

const fmt = (target: string, x: number | null): string => {
  if (x === null) return 'n/a';
  if (target.includes('share') || target.includes('÷')) return `${(x * 100).toFixed(1)}%`;
  if (target.includes('USD')) return `$${Math.round(x).toLocaleString('en-US')}`;
  return x.toFixed(2);
};

/** One line per verdict: PASS/FAIL, target, judged value, band min / median / max, requirement. Pure. */
export function formatTargets(verdicts: readonly TargetVerdict[]): string[] {
  return verdicts.map((v) => `${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.judged} ${fmt(v.target, v.actual)} (band ${fmt(v.target, v.band.min)} / ${fmt(v.target, v.band.median)} / ${fmt(v.target, v.band.max)}; required ${v.required})`);
}
