import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng } from '../../../../src/core/rng.js';
import { roundDown, roundUp, stepDecimals } from '../../../../src/core/tick-rounding.js';
import { bookShapeFor, buildBook, createLevelScratch, scratchMid, synthesizeBook, synthesizeLevels } from '../../../../adapters/sim/book-synth.js';
import { fromSteps, gridScale } from '../../../../adapters/sim/grid-scale.js';
import { simMarketConfigSchema, SIM_SYMBOLS } from '../../../../adapters/sim/sim-config.js';
import { bookProblems } from './sim-test-helpers.js';

const config = simMarketConfigSchema.parse({});
const GRIDS = [0.0001, 0.001, 0.005, 0.01, 0.1, 0.25, 0.5, 1, 5, 10];

describe('fromSteps', () => {
  it('gives the canonical decimal of k steps (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GRIDS), fc.integer({ min: 1, max: 1_000_000_000 }), (step, k) => {
        return fromSteps(k, gridScale(step)) === Number((k * step).toFixed(stepDecimals(step)));
      }),
    );
  });

  it('agrees with roundDown/roundUp at realistic step counts (property)', () => {
    // tick-rounding's absolute epsilon stops absorbing float error past ~5e6 steps, so stay below.
    fc.assert(
      fc.property(fc.constantFrom(...GRIDS), fc.integer({ min: 1, max: 2_000_000 }), (step, k) => {
        const v = fromSteps(k, gridScale(step));
        return v === roundDown(v, step) && v === roundUp(v, step) && v === roundDown(k * step + step / 3, step);
      }),
    );
  });
});

