import { roundDown, roundNearest, roundUp } from '../../src/core/tick-rounding.js';
import type { Candle } from '../../src/core/types.js';

/** One point of the price path assumed inside a candle. */
export interface PathPoint {
  readonly ts: number;
  readonly price: number;
}

export interface CandlePathOptions {
  /** Number of points, at least 4 (open, first extreme, second extreme, close). */
  readonly steps: number;
  /** Candle length; point i is at `candle.ts + floor(i × intervalMs / steps)`. */
  readonly intervalMs: number;
  /** When given, prices are snapped to this tick (see {@link candlePath}). */
  readonly tickSize?: number;
  /** Visit the high before the low; default {@link highFirst} (the move against the close first). */
  readonly highFirst?: boolean;
}

/**
 * Which extreme a candle visits first. Convention (as in most bar-based backtesters): a candle
 * that closed below its open went up first (O → H → L → C); one that closed at or above its
 * open went down first (O → L → H → C). Both extremes are visited, the move against the close
 * comes first, and the path is the longest one consistent with the candle, so resting orders and
 * stops on either side get their chance and the candle still ends at its close.
 */
export function highFirst(candle: Candle): boolean {
  return candle.close < candle.open;
}

/** Open, high, low and close snapped to the tick: open/close nearest, high DOWN and low UP, clamped. */
export function snappedOhlc(candle: Candle, tickSize: number | undefined): { open: number; high: number; low: number; close: number } {
  let { open, high, low, close } = candle;
  if (tickSize !== undefined) {
    open = roundNearest(open, tickSize);
    close = roundNearest(close, tickSize);
    high = Math.max(roundDown(high, tickSize), open, close);
    low = Math.min(roundUp(low, tickSize), open, close);
  }
  return { open, high, low, close };
}

/**
 * The intra-candle price path: `steps` points evenly spaced in time from the candle's open
 * (ts, ts+15s, ts+30s, ts+45s for 4 steps of a 1-minute candle). Points 0 and `steps − 1` are the
 * open and close; the two extremes sit in between, and any extra points are linear
 * interpolations spread as evenly as possible over the three legs.
 *
 * With `tickSize`, open and close snap to the nearest tick, the high DOWN and the low UP (a
 * path never reaches beyond the recorded range), clamped so low ≤ open, close ≤ high.
 * Pure; throws RangeError when `steps < 4`.
 */
export function candlePath(candle: Candle, options: CandlePathOptions): PathPoint[] {
  const { steps, intervalMs, tickSize } = options;
  if (!Number.isInteger(steps) || steps < 4) throw new RangeError(`steps must be an integer >= 4, got ${steps}`);
  const { open, high, low, close } = snappedOhlc(candle, tickSize);
  const keys = (options.highFirst ?? highFirst(candle)) ? [open, high, low, close] : [open, low, high, close];
  // Split the steps − 1 intervals over 3 legs: 4 → 1,1,1; 5 → 2,1,1; 7 → 2,2,2.
  const perLeg = Math.floor((steps - 1) / 3);
  const extra = (steps - 1) % 3;
  const out: PathPoint[] = [];
  let i = 0;
  const push = (price: number): void => {
    out.push({ ts: candle.ts + Math.floor((i * intervalMs) / steps), price });
    i++;
  };
  push(open);
  for (let leg = 0; leg < 3; leg++) {
    const from = keys[leg] ?? open;
    const to = keys[leg + 1] ?? close;
    const n = perLeg + (leg < extra ? 1 : 0);
    for (let k = 1; k <= n; k++) {
      const raw = k === n ? to : from + ((to - from) * k) / n;
      push(k === n || tickSize === undefined ? raw : roundNearest(raw, tickSize));
    }
  }
  return out;
}
