import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sliceSizes } from '../../../src/engine/order-slices.js';

const base = { price: 2000, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxSliceNotional: 250, maxSlices: 4 };

describe('sliceSizes', () => {
  it.each([
    ['below one slice: one order', 0.1, [0.1]],
    ['$500 at $250 a slice: two', 0.25, [0.125, 0.125]],
    ['$1,000: four', 0.5, [0.125, 0.125, 0.125, 0.125]],
    ['$2,000 capped at four slices', 1, [0.25, 0.25, 0.25, 0.25]],
    ['remainder on the last slice', 0.2499, [0.124, 0.125]],
  ])('%s', (_name, size, expected) => {
    const out = sliceSizes({ ...base, size });
    expect(out).toHaveLength(expected.length);
    out.forEach((s, k) => expect(s).toBeCloseTo(expected[k]!, 9));
  });

  it('uses fewer slices rather than send one below the minimum notional', () => {
    // $32 in $10 slices would be four of $8; with a $15 minimum only two of $16 fit.
    expect(sliceSizes({ ...base, size: 0.016, maxSliceNotional: 10, minNotional: 15 })).toEqual([0.008, 0.008]);
    expect(sliceSizes({ ...base, size: 0.004, minNotional: 10 })).toEqual([]);
  });

  it('slices sum to the lot-rounded size, each within the venue minimums (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 5_000 }), fc.integer({ min: 20, max: 2_000 }), fc.integer({ min: 1, max: 8 }), (lots, sliceUsd, maxSlices) => {
        const size = lots * 0.001;
        const out = sliceSizes({ ...base, size, maxSliceNotional: sliceUsd, maxSlices });
        expect(out.length).toBeGreaterThan(0);
        expect(out.length).toBeLessThanOrEqual(maxSlices);
        expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(size, 9);
        for (const s of out) expect(s * base.price).toBeGreaterThanOrEqual(base.minNotional - 1e-9);
      }),
    );
  });
});
