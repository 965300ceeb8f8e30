import { describe, expect, it } from 'vitest';
import type { FillRecord, OrderRecord } from '../../../src/metrics/execution-records.js';
import { averageQueueWaitMs, makerFillCountShare, makerShare, postOnlyRejectionRate, restingFillRate } from '../../../src/metrics/fill-quality.js';

const fill = (liquidity: 'maker' | 'taker', price: number, size: number): FillRecord => ({ ts: 0, clientOrderId: 'x', symbol: 'ETH-PERP', side: 'buy', price, size, fee: 0, liquidity });
const order = (o: Partial<OrderRecord>): OrderRecord => ({ clientOrderId: 'o', tif: 'POST_ONLY', status: 'filled', createdTs: 0, size: 1, filledSize: 1, firstFillTs: null, ...o });

describe('fill quality', () => {
  it('maker share is by notional, maker fill share by count', () => {
    // maker 3 × 100 = 300, taker 1 × 100 = 100, maker 1 × 100 = 100 → 400 / 500 by notional; 2 of 3 by count
    const fills = [fill('maker', 100, 3), fill('taker', 100, 1), fill('maker', 100, 1)];
    expect(makerShare(fills)).toBeCloseTo(0.8, 12);
    expect(makerFillCountShare(fills)).toBeCloseTo(2 / 3, 12);
    expect(makerShare([])).toBeNull();
    expect(makerFillCountShare([])).toBeNull();
  });

  it('post-only rejection rate counts only post-only orders', () => {
    const orders = [order({ status: 'rejected' }), order({ status: 'filled' }), order({ status: 'canceled' }), order({ status: 'rejected' }), order({ tif: 'IOC', status: 'rejected' })];
    expect(postOnlyRejectionRate(orders)).toBeCloseTo(2 / 4, 12);
    expect(postOnlyRejectionRate([order({ tif: 'IOC' })])).toBeNull();
  });

  it('resting fill rate is size filled over size posted by accepted, finished post-only orders', () => {
    const orders = [
      order({ size: 2, filledSize: 2, status: 'filled' }),
      order({ size: 2, filledSize: 0.5, status: 'canceled' }),
      order({ size: 4, filledSize: 0, status: 'expired' }),
      order({ size: 9, filledSize: 0, status: 'rejected' }), // never rested
      order({ size: 9, filledSize: 1, status: 'open' }), // still working
      order({ tif: 'IOC', size: 5, filledSize: 5 }),
    ];
    expect(restingFillRate(orders)).toBeCloseTo(2.5 / 8, 12);
    expect(restingFillRate([])).toBeNull();
  });

  it('queue wait averages send-to-first-fill over post-only orders that filled', () => {
    const orders = [order({ createdTs: 1_000, firstFillTs: 4_000 }), order({ createdTs: 10_000, firstFillTs: 11_000 }), order({ createdTs: 0, firstFillTs: null }), order({ tif: 'IOC', createdTs: 0, firstFillTs: 99_000 })];
    expect(averageQueueWaitMs(orders)).toBe(2_000);
    expect(averageQueueWaitMs([order({ firstFillTs: null })])).toBeNull();
  });
});
