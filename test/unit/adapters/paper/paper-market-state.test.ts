import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Book } from '../../../../src/core/types.js';
import { SymbolView } from '../../../../adapters/paper/paper-market-state.js';

type Step =
  | { readonly kind: 'book'; readonly bid: number | null; readonly ask: number | null }
  | { readonly kind: 'trade'; readonly price: number }
  | { readonly kind: 'mark'; readonly price: number; readonly rate: number };

/** Prices as a venue could send them, valid or not (the view ignores a price ≤ 0 or not finite). */
const price = fc.oneof(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY));
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('book' as const), bid: fc.option(fc.double({ min: 1, max: 1e5, noNaN: true })), ask: fc.option(fc.double({ min: 1, max: 1e5, noNaN: true })) }),
  fc.record({ kind: fc.constant('trade' as const), price }),
  fc.record({ kind: fc.constant('mark' as const), price, rate: fc.oneof(fc.double({ min: -0.01, max: 0.01, noNaN: true }), fc.constant(Number.NaN)) }),
);

function bookOf(bid: number | null, ask: number | null): Book {
  return {
    symbol: 'ETH-PERP',
    ts: 0,
    seq: 0,
    bids: bid === null ? [] : [{ price: bid, size: 1 }],
    asks: ask === null ? [] : [{ price: ask, size: 1 }],
  };
}

/** The mark from the whole history: the last valid mark, else the last book's mid (or one side), else the last valid print. */
function referenceMark(history: readonly Step[]): number | undefined {
  const valid = (p: number): boolean => p > 0 && Number.isFinite(p);
  const marks = history.filter((s) => s.kind === 'mark' && valid(s.price));
  const lastMark = marks.at(-1);
  if (lastMark !== undefined && lastMark.kind === 'mark') return lastMark.price;
  const lastBook = history.filter((s) => s.kind === 'book').at(-1);
  if (lastBook !== undefined && lastBook.kind === 'book') {
    if (lastBook.bid !== null && lastBook.ask !== null) return (lastBook.bid + lastBook.ask) / 2;
    const side = lastBook.bid ?? lastBook.ask;
    if (side !== null) return side;
  }
  const lastTrade = history.filter((s) => s.kind === 'trade' && valid(s.price)).at(-1);
  return lastTrade !== undefined && lastTrade.kind === 'trade' ? lastTrade.price : undefined;
}

describe('SymbolView', () => {
  it('gives the mark of the whole history after every step, prints after the first mark unkept (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const view = new SymbolView();
        const history: Step[] = [];
        for (const s of steps) {
          if (s.kind === 'book') view.book = bookOf(s.bid, s.ask);
          else if (s.kind === 'trade') view.applyTrade({ symbol: 'ETH-PERP', ts: 0, price: s.price, size: 1, aggressor: 'buy', tradeId: 't' });
          else view.applyMark({ symbol: 'ETH-PERP', ts: 0, markPrice: s.price, fundingRate: s.rate });
          history.push(s);
          expect(view.markPrice()).toBe(referenceMark(history));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to the last print only until the first mark', () => {
    const view = new SymbolView();
    const print = (p: number) => view.applyTrade({ symbol: 'ETH-PERP', ts: 0, price: p, size: 1, aggressor: 'sell', tradeId: 't' });
    print(100);
    expect(view.markPrice()).toBe(100);
    view.applyMark({ symbol: 'ETH-PERP', ts: 0, markPrice: 101, fundingRate: 0 });
    print(102);
    expect(view.markPrice()).toBe(101);
    view.book = bookOf(null, null);
    expect(view.markPrice()).toBe(101);
  });
});
