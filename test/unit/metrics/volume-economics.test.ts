import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../src/metrics/execution-records.js';
import { feesPaid, filledNotional, netBpsPerVolume, nonNegativeRoundTripShare } from '../../../src/metrics/volume-economics.js';

const f = (price: number, size: number, fee: number): FillRecord => ({ ts: 0, clientOrderId: 'x', symbol: 'S', side: 'sell', price, size, fee, liquidity: 'maker' });

describe('volume economics', () => {
  it('sums notional and fees (rebates negative)', () => {
    const fills = [f(2000, 0.5, 0.1), f(20, 50, -0.05)];
    expect(filledNotional(fills)).toBe(2000);
    expect(feesPaid(fills)).toBeCloseTo(0.05, 12);
  });

  it('net bps per volume is net PnL over filled notional × 1e4', () => {
    expect(netBpsPerVolume(-3, 10_000)).toBeCloseTo(-3, 12);
    expect(netBpsPerVolume(16, 20_000)).toBeCloseTo(8, 12);
    expect(netBpsPerVolume(5, 0)).toBeNull();
  });

  it('round trips with PnL ≥ 0 count a zero as non-negative', () => {
    expect(nonNegativeRoundTripShare([{ exitTs: 0, pnl: 0 }, { exitTs: 0, pnl: -0.01 }, { exitTs: 0, pnl: 2 }, { exitTs: 0, pnl: -1 }])).toBe(0.5);
    expect(nonNegativeRoundTripShare([])).toBeNull();
  });
});
