import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingReturns, TAME_RETURN } from '../../../src/analytics/rolling-returns.js';

/** The definition: the last `capacity` log returns of the closes, recomputed from scratch. */
function naive(closes: readonly number[], capacity: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(1, closes.length - capacity); i < closes.length; i++) out.push(Math.log(closes[i]! / closes[i - 1]!));
  return out;
}

describe('RollingReturns', () => {
  it('holds the last N log returns of the closes, bit for bit, however many closes arrived', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (closes, capacity) => {
        const r = new RollingReturns(capacity);
        for (const c of closes) r.push(c);

        const want = naive(closes, capacity);
        const got = Array.from({ length: r.length }, (_, i) => r.at(i));
        let sumSquares = 0;
        for (const x of want) sumSquares += x * x;
        expect(got).toEqual(want);
        expect(r.tail(Math.min(3, r.length))).toEqual(want.slice(want.length - Math.min(3, want.length)));
        expect(r.sumSquares()).toBe(sumSquares);
      }),
    );
  });

  it('adds a weighted tail into a series exactly as the per-element loop over at() does', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 2, maxLength: 120 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.nat(), (closes, capacity, w, k) => {
        const r = new RollingReturns(capacity);
        for (const c of closes) r.push(c);
        const n = r.length === 0 ? 0 : 1 + (k % r.length);
        const base = Array.from({ length: n }, (_, t) => t * 0.37 - 1);
        const want = base.map((x, t) => x + w * r.at(r.length - n + t));
        const got = [...base];
        r.addWeightedTail(got, w);
        expect(got.map((x, t) => Object.is(x, want[t]))).toEqual(want.map(() => true));
      }),
    );
  });

  it('builds a weighted portfolio series in one pass exactly as zeroing, addWeightedTail per window in order and dividing does', () => {
    const window = fc.record({ closes: fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 2, maxLength: 80 }), w: fc.double({ min: -1e6, max: 1e6, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(window, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: 1, max: 1e7, noNaN: true }), fc.nat(), (ws, capacity, divisor, k) => {
        const rs = ws.map((x) => {
          const r = new RollingReturns(capacity);
          for (const c of x.closes) r.push(c);
          return r;
        });
        const shortest = Math.min(...rs.map((r) => r.length));
        const n = 1 + (k % shortest);
        const want = new Array<number>(n).fill(0);
        rs.forEach((r, i) => r.addWeightedTail(want, ws[i]!.w));
        for (let t = 0; t < n; t++) want[t] = want[t]! / divisor;
        const got = new Array<number>(n);
        RollingReturns.weightedSeries(got, rs.map((r) => r.window()), ws.map((x) => x.w), divisor);
        expect(got.map((x, t) => Object.is(x, want[t]))).toEqual(want.map(() => true));
      }),
    );
  });

  it('starts empty: the first close is only a base', () => {
    const r = new RollingReturns(5);
    r.push(100);
    expect(r.length).toBe(0);
    r.push(110);
    expect(r.at(0)).toBe(Math.log(1.1));
  });

  it('reads a window taken earlier as it was, however many closes (and compactions) came after', () => {
    const close = fc.double({ min: 1, max: 1e5, noNaN: true });
    fc.assert(
      fc.property(fc.array(close, { minLength: 2, maxLength: 80 }), fc.array(close, { maxLength: 120 }), fc.integer({ min: 1, max: 30 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.nat(), (before, after, capacity, w, k) => {
        const r = new RollingReturns(capacity);
        for (const c of before) r.push(c);
        const n = 1 + (k % r.length);
        const wantTail = r.tail(n);
        const wantSeries = new Array<number>(n).fill(0);
        r.addWeightedTail(wantSeries, w);
        const taken = r.window();
        for (const c of after) r.push(c);
        expect(taken.length).toBe(Math.min(capacity, before.length - 1));
        expect(taken.tail(n)).toEqual(wantTail);
        const got = new Array<number>(n);
        RollingReturns.weightedSeries(got, [taken], [w], 1);
        expect(got.map((x, t) => Object.is(x, (0 + wantSeries[t]!) / 1))).toEqual(wantSeries.map(() => true));
      }),
    );
  });

  it('is tame exactly when every return in its window is finite and at most TAME_RETURN in size', () => {
    // Closes from 1e-300 to 1e300: some neighbours are more than e^1000 apart.
    const close = fc.oneof(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.constantFrom(1e-300, 1e300, 1e-200, 1e200));
    fc.assert(
      fc.property(fc.array(close, { maxLength: 120 }), fc.integer({ min: 1, max: 30 }), (closes, capacity) => {
        const r = new RollingReturns(capacity);
        for (const c of closes) {
          r.push(c);
          const all = Array.from({ length: r.length }, (_, i) => r.at(i));
          expect(r.tame()).toBe(all.every((x) => Math.abs(x) <= TAME_RETURN));
        }
      }),
    );
  });
});