describe('scratchMid', () => {
  it('is the touches\' mid printed to one decimal finer than the tick (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GRIDS), fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 1, max: 1000 }), (tickSize, bid, gap) => {
        const s = simMarketConfigSchema.parse({ symbols: { 'ETH-PERP': { tickSize } } }).symbols['ETH-PERP'];
        const shape = bookShapeFor('ETH-PERP', s, 1);
        const scratch = createLevelScratch(1);
        scratch.bidTicks[0] = bid;
        scratch.askTicks[0] = bid + gap;
        const printed = Number((((2 * bid + gap) * tickSize) / 2).toFixed(stepDecimals(tickSize) + 1));
        return scratchMid(scratch, shape) === printed;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('buildBook', () => {
  const s = config.symbols['ETH-PERP'];
  const shape = bookShapeFor('ETH-PERP', s, 4);
  const scratch = () => {
    const x = createLevelScratch(4);
    x.bidTicks.set([300_000, 299_999, 299_998, 299_997]);
    x.bidLots.set([5, 0, 7, 1]);
    x.askTicks.set([300_001, 300_002, 300_003, 300_004]);
    x.askLots.set([2, 3, 0, 0]);
    return x;
  };

  it('omits empty levels and serialises as a plain book', () => {
    const book = buildBook(shape, 1000, 7, scratch());
    const plain = {
      symbol: 'ETH-PERP',
      ts: 1000,
      seq: 7,
      bids: [
        { price: 3000, size: 0.005 },
        { price: 2999.98, size: 0.007 },
        { price: 2999.97, size: 0.001 },
      ],
      asks: [
        { price: 3000.01, size: 0.002 },
        { price: 3000.02, size: 0.003 },
      ],
    };
    expect(JSON.stringify(book)).toBe(JSON.stringify(plain));
    expect({ symbol: book.symbol, ts: book.ts, seq: book.seq, bids: book.bids, asks: book.asks }).toEqual(plain);
  });

  it('keeps its levels when the scratch is reused, and returns the same level arrays on every read', () => {
    const x = scratch();
    const book = buildBook(shape, 1000, 7, x);
    // The synthesiser overwrites the scratch for the next step before anyone reads this book.
    x.bidLots.fill(9);
    x.askTicks.fill(1);
    expect(book.bids.map((l) => l.size)).toEqual([0.005, 0.007, 0.001]);
    expect(book.asks.map((l) => l.price)).toEqual([3000.01, 3000.02]);
    expect(book.bids).toBe(book.bids);
    expect(book.asks).toBe(book.asks);
  });
});

describe('synthesizeBook', () => {
  it('produces valid books on the instrument grid for any mid (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...GRIDS),
        fc.constantFrom(...GRIDS),
        fc.integer({ min: 20, max: 1_000_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (tickSize, lotSize, midTicks, levels, halfSpreadTicks, levelSpacingTicks, seed) => {
          const mid = midTicks * tickSize * (1 + seed / 2 ** 40);
          // Keep level sizes below ~1e7 lots, where the grid checks themselves stay exact.
          fc.pre(mid * lotSize >= 1);
          const s = simMarketConfigSchema.parse({
            symbols: { 'ETH-PERP': { tickSize, lotSize, halfSpreadTicks, levelSpacingTicks } },
          }).symbols['ETH-PERP'];
          const shape = bookShapeFor('ETH-PERP', s, levels);
          const book = synthesizeBook(shape, mid, 1000, 7, new SeededRng(seed));
          expect(bookProblems(book, { tickSize, lotSize })).toEqual([]);
          expect(book.asks).toHaveLength(levels);
          const bid = book.bids[0]?.price ?? 0;
          const ask = book.asks[0]?.price ?? 0;
          // Touches at least halfSpread ticks from mid, and no further than one extra tick.
          if (mid - halfSpreadTicks * tickSize >= tickSize) {
            expect(bid).toBeLessThanOrEqual(mid - halfSpreadTicks * tickSize + tickSize * 1e-6);
            expect(bid).toBeGreaterThan(mid - (halfSpreadTicks + 1) * tickSize - tickSize * 1e-6);
          }
          expect(ask).toBeGreaterThanOrEqual(mid + halfSpreadTicks * tickSize - tickSize * 1e-6);
          expect(ask).toBeLessThan(Math.max(bid + 2 * tickSize, mid + (halfSpreadTicks + 1) * tickSize) + tickSize * 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(SIM_SYMBOLS)('%s default book: full depth, spacing and USD depth as configured', (sym) => {
    const s = config.symbols[sym];
    const shape = bookShapeFor(sym, s, config.levels);
    const book = synthesizeBook(shape, s.initialPrice, 0, 1, new SeededRng(3));
    expect(bookProblems(book, s)).toEqual([]);
    expect(book.bids).toHaveLength(20);
    expect(book.asks).toHaveLength(20);
    const step = s.levelSpacingTicks * s.tickSize;
    expect((book.bids[0]?.price ?? 0) - (book.bids[1]?.price ?? 0)).toBeCloseTo(step, 9);
    expect((book.asks[1]?.price ?? 0) - (book.asks[0]?.price ?? 0)).toBeCloseTo(step, 9);
    book.bids.forEach((l, i) => {
      const usd = l.price * l.size;
      const nominal = s.touchDepthUsd * (1 + s.depthGrowthPerLevel) ** i;
      expect(usd).toBeGreaterThanOrEqual(nominal * (1 - s.depthJitter) - l.price * s.lotSize);
      expect(usd).toBeLessThanOrEqual(nominal * (1 + s.depthJitter));
    });
    const scratch = createLevelScratch(config.levels);
    synthesizeLevels(shape, s.initialPrice, new SeededRng(3), scratch);
    expect(scratchMid(scratch, shape)).toBe(((book.bids[0]?.price ?? 0) + (book.asks[0]?.price ?? 0)) / 2);
    expect(scratchMid(scratch, shape)).toBeCloseTo(s.initialPrice, 9);
  });

  it('is deterministic in the rng and jitters sizes across seeds', () => {
    const s = config.symbols['SOL-PERP'];
    const shape = bookShapeFor('SOL-PERP', s, 10);
    const a = synthesizeBook(shape, 151.2345, 5, 2, new SeededRng(9));
    const b = synthesizeBook(shape, 151.2345, 5, 2, new SeededRng(9));
    const c = synthesizeBook(shape, 151.2345, 5, 2, new SeededRng(10));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.bids.map((l) => l.price)).toEqual(c.bids.map((l) => l.price));
    expect(a.bids.map((l) => l.size)).not.toEqual(c.bids.map((l) => l.size));
  });

  it('gives at least one lot per level even when depth is tiny', () => {
    const s = simMarketConfigSchema.parse({ symbols: { 'BTC-PERP': { touchDepthUsd: 0.01 } } }).symbols['BTC-PERP'];
    const book = synthesizeBook(bookShapeFor('BTC-PERP', s, 5), 60_000, 0, 1, new SeededRng(1));
    expect(book.bids.every((l) => l.size === s.lotSize)).toBe(true);
  });
});
