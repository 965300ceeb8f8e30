import { roundNearest } from '../../src/core/tick-rounding.js';
import type { Candle } from '../../src/core/types.js';
import { snappedOhlc, type PathPoint } from './candle-path.js';

/**
 * The random draws one candle's bridge consumes. Uniforms in [0, 1), normals standard. They come
 * from outside so two series can be given correlated draws (see `IntrabarPaths`).
 */
export interface BridgeDraws {
  /** < 0.5: the high is visited before the low. */
  readonly order: number;
  /** Where the first extreme falls among the interior points. */
  readonly first: number;
  /** Where the second extreme falls among the points left after the first. */
  readonly second: number;
  /** One normal increment per step: `points − 1` of them. */
  readonly increments: readonly number[];
}

export interface BridgePathOptions {
  /** Points in the candle, at least 4: open, two extremes, close. */
  readonly points: number;
  /** Candle length; point i is at `candle.ts + floor(i × intervalMs / points)`. */
  readonly intervalMs: number;
  readonly tickSize?: number;
  readonly draws: BridgeDraws;
}

/**
 * Size of the bridge's wiggle: the per-step standard deviation is this share of the candle's
 * range divided by √(points − 1), so a whole candle's worth of steps spreads about half the range
 * and the path stays a path rather than four straight lines, whatever the number of points.
 */
export const BRIDGE_VOLATILITY_SHARE = 0.5;

/** Number of points that fit `pointsPerMinute` in a candle of `intervalMs`, at least 4. */
export function pointsPerCandle(pointsPerMinute: number, intervalMs: number): number {
  return Math.max(4, Math.round((pointsPerMinute * intervalMs) / 60_000));
}

/**
 * Folds `x` back into [lo, hi] by reflection at the bounds (a reflected Brownian motion), then
 * clamps what many folds could leave outside.
 */
function reflectInto(x: number, lo: number, hi: number): number {
  if (hi <= lo) return lo;
  let v = x;
  for (let i = 0; i < 8 && (v < lo || v > hi); i++) v = v > hi ? 2 * hi - v : 2 * lo - v;
  return Math.min(hi, Math.max(lo, v));
}

/**
 * A Brownian bridge through the candle: open at point 0, its first extreme at an interior point,
 * the other extreme later, the close at the last point. The extreme visited first is the high
 * when `draws.order < 0.5`; the two extremes' positions come from `draws.first` and
 * `draws.second`. Between anchors the path is the straight line plus a Brownian bridge (the
 * cumulated increments minus their share of the segment's total), scaled by
 * {@link BRIDGE_VOLATILITY_SHARE}, reflected into [low, high] and snapped to the tick.
 *
 * Invariants (property-tested): the path starts at the open, ends at the close, visits the high
 * and the low exactly (snapped as `candlePath` does: high down, low up), and never leaves
 * [low, high]. Pure: the same candle and draws give the same path.
 * @throws RangeError when `points < 4` or fewer than `points − 1` increments are given.
 */
export function bridgePath(candle: Candle, options: BridgePathOptions): PathPoint[] {
  const { points, intervalMs, tickSize, draws } = options;
  if (!Number.isInteger(points) || points < 4) throw new RangeError(`points must be an integer >= 4, got ${points}`);
  if (draws.increments.length < points - 1) throw new RangeError(`need ${points - 1} increments, got ${draws.increments.length}`);
  const { open, high, low, close } = snappedOhlc(candle, tickSize);
  const highFirst = draws.order < 0.5;
  // Interior points are 1 … points − 2; the first extreme leaves room for the second.
  const i1 = 1 + Math.min(points - 4, Math.floor(draws.first * (points - 3)));
  const i2 = i1 + 1 + Math.min(points - 3 - i1, Math.floor(draws.second * (points - 2 - i1)));
  const anchors: ReadonlyArray<readonly [number, number]> = [
    [0, open],
    [i1, highFirst ? high : low],
    [i2, highFirst ? low : high],
    [points - 1, close],
  ];
  const sigma = (BRIDGE_VOLATILITY_SHARE * (high - low)) / Math.sqrt(points - 1);
  const prices = new Array<number>(points);
  for (let seg = 0; seg < 3; seg++) {
    const [a, pa] = anchors[seg]!;
    const [b, pb] = anchors[seg + 1]!;
    const m = b - a;
    let total = 0;
    for (let j = a; j < b; j++) total += draws.increments[j]!;
    prices[a] = pa;
    let w = 0;
    for (let k = 1; k < m; k++) {
      w += draws.increments[a + k - 1]!;
      const raw = pa + ((pb - pa) * k) / m + sigma * (w - (k / m) * total);
      const inside = reflectInto(raw, low, high);
      const snapped = tickSize === undefined ? inside : roundNearest(inside, tickSize);
      prices[a + k] = Math.min(high, Math.max(low, snapped));
    }
  }
  prices[points - 1] = close;
  return prices.map((price, i) => ({ ts: candle.ts + Math.floor((i * intervalMs) / points), price }));
}

/** Standard normal CDF Φ(x), by the Abramowitz–Stegun 7.1.26 erf (absolute error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  const p = 0.5 * (1 + (x >= 0 ? erf : -erf));
  return Math.min(1 - 1e-12, Math.max(0, p));
}
