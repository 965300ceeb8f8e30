import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { emergencyHedge, emergencyHedgeTriggered } from '../../../src/hedging/emergency-hedge.js';
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

describe('emergencyHedgeTriggered', () => {
  it('answers as emergencyHedge(...).triggered, and throws when it throws, for any positions, betas and bands', () => {
    const arb = fc.record({
      eth: fc.double({ min: -50, max: 50, noNaN: true }),
      sol: fc.double({ min: -1_000, max: 1_000, noNaN: true }),
      ethMark: fc.oneof(fc.double({ min: 100, max: 5_000, noNaN: true }), fc.constant(0)),
      betas: fc.option(fc.record({ 'ETH-PERP': fc.oneof(fc.double({ min: 0.2, max: 3, noNaN: true }), fc.constant(-1)), 'SOL-PERP': fc.constant(1) })),
      target: fc.double({ min: -500, max: 500, noNaN: true }),
      tol: fc.double({ min: 0, max: 2_000, noNaN: true }),
      extra: fc.double({ min: -100, max: 5_000, noNaN: true }),
      maxTrades: fc.option(fc.integer({ min: 0, max: 6 })),
    });
    fc.assert(
      fc.property(arb, ({ eth, sol, ethMark, betas, target, tol, extra, maxTrades }) => {
        const positions = [
          { symbol: 'ETH-PERP', size: eth, mark: ethMark },
          { symbol: 'SOL-PERP', size: sol, mark: 100 },
        ];
        const band = { positions, target, toleranceUsd: tol, emergencyToleranceUsd: tol + extra, ...(betas ? { betaAdjusted: true, betas } : {}), ...(maxTrades === null ? {} : { maxTrades }) };
        const hedgeInstruments = ethMark > 0 ? [candidate('ETH-PERP', ethMark, ethInstrument, { book: flatBook(ethMark, 0.5, 10) }), candidate('SOL-PERP', 100, solInstrument, { book: flatBook(100, 0.01, 1_000) })] : [];
        const fullError = errorCode(() => emergencyHedge({ ...band, hedgeInstruments }));
        const full = fullError ?? emergencyHedge({ ...band, hedgeInstruments }).triggered;
        const quickError = errorCode(() => emergencyHedgeTriggered(band));
        const quick = quickError ?? emergencyHedgeTriggered(band);
        expect(quick).toEqual(full);
        if (typeof full === 'string') expect(full).toBe(ErrorCodes.INPUT_INVALID);
      }),
      { numRuns: 500 },
    );
  });
});

