import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes, InputError } from '../../../src/core/errors.js';
import { PnlTracker, summarizePnls } from '../../../src/exits/pnl-tracker.js';

describe('PnlTracker', () => {
  it('has no average or win rate before the first trade', () => {
    const t = new PnlTracker({ windowSize: 20 });
    expect(t.stats()).toEqual({ avgPnlLastN: null, winRate: null, totalTrades: 0, entries: 0 });
    expect(t.avgPnl()).toBeNull();
  });

  it('averages the window and counts wins (breakeven is not a win)', () => {
    const t = new PnlTracker({ windowSize: 20 });
    for (const p of [0.01, -0.005, 0, 0.003]) t.record(p);
    const s = t.stats();
    expect(s.avgPnlLastN).toBeCloseTo(0.002, 15);
    expect(s.winRate).toBe(0.5);
    expect(s.totalTrades).toBe(4);
    expect(s.entries).toBe(4);
  });

  it('keeps only the last N; the lifetime count keeps growing', () => {
    const t = new PnlTracker({ windowSize: 3 });
    for (const p of [-1, -1, 0.01, 0.02, 0.03]) t.record(p);
    expect(t.recent()).toEqual([0.01, 0.02, 0.03]);
    expect(t.stats()).toMatchObject({ totalTrades: 5, entries: 3, winRate: 1 });
    expect(t.avgPnl()).toBeCloseTo(0.02, 15);
  });

  it('is seeded from storage on restart', () => {
    const t = new PnlTracker({ windowSize: 2, history: [0.5, -0.01, 0.03], totalTrades: 127 });
    expect(t.recent()).toEqual([-0.01, 0.03]);
    expect(t.stats()).toMatchObject({ totalTrades: 127, entries: 2 });
    t.record(0.01);
    expect(t.recent()).toEqual([0.03, 0.01]);
    expect(t.stats().totalTrades).toBe(128);
  });

  it('does not share its window with callers', () => {
    const history = [0.01];
    const t = new PnlTracker({ windowSize: 5, history });
    history.push(1);
    (t.recent() as number[]).push(1);
    expect(t.recent()).toEqual([0.01]);
  });

  it.each([
    ['windowSize', () => new PnlTracker({ windowSize: 0 })],
    ['windowSize', () => new PnlTracker({ windowSize: 1.5 })],
    ['history[1]', () => new PnlTracker({ windowSize: 5, history: [0, Number.NaN] })],
    ['totalTrades', () => new PnlTracker({ windowSize: 5, history: [0, 1], totalTrades: 1 })],
    ['pnl', () => new PnlTracker({ windowSize: 5 }).record(Number.POSITIVE_INFINITY)],
  ])('rejects bad %s with E_INPUT_INVALID', (field, fn) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe(ErrorCodes.INPUT_INVALID);
    expect((caught as InputError).field).toBe(field);
  });

  it('equals the summary of the last N recorded trades (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 60 }),
        (n, pnls) => {
          const t = new PnlTracker({ windowSize: n });
          for (const p of pnls) t.record(p);
          const last = pnls.slice(-n);
          expect(t.recent()).toEqual(last);
          expect(t.stats()).toEqual({ ...summarizePnls(last), totalTrades: pnls.length, entries: last.length });
          const s = t.stats();
          if (s.winRate !== null) {
            expect(s.winRate).toBeGreaterThanOrEqual(0);
            expect(s.winRate).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it('gives its stats with the keys in a fixed order (what exit events and the health report store)', () => {
    const t = new PnlTracker({ windowSize: 3, history: [0.01, -0.02] });
    expect(JSON.stringify(t.stats())).toBe(JSON.stringify({ avgPnlLastN: -0.005, winRate: 0.5, totalTrades: 2, entries: 2 }));
  });
});
