import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pairImbalance, pairTolerance } from '../../../src/hedging/pair-imbalance.js';

describe('pairTolerance', () => {
  it.each([
    [8_000, 0.1, 10, 800],
    [50, 0.1, 10, 10], // the floor wins for small pairs
    [0, 0.1, 25, 25],
    [1_000, 0.05, 50, 50],
  ])('target %s × %s, floor %s → %s', (target, fraction, floor, expected) => {
    expect(pairTolerance(target, fraction, floor)).toBeCloseTo(expected, 9);
  });
});

describe('pairImbalance', () => {
  it.each([
    // long, short, tolerance → netDelta, within, heavy
    [1_000, 1_000, 50, 0, true, 'none'],
    [1_040, 1_000, 50, 40, true, 'long'],
    [1_000, 1_050, 50, -50, true, 'short'], // on the edge is within
    [1_100, 1_000, 50, 100, false, 'long'],
    [0, 1_000, 50, -1_000, false, 'short'], // one-legged pair
    [600, 0, 0, 600, false, 'long'],
    [0, 0, 0, 0, true, 'none'],
  ] as const)('long %s vs short %s (tolerance %s) → net %s, within %s, heavy %s', (longNotional, shortNotional, tolerance, net, within, heavy) => {
    const r = pairImbalance({ longNotional, shortNotional }, tolerance);
    expect(r).toEqual({ netDelta: net, tolerance, within, heavy });
  });

  it('is antisymmetric: swapping the legs flips the sign and the heavy side (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (a, b, tol) => {
          const x = pairImbalance({ longNotional: a, shortNotional: b }, tol);
          const y = pairImbalance({ longNotional: b, shortNotional: a }, tol);
          expect(x.netDelta === -y.netDelta).toBe(true); // +0 and −0 both mean balanced
          expect(x.within).toBe(y.within);
          const flip = { long: 'short', short: 'long', none: 'none' } as const;
          expect(y.heavy).toBe(flip[x.heavy]);
          expect(x.within).toBe(Math.abs(a - b) <= tol);
        },
      ),
    );
  });
});
