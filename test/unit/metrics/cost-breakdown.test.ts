import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCostBreakdown, type CostFill } from '../../../src/metrics/cost-breakdown.js';

const fill = (p: Partial<CostFill>): CostFill => ({ symbol: 'ETH', side: 'buy', price: 100, size: 1, fee: 0, liquidity: 'maker', purpose: 'entry', midAtFill: 100, midAfter: 100, ...p });

describe('cost breakdown', () => {
  it('splits a worked round trip into its terms', () => {
    const fills = [
      // Maker buy 1 below the mid (earns $0.05), the mid then falls $0.20 in 60 s (adverse).
      fill({ price: 99.95, midAtFill: 100, midAfter: 99.8, fee: 0.01 }),
      // Taker sell 1 at 100.9 against a mid of 101 (pays $0.10).
      fill({ side: 'sell', price: 100.9, midAtFill: 101, midAfter: null, liquidity: 'taker', purpose: 'exit', fee: 0.05 }),
      // A hedge bought 0.5 SOL at 20.02 against a mid of 20 (pays $0.01); still held at the end mark 21.
      fill({ symbol: 'SOL', price: 20.02, size: 0.5, midAtFill: 20, midAfter: 20.5, liquidity: 'taker', purpose: 'hedge', fee: 0.003 }),
    ];
    const c = computeCostBreakdown({ fills, endMark: (s) => (s === 'ETH' ? 102 : 21), fundingPaidUsd: 0.02 });
    expect(c.feesMakerUsd).toBeCloseTo(-0.01, 12);
    expect(c.feesTakerUsd).toBeCloseTo(-0.053, 12);
    expect(c.makerSpreadUsd).toBeCloseTo(0.05, 12);
    expect(c.makerAdverseUsd).toBeCloseTo(-0.2, 12);
    expect(c.takerSpreadUsd).toBeCloseTo(-0.1, 12);
    expect(c.hedgeUsd).toBeCloseTo(-0.01, 12);
    expect(c.fundingUsd).toBeCloseTo(-0.02, 12);
    // ETH: +1 × (102 − 99.8) − 1 × (102 − 101) = 1.2; SOL: 0.5 × (21 − 20) = 0.5.
    expect(c.marketMoveUsd).toBeCloseTo(1.7, 12);
    // Cash and value: ETH −99.95 + 100.9; SOL −10.01 + 0.5 × 21; minus fees and funding.
    expect(c.netPnlUsd).toBeCloseTo(0.95 + 0.49 - 0.063 - 0.02, 12);
  });

  it('sums to cash + open positions at the end mark − fees − funding, whatever the mids (property)', () => {
    const arbFill = fc.record({
      symbol: fc.constantFrom('ETH', 'SOL'),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      price: fc.double({ min: 1, max: 5_000, noNaN: true }),
      size: fc.double({ min: 0.001, max: 10, noNaN: true }),
      fee: fc.double({ min: -1, max: 5, noNaN: true }),
      liquidity: fc.constantFrom('maker' as const, 'taker' as const),
      purpose: fc.constantFrom('entry' as const, 'exit' as const, 'hedge' as const, 'harvest' as const),
      midAtFill: fc.option(fc.double({ min: 1, max: 5_000, noNaN: true })),
      midAfter: fc.option(fc.double({ min: 1, max: 5_000, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(arbFill, { maxLength: 30 }), fc.double({ min: 1, max: 5_000, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (fills, mark, funding) => {
        const c = computeCostBreakdown({ fills, endMark: () => mark, fundingPaidUsd: funding });
        let expected = -funding;
        for (const f of fills) expected += (f.side === 'buy' ? 1 : -1) * f.size * (mark - f.price) - f.fee;
        const terms = c.feesMakerUsd + c.feesTakerUsd + c.takerSpreadUsd + c.makerSpreadUsd + c.makerAdverseUsd + c.hedgeUsd + c.fundingUsd + c.marketMoveUsd;
        expect(c.netPnlUsd).toBeCloseTo(terms, 6);
        expect(c.netPnlUsd).toBeCloseTo(expected, 4);
      }),
    );
  });
});
