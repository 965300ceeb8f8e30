import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Candle } from '../../../../src/core/types.js';
import { isOnGrid } from '../../../../src/core/tick-rounding.js';
import { candlePath, highFirst } from '../../../../adapters/replay/candle-path.js';

const T0 = 1_617_321_600_000;
const opts = { steps: 4, intervalMs: 60_000 } as const;

function candle(open: number, high: number, low: number, close: number): Candle {
  return { ts: T0, open, high, low, close, volume: 10 };
}

describe('candlePath', () => {
  it('goes O → H → L → C for a candle that closed down', () => {
    const path = candlePath(candle(100, 103, 97, 98), opts);
    expect(path.map((p) => p.price)).toEqual([100, 103, 97, 98]);
    expect(highFirst(candle(100, 103, 97, 98))).toBe(true);
  });

  it('goes O → L → H → C for a candle that closed up', () => {
    expect(candlePath(candle(100, 103, 97, 102), opts).map((p) => p.price)).toEqual([100, 97, 103, 102]);
  });

  it('treats an unchanged close as up (low first)', () => {
    expect(candlePath(candle(100, 101, 99, 100), opts).map((p) => p.price)).toEqual([100, 99, 101, 100]);
  });

  it('spaces points evenly inside the minute: ts, +15 s, +30 s, +45 s', () => {
    expect(candlePath(candle(100, 103, 97, 98), opts).map((p) => p.ts - T0)).toEqual([0, 15_000, 30_000, 45_000]);
  });

  it('snaps to the tick: open/close nearest, high down, low up', () => {
    const path = candlePath(candle(100.04, 100.29, 99.71, 100.06), { ...opts, tickSize: 0.1 });
    expect(path.map((p) => p.price)).toEqual([100, 99.8, 100.2, 100.1]);
  });

  it('keeps low ≤ open, close ≤ high after snapping', () => {
    // low rounds up to 100.1, above the open that rounds to 100.0: clamped to the open.
    const path = candlePath(candle(100.04, 100.04, 100.02, 100.04), { ...opts, tickSize: 0.1 });
    expect(path.map((p) => p.price)).toEqual([100, 100, 100, 100]);
  });

  it('interpolates extra points, keeping the extremes on the path', () => {
    const path = candlePath(candle(100, 106, 94, 103), { steps: 7, intervalMs: 60_000 });
    expect(path.map((p) => p.price)).toEqual([100, 97, 94, 100, 106, 104.5, 103]);
    expect(candlePath(candle(100, 106, 94, 103), { steps: 5, intervalMs: 60_000 }).map((p) => p.price)).toEqual([
      100, 97, 94, 106, 103,
    ]);
  });

  it('rejects fewer than 4 steps', () => {
    expect(() => candlePath(candle(1, 1, 1, 1), { steps: 3, intervalMs: 60_000 })).toThrow(RangeError);
  });

  it('stays within the candle, starts at the open, ends at the close, on the grid', () => {
    const arb = fc.record({
      low: fc.integer({ min: 1, max: 1_000_000 }),
      span: fc.integer({ min: 0, max: 10_000 }),
      a: fc.double({ min: 0, max: 1, noNaN: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true }),
      steps: fc.integer({ min: 4, max: 60 }),
      tick: fc.constantFrom(0.01, 0.001, 0.1, 0.5, 1),
    });
    fc.assert(
      fc.property(arb, ({ low, span, a, b, steps, tick }) => {
        const lo = low * tick;
        const hi = (low + span) * tick;
        const c = candle(lo + (hi - lo) * a, hi, lo, lo + (hi - lo) * b);
        const path = candlePath(c, { steps, intervalMs: 60_000, tickSize: tick });
        expect(path).toHaveLength(steps);
        for (let i = 0; i < path.length; i++) {
          const p = path[i]!;
          expect(p.price).toBeGreaterThanOrEqual(lo - 1e-9);
          expect(p.price).toBeLessThanOrEqual(hi + 1e-9);
          expect(isOnGrid(p.price, tick)).toBe(true);
          expect(p.ts).toBeGreaterThanOrEqual(T0);
          expect(p.ts).toBeLessThan(T0 + 60_000);
          if (i > 0) expect(p.ts).toBeGreaterThan(path[i - 1]!.ts);
        }
        const prices = path.map((p) => p.price);
        // The exact extremes (already on the grid here) are visited.
        expect(Math.max(...prices)).toBeCloseTo(hi, 9);
        expect(Math.min(...prices)).toBeCloseTo(lo, 9);
      }),
      { numRuns: 300 },
    );
  });
});
