import { describe, expect, it } from 'vitest';
import { createLevelScratch, type LevelScratch } from '../../../../adapters/sim/book-synth.js';
import { TouchLiquidity } from '../../../../adapters/sim/touch-liquidity.js';

/** Bids at 100, 99, 98 (ticks) and asks at 101, 102, 103, each with the given lots. */
function scratch(bidLots: number[], askLots: number[], shift = 0): LevelScratch {
  const s = createLevelScratch(3);
  for (let i = 0; i < 3; i++) {
    s.bidTicks[i] = 100 - i + shift;
    s.askTicks[i] = 101 + i + shift;
    s.bidLots[i] = bidLots[i] ?? 0;
    s.askLots[i] = askLots[i] ?? 0;
  }
  return s;
}

describe('TouchLiquidity', () => {
  it('fills at the touch while it has size', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([10, 10, 10], [5, 5, 5]));
    expect(t.take('sell', 4)).toBe(4);
    expect(t.lastTicks).toBe(100);
    expect(t.take('buy', 5)).toBe(5);
    expect(t.lastTicks).toBe(101);
    // The ask touch is gone: the next buy starts one level deeper.
    expect(t.touchTicks('buy')).toBe(102);
    expect(t.touchTicks('sell')).toBe(100);
  });

  it('sweeps levels and reports the worst level reached; stops at the end of the book', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([10, 10, 10], [5, 5, 5]));
    expect(t.take('sell', 15)).toBe(15);
    expect(t.lastTicks).toBe(99);
    expect(t.take('sell', 100)).toBe(15);
    expect(t.lastTicks).toBe(98);
    expect(t.take('sell', 1)).toBe(0);
    expect(t.touchTicks('sell')).toBeNull();
  });

  it('carries depletion into the next book at unchanged prices, refilling a fraction', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([10, 10, 10], [5, 5, 5]));
    t.take('sell', 8); // bid touch 10 → 2
    t.take('buy', 7); // ask touch 5 → 0, second 5 → 3
    const next = scratch([12, 10, 10], [6, 6, 6]);
    t.carryInto(next, 0.5);
    expect(Array.from(next.bidLots)).toEqual([2 + Math.floor(0.5 * 10), 10, 10]);
    expect(Array.from(next.askLots)).toEqual([0 + 3, 3 + Math.floor(0.5 * 3), 6]);
  });

  it('carries nothing when prices moved, and never more than the fresh size', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([10, 10, 10], [5, 5, 5]));
    t.take('sell', 25);
    const moved = scratch([10, 10, 10], [5, 5, 5], 3);
    t.carryInto(moved, 0);
    expect(Array.from(moved.bidLots)).toEqual([10, 10, 10]);

    const u = new TouchLiquidity(3);
    u.reset(scratch([10, 10, 10], [5, 5, 5]));
    u.take('sell', 3);
    const thinner = scratch([4, 10, 10], [5, 5, 5]);
    u.carryInto(thinner, 0);
    expect(Array.from(thinner.bidLots)).toEqual([4, 10, 10]);
  });

  it('matches price levels that shifted within the book', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([10, 10, 10], [5, 5, 5]));
    t.take('sell', 10); // level at tick 100 emptied
    const up = scratch([10, 10, 10], [5, 5, 5], 1); // bids now 101, 100, 99
    t.carryInto(up, 0);
    expect(Array.from(up.bidLots)).toEqual([10, 0, 10]);
  });

  it('never leaves a side empty', () => {
    const t = new TouchLiquidity(3);
    t.reset(scratch([1, 1, 1], [1, 1, 1]));
    t.take('sell', 3);
    const next = scratch([1, 1, 1], [1, 1, 1]);
    t.carryInto(next, 0);
    expect(Array.from(next.bidLots)).toEqual([0, 0, 1]);
  });
});
