import { describe, expect, it } from 'vitest';
import { pairCashAndFees } from '../../../src/engine/pair-cash.js';

describe('pairCashAndFees', () => {
  it('adds sold notional, takes bought notional away, and counts every order fee, filled or not', () => {
    const r = pairCashAndFees([
      { side: 'buy', filledSize: 1, avgFillPrice: 3_000, feesPaid: 0.3 },
      { side: 'sell', filledSize: 20, avgFillPrice: 150, feesPaid: 0.3 },
      { side: 'sell', filledSize: 1, avgFillPrice: 3_010, feesPaid: 0.3 },
      { side: 'buy', filledSize: 20, avgFillPrice: 149.5, feesPaid: 0.3 },
      // Unfilled: no price, but a fee it paid still counts; a zero fill adds no cash.
      { side: 'buy', filledSize: 0, avgFillPrice: null, feesPaid: 0.1 },
      { side: 'sell', filledSize: 0, avgFillPrice: 3_020, feesPaid: 0 },
    ]);
    expect(r.cash).toBeCloseTo(-3_000 + 3_000 + 3_010 - 2_990, 9);
    expect(r.fees).toBeCloseTo(1.3, 12);
  });

  it('is zero for a pair without orders', () => {
    expect(pairCashAndFees([])).toEqual({ cash: 0, fees: 0 });
  });
});
