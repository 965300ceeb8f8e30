import { describe, expect, it } from 'vitest';
import { averageFillPrice, depthSizeWithinSlippage, slippageCostUsd } from '../../../src/hedging/hedge-liquidity.js';

const bids = [
  { price: 1_999.5, size: 0.3 },
  { price: 1_999, size: 1 },
  { price: 1_997, size: 5 }, // 12.5 bps from the touch
];

describe('hedge liquidity', () => {
  it('depth within the slippage band from the touch', () => {
    // band = 1,999.5 × 10 bps = 1.9995: 1,999.5 and 1,999 are in, 1,997 (2.5 away) is out.
    expect(depthSizeWithinSlippage(bids, 10)).toBeCloseTo(1.3, 12);
    expect(depthSizeWithinSlippage(bids, 15)).toBeCloseTo(6.3, 12);
    expect(depthSizeWithinSlippage([], 10)).toBe(0);
  });

  it('average fill and slippage cost against the mark', () => {
    // 0.5 = 0.3 @ 1,999.5 + 0.2 @ 1,999 → (599.85 + 399.8) / 0.5 = 1,999.3; sell cost (2,000 − 1,999.3) × 0.5 = 0.35.
    expect(averageFillPrice(bids, 0.5)).toBeCloseTo(1_999.3, 9);
    expect(slippageCostUsd({ bids, asks: [] }, 'sell', 0.5, 2_000, 10)).toBeCloseTo(0.35, 9);
    expect(averageFillPrice(bids, 10)).toBeNull();
    // No book: the worst allowed, 1,000 × 10 bps = 1.
    expect(slippageCostUsd(undefined, 'sell', 0.5, 2_000, 10)).toBeCloseTo(1, 12);
  });
});
