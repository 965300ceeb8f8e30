import type { Candle } from '../../src/core/types.js';
import type { CandleTable } from './candle-table.js';

/** Fewer returns than this in the window: no estimate (0). */
export const MIN_CORRELATION_RETURNS = 10;

/** Estimates stay inside ±this, so the coupled draws keep some independence. */
export const MAX_ABS_CORRELATION = 0.99;

/**
 * Pearson correlation of the 1-minute log returns of two aligned series over the `window`
 * returns that END BEFORE candle `index` (returns of closes `index − window − 1 … index − 1`):
 * causal, the candle being replayed never informs its own path. 0 with fewer than
 * {@link MIN_CORRELATION_RETURNS} returns or a flat series; clamped to ±{@link MAX_ABS_CORRELATION}.
 * Pure; O(window).
 */
export function trailingReturnCorrelation(a: readonly Candle[], b: readonly Candle[], index: number, window: number): number {
  const first = Math.max(1, index - window);
  const n = index - first;
  if (n < MIN_CORRELATION_RETURNS) return 0;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let j = first; j < index; j++) {
    xs[j - first] = Math.log(a[j]!.close / a[j - 1]!.close);
    ys[j - first] = Math.log(b[j]!.close / b[j - 1]!.close);
  }
  return correlationOfReturns(xs, ys, 0, n);
}

/**
 * `out[j] = ln(close[j] / close[j − 1])` (out[0] = 0): computed once
 * per replay, so {@link trailingCorrelationOf} reads a window without a logarithm per return.
 */
export function logReturns(candles: readonly Candle[]): Float64Array {
  const out = new Float64Array(candles.length);
  for (let j = 1; j < candles.length; j++) out[j] = Math.log(candles[j]!.close / candles[j - 1]!.close);
  return out;
}

/** {@link logReturns} of a {@link CandleTable}'s closes: the same figures, bit for bit. */
export function closeLogReturns(table: CandleTable): Float64Array {
  const out = new Float64Array(table.length);
  for (let j = 1; j < table.length; j++) out[j] = Math.log(table.close(j) / table.close(j - 1));
  return out;
}

/** {@link trailingReturnCorrelation} over precomputed {@link logReturns}: the same figure, bit for bit. */
export function trailingCorrelationOf(x: Float64Array, y: Float64Array, index: number, window: number): number {
  const first = Math.max(1, index - window);
  const n = index - first;
  if (n < MIN_CORRELATION_RETURNS) return 0;
  return correlationOfReturns(x, y, first, index);
}

function correlationOfReturns(xs: Float64Array, ys: Float64Array, first: number, index: number): number {
  const n = index - first;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let j = first; j < index; j++) {
    const x = xs[j]!;
    const y = ys[j]!;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  if (!(vx > 0 && vy > 0)) return 0;
  const r = (sxy - (sx * sy) / n) / Math.sqrt(vx * vy);
  if (!Number.isFinite(r)) return 0;
  return Math.max(-MAX_ABS_CORRELATION, Math.min(MAX_ABS_CORRELATION, r));
}
