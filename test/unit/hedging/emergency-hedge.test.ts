import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { emergencyHedge } from '../../../src/hedging/emergency-hedge.js';
import { errorCode } from '../error-code.js';
import { candidate, ethInstrument, flatBook, solInstrument } from './hedge-fixtures.js';

const netLong = [
  { symbol: 'ETH-PERP', size: 10, mark: 2_000 },
  { symbol: 'SOL-PERP', size: -190, mark: 100 },
];

describe('emergencyHedge', () => {
  it('not triggered inside the emergency band, even outside the normal one', () => {
    const r = emergencyHedge({
      positions: netLong,
      hedgeInstruments: [candidate('ETH-PERP', 2_000, ethInstrument, { book: flatBook(2_000, 0.5, 10) })],
      toleranceUsd: 100,
      emergencyToleranceUsd: 1_000,
    });
    expect(r).toMatchObject({ triggered: false, trades: [], expectedWithinBand: false, estimatedCost: 0 });
  });

  it('each trade capped by depth within slippage, at most maxTrades', () => {
    // Deviation +1,000 (emergency band 500). ETH bids: 0.2 within 10 bps → sell 0.2 ETH ($400) reduce-only.
    // maxTrades 1 stops there: $600 left, outside the $100 band.
    const eth = candidate('ETH-PERP', 2_000, ethInstrument, { book: { bids: [{ price: 1_999.5, size: 0.2 }, { price: 1_990, size: 50 }], asks: [] } });
    const sol = candidate('SOL-PERP', 100, solInstrument, { book: flatBook(100, 0.01, 1_000) });
    const one = emergencyHedge({ positions: netLong, hedgeInstruments: [eth, sol], toleranceUsd: 100, emergencyToleranceUsd: 500, maxTrades: 1 });
    expect(one.triggered).toBe(true);
    expect(one.trades.map((t) => [t.market, t.side, t.size, t.reduceOnly])).toEqual([['ETH-PERP', 'sell', 0.2, true]]);
    expect(one.expectedDeltaAfter).toBeCloseTo(600, 9);
    expect(one.expectedWithinBand).toBe(false);
    // maxTrades 3: then sell 6 SOL ($600) → 0.
    const three = emergencyHedge({ positions: netLong, hedgeInstruments: [eth, sol], toleranceUsd: 100, emergencyToleranceUsd: 500 });
    expect(three.trades.map((t) => [t.market, t.size])).toEqual([
      ['ETH-PERP', 0.2],
      ['SOL-PERP', 6],
    ]);
    expect(three.expectedWithinBand).toBe(true);
  });

  it('a market without a book is skipped (depth unknown)', () => {
    const r = emergencyHedge({ positions: netLong, hedgeInstruments: [candidate('ETH-PERP', 2_000)], toleranceUsd: 100, emergencyToleranceUsd: 500 });
    expect(r.triggered).toBe(true);
    expect(r.trades).toEqual([]);
    expect(r.notes.join(' ')).toContain('no book');
  });

  it.each([
    ['maxTrades 0', { maxTrades: 0 }],
    ['maxTrades 1.5', { maxTrades: 1.5 }],
    ['emergency narrower than normal', { emergencyToleranceUsd: 50 }],
  ])('%s → InputError', (_name, change) => {
    expect(errorCode(() => emergencyHedge({ positions: netLong, hedgeInstruments: [], toleranceUsd: 100, emergencyToleranceUsd: 500, ...change }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
