import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import { BookGrid, SyntheticTouchBook, syntheticBook, syntheticBookMaker } from '../../../../adapters/replay/synthetic-book.js';
import { bestAsk, bestBid } from '../../../../src/core/book-touch.js';

const params = replayConfigSchema.parse({}).book;

/** Multiple of `step`, with a tolerance relative to the step count (sizes reach 1e10 lots). */
function onGrid(value: number, step: number): boolean {
  const k = value / step;
  return Math.abs(k - Math.round(k)) < 1e-6 * Math.max(1, Math.abs(k) * 1e-6);
}

describe('syntheticBook', () => {
  it('centres a 1 bp half-spread book on the price (ETH at 2,000)', () => {
    const book = syntheticBook({ price: 2000, tickSize: 0.01, lotSize: 0.001, quoteVolume: 1_000_000, params });
    expect(book.bids[0]).toEqual({ price: 1999.8, size: 10.001 }); // 2% of $1M = $20k / 1999.8, down to the lot
    expect(book.asks[0]!.price).toBe(2000.2);
    expect(book.bids[1]!.price).toBe(1999.6);
    expect(book.bids).toHaveLength(10);
    expect(book.asks).toHaveLength(10);
  });

  it('keeps at least one tick of half-spread and the minimum depth on a quiet candle', () => {
    const book = syntheticBook({ price: 20, tickSize: 0.01, lotSize: 0.01, quoteVolume: 0, params });
    expect(book.bids[0]!.price).toBe(19.99);
    expect(book.asks[0]!.price).toBe(20.01);
    expect(book.bids[0]!.size).toBe(250.12); // $5,000 / 19.99, down to the lot
  });

  it('grows depth per level', () => {
    const book = syntheticBook({ price: 100, tickSize: 0.01, lotSize: 0.001, quoteVolume: 0, params });
    const quote = book.asks.map((l) => l.size * l.price);
    for (let i = 1; i < quote.length; i++) expect(quote[i]!).toBeGreaterThan(quote[i - 1]!);
  });

  it('is a valid book for any price, tick and lot: grid, bid < price < ask, sorted, sizes > 0', () => {
    const arb = fc.record({
      price: fc.double({ min: 0.05, max: 200_000, noNaN: true }),
      tick: fc.constantFrom(0.0001, 0.001, 0.01, 0.1, 0.5, 1, 0.0005),
      lot: fc.constantFrom(0.0001, 0.001, 0.01, 1, 0.5),
      quoteVolume: fc.double({ min: 0, max: 1e9, noNaN: true }),
      halfSpreadBps: fc.double({ min: 0, max: 50, noNaN: true }),
      levels: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(arb, ({ price, tick, lot, quoteVolume, halfSpreadBps, levels }) => {
        fc.pre(price > 20 * tick);
        const book = syntheticBook({ price, tickSize: tick, lotSize: lot, quoteVolume, params: { ...params, halfSpreadBps, levels } });
        expect(book.asks).toHaveLength(levels);
        expect(book.bids.length).toBeGreaterThan(0);
        expect(book.bids[0]!.price).toBeLessThan(book.asks[0]!.price);
        expect(book.bids[0]!.price).toBeLessThanOrEqual(price - tick + 1e-9);
        expect(book.asks[0]!.price).toBeGreaterThanOrEqual(price + tick - 1e-9);
        for (const side of [book.bids, book.asks]) {
          for (const l of side) {
            expect(onGrid(l.price, tick)).toBe(true);
            expect(onGrid(l.size, lot)).toBe(true);
            expect(l.price).toBeGreaterThan(0);
            expect(l.size).toBeGreaterThanOrEqual(lot);
          }
        }
        for (let i = 1; i < book.bids.length; i++) expect(book.bids[i]!.price).toBeLessThan(book.bids[i - 1]!.price);
        for (let i = 1; i < book.asks.length; i++) expect(book.asks[i]!.price).toBeGreaterThan(book.asks[i - 1]!.price);
      }),
      { numRuns: 500 },
    );
  });

  it('one maker per instrument, reused over a path, hands out the books syntheticBook gives, none shared', () => {
    const make = syntheticBookMaker(0.01, 0.001, params);
    const books = [1999.99, 2000, 2000.37, 1500.5, 2000].map((price, i) => ({ price, quoteVolume: i * 250_000, book: make(price, i * 250_000) }));
    for (const { price, quoteVolume, book } of books) {
      expect(book).toEqual(syntheticBook({ price, tickSize: 0.01, lotSize: 0.001, quoteVolume, params }));
    }
    expect(books[1]!.book.bids).not.toBe(books[4]!.book.bids);
  });

  it('a replayed book tells its touch without its levels, builds the levels syntheticBook gives when read, and serialises as a plain book', () => {
    const arb = fc.record({
      price: fc.double({ min: 0.0001, max: 200_000, noNaN: true }),
      tick: fc.constantFrom(0.0001, 0.001, 0.01, 0.1, 0.5, 1, 0.0005),
      lot: fc.constantFrom(0.0001, 0.001, 0.01, 1, 0.5),
      quoteVolume: fc.double({ min: 0, max: 1e9, noNaN: true }),
      halfSpreadBps: fc.double({ min: 0, max: 50, noNaN: true }),
      levels: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(arb, ({ price, tick, lot, quoteVolume, halfSpreadBps, levels }) => {
        const p = { ...params, halfSpreadBps, levels };
        const plain = syntheticBook({ price, tickSize: tick, lotSize: lot, quoteVolume, params: p });
        const grid = new BookGrid(tick, lot, p);
        const lazy = new SyntheticTouchBook('ETH-PERP', 7, 3, grid, price, quoteVolume);
        expect([bestBid(lazy), bestAsk(lazy)]).toEqual([plain.bids[0]?.price, plain.asks[0]?.price]);
        expect(JSON.stringify(lazy)).toBe(JSON.stringify({ symbol: 'ETH-PERP', ts: 7, seq: 3, bids: plain.bids, asks: plain.asks }));
        expect(lazy.bids).toBe(lazy.bids);
        expect([bestBid(lazy), bestAsk(lazy)]).toEqual([plain.bids[0]?.price, plain.asks[0]?.price]);
        // Levels read first, then the touch; the touch asked for one side, then the other.
        const levelsFirst = new SyntheticTouchBook('ETH-PERP', 7, 3, grid, price, quoteVolume);
        expect([levelsFirst.asks, levelsFirst.bids, bestAsk(levelsFirst), bestBid(levelsFirst)]).toEqual([plain.asks, plain.bids, plain.asks[0]?.price, plain.bids[0]?.price]);
        const askFirst = new SyntheticTouchBook('ETH-PERP', 7, 3, grid, price, quoteVolume);
        expect([bestAsk(askFirst), bestBid(askFirst), bestAsk(askFirst)]).toEqual([plain.asks[0]?.price, plain.bids[0]?.price, plain.asks[0]?.price]);
        expect(JSON.stringify(askFirst)).toBe(JSON.stringify({ symbol: 'ETH-PERP', ts: 7, seq: 3, bids: plain.bids, asks: plain.asks }));
      }),
      { numRuns: 500 },
    );
  });
});
