import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { hedgeRequirements } from '../../../src/hedging/hedge-requirements.js';
import { errorCode } from '../error-code.js';
import { candidate, ethInstrument } from './hedge-fixtures.js';

const eth = candidate('ETH-PERP', 2_000);
const sol = candidate('SOL-PERP', 100);
// Net long $1,000: 10 × 2,000 − 190 × 100.
const netLong = [
  { symbol: 'ETH-PERP', size: 10, mark: 2_000 },
  { symbol: 'SOL-PERP', size: -190, mark: 100 },
];

describe('hedgeRequirements', () => {
  it('inside the band: nothing', () => {
    // deviation 1,000 ≤ band 1,000 (the edge is inside)
    const r = hedgeRequirements({ positions: netLong, hedgeInstruments: [eth, sol], toleranceUsd: 1_000 });
    expect(r).toMatchObject({ withinBand: true, requiredTrades: [], confidence: 1, estimatedCost: 0, currentDelta: 1_000, deltaDeviation: 1_000 });
  });

  it('reduces the heavier leg first, reduce-only, to the target', () => {
    // Deviation +1,000 → sell $1,000 of ETH (the heavy long leg): 1,000 / 2,000 = 0.5 ETH, after = 0.
    // No book: cost = fee 1,000 × 5 bps = 0.5 + worst slippage 1,000 × 10 bps = 1 → 1.5; confidence 1 × (1 − 0.25).
    const r = hedgeRequirements({ positions: netLong, hedgeInstruments: [sol, eth], toleranceUsd: 100 });
    expect(r.withinBand).toBe(false);
    expect(r.requiredTrades).toEqual([
      expect.objectContaining({ market: 'ETH-PERP', side: 'sell', size: 0.5, hedgeRatio: 1, priority: 1, reduceOnly: true, expectedDeltaAfter: 0, pricedFromBook: false }),
    ]);
    expect(r.requiredTrades[0]?.reasoning).toContain('heavier long leg');
    expect(r.estimatedCost).toBeCloseTo(1.5, 9);
    expect(r.confidence).toBeCloseTo(0.75, 12);
    expect(r.expectedWithinBand).toBe(true);
  });

  it('prices from the book when given', () => {
    // Bids 0.3 @ 1,999.5 and 1 @ 1,999 (both within 10 bps). 0.5 ETH avg 1,999.3:
    // slippage (2,000 − 1,999.3) × 0.5 = 0.35; fee 0.5; cost 0.85; impact 0.35 / 1,000 = 3.5 bps.
    const book = { bids: [{ price: 1_999.5, size: 0.3 }, { price: 1_999, size: 1 }], asks: [{ price: 2_000.5, size: 5 }] };
    const r = hedgeRequirements({ positions: netLong, hedgeInstruments: [candidate('ETH-PERP', 2_000, ethInstrument, { book }), sol], toleranceUsd: 100 });
    expect(r.requiredTrades).toHaveLength(1);
    expect(r.estimatedCost).toBeCloseTo(0.85, 9);
    expect(r.marketImpactBps).toBeCloseTo(3.5, 9);
    expect(r.confidence).toBe(1);
  });

  it('depth caps the reduce trade; the rest goes to the next market', () => {
    // Only 0.3 ETH within 10 bps → sell 0.3 ETH ($600), then $400 more: sell 4 SOL (adds to the short leg).
    const book = { bids: [{ price: 1_999.5, size: 0.3 }, { price: 1_990, size: 10 }], asks: [] };
    const r = hedgeRequirements({ positions: netLong, hedgeInstruments: [candidate('ETH-PERP', 2_000, ethInstrument, { book }), sol], toleranceUsd: 50 });
    expect(r.requiredTrades.map((t) => [t.market, t.side, t.size, t.reduceOnly, t.priority])).toEqual([
      ['ETH-PERP', 'sell', 0.3, true, 1],
      ['SOL-PERP', 'sell', 4, false, 2],
    ]);
    expect(r.expectedDeltaAfter).toBeCloseTo(0, 9);
  });

  it('caps reduce-only by the position, then opens; a position outside the list is not traded', () => {
    // ETH long 0.2 @ 2,000 = 400, BTC long 0.05 @ 60,000 = 3,000 (not a hedge market), SOL short 10 @ 100 = −1,000.
    // Deviation +2,400: sell 0.2 ETH (closes it, reduce-only) → +2,000; sell 20 SOL → 0.
    const positions = [
      { symbol: 'ETH-PERP', size: 0.2, mark: 2_000 },
      { symbol: 'BTC-PERP', size: 0.05, mark: 60_000 },
      { symbol: 'SOL-PERP', size: -10, mark: 100 },
    ];
    const r = hedgeRequirements({ positions, hedgeInstruments: [eth, sol], toleranceUsd: 50 });
    expect(r.requiredTrades.map((t) => [t.market, t.side, t.size, t.reduceOnly])).toEqual([
      ['ETH-PERP', 'sell', 0.2, true],
      ['SOL-PERP', 'sell', 20, false],
    ]);
    expect(r.requiredTrades.map((t) => t.hedgeRatio)).toEqual([400 / 2_400, 2_000 / 2_400]);
    // Without opening, only the reduce: 400 of 2,400 removed; confidence (1/6) × 0.75.
    const closed = hedgeRequirements({ positions, hedgeInstruments: [eth, sol], toleranceUsd: 50, allowOpening: false });
    expect(closed.requiredTrades).toHaveLength(1);
    expect(closed.expectedWithinBand).toBe(false);
    expect(closed.confidence).toBeCloseTo((400 / 2_400) * 0.75, 12);
  });

  it('rounds down to the lot, one lot up only to land inside the band', () => {
    const coarse = candidate('ETH-PERP', 2_000, { ...ethInstrument, lotSize: 0.1, minSize: 0.1 });
    // Deviation +1,150: ideal 0.575 → 0.5 leaves 150 ≤ band 150.
    const a = hedgeRequirements({ positions: [{ symbol: 'ETH-PERP', size: 10, mark: 2_000 }, { symbol: 'SOL-PERP', size: -188.5, mark: 100 }], hedgeInstruments: [coarse], toleranceUsd: 150 });
    expect(a.requiredTrades.map((t) => t.size)).toEqual([0.5]);
    // Deviation +1,180: 0.5 leaves 180 > 150; 0.6 overshoots by 20 ≤ 150 → 0.6.
    const b = hedgeRequirements({ positions: [{ symbol: 'ETH-PERP', size: 10, mark: 2_000 }, { symbol: 'SOL-PERP', size: -188.2, mark: 100 }], hedgeInstruments: [coarse], toleranceUsd: 150 });
    expect(b.requiredTrades.map((t) => t.size)).toEqual([0.6]);
    expect(b.expectedDeltaAfter).toBeCloseTo(-20, 9);
  });

  it('skips trades below the minimum notional', () => {
    // Deviation +8 against a $1 band: 0.004 ETH = $8 < $10 minimum; SOL's lot is $10 (0.1 × 100):
    // 0 lots leave 8 > 1 outside and 1 lot overshoots by 2 > 1, so neither trades.
    const r = hedgeRequirements({
      positions: [{ symbol: 'ETH-PERP', size: 1.004, mark: 2_000 }, { symbol: 'SOL-PERP', size: -20, mark: 100 }],
      hedgeInstruments: [candidate('ETH-PERP', 2_000, { ...ethInstrument, lotSize: 0.001, minSize: 0.001 }), sol],
      toleranceUsd: 1,
    });
    expect(r.requiredTrades).toEqual([]);
    expect(r.withinBand).toBe(false);
    expect(r.expectedWithinBand).toBe(false);
    expect(r.confidence).toBe(0);
    expect(r.notes.length).toBeGreaterThan(0);
  });

  it('beta-adjusted: hedges betas, not notionals', () => {
    // 20,000 × 1 − 200 × 100 × 1.2 = −4,000 → buy: reduce the SOL short; unit 100 × 1.2 = 120 per SOL;
    // 4,000 / 120 = 33.33 → 33.3 SOL (lot 0.1) → 3,996 → after −4.
    const positions = [
      { symbol: 'ETH-PERP', size: 10, mark: 2_000 },
      { symbol: 'SOL-PERP', size: -200, mark: 100 },
    ];
    const r = hedgeRequirements({ positions, hedgeInstruments: [eth, sol], toleranceUsd: 100, betaAdjusted: true, betas: { 'ETH-PERP': 1, 'SOL-PERP': 1.2 } });
    expect(r.currentDelta).toBeCloseTo(-4_000, 9);
    expect(r.requiredTrades.map((t) => [t.market, t.side, t.size, t.reduceOnly])).toEqual([['SOL-PERP', 'buy', 33.3, true]]);
    expect(r.expectedDeltaAfter).toBeCloseTo(-4, 9);
    expect(errorCode(() => hedgeRequirements({ positions, hedgeInstruments: [eth, sol], toleranceUsd: 100, betaAdjusted: true }))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('a non-zero target', () => {
    // Target +1,000 with the book at +1,000: inside.
    expect(hedgeRequirements({ positions: netLong, hedgeInstruments: [eth, sol], target: 1_000, toleranceUsd: 10 }).withinBand).toBe(true);
  });

  it.each([
    ['NaN size', { positions: [{ symbol: 'ETH-PERP', size: Number.NaN, mark: 2_000 }], hedgeInstruments: [eth], toleranceUsd: 10 }],
    ['zero mark', { positions: netLong, hedgeInstruments: [candidate('ETH-PERP', 0)], toleranceUsd: 10 }],
    ['negative lot', { positions: netLong, hedgeInstruments: [candidate('ETH-PERP', 2_000, { ...ethInstrument, lotSize: -0.01 })], toleranceUsd: 10 }],
    ['negative tolerance', { positions: netLong, hedgeInstruments: [eth], toleranceUsd: -1 }],
    ['NaN target', { positions: netLong, hedgeInstruments: [eth], toleranceUsd: 10, target: Number.NaN }],
    ['zero slippage', { positions: netLong, hedgeInstruments: [eth], toleranceUsd: 10, maxSlippageBps: 0 }],
  ])('%s → InputError', (_name, input) => {
    expect(errorCode(() => hedgeRequirements(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
