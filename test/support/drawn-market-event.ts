import fc from 'fast-check';
import type { MarketEvent } from '../../src/core/types.js';

/** A market event as a property test draws it: a book (either side may be empty), a mark, or a print. */
export type DrawnMarketEvent =
  | { readonly kind: 'book'; readonly symbol: string; readonly bid: number | null; readonly ask: number | null }
  | { readonly kind: 'mark'; readonly symbol: string; readonly price: number }
  | { readonly kind: 'trade'; readonly symbol: string };

/** Books, marks and prints of `symbol`, prices in [1, 1,000]; one book side in four is empty. */
export function drawnMarketEvents(symbol: fc.Arbitrary<string>): {
  readonly book: fc.Arbitrary<DrawnMarketEvent>;
  readonly mark: fc.Arbitrary<DrawnMarketEvent>;
  readonly trade: fc.Arbitrary<DrawnMarketEvent>;
} {
  const price = fc.double({ min: 1, max: 1_000, noNaN: true });
  const side = fc.option(price, { nil: null, freq: 3 });
  return {
    book: fc.record({ kind: fc.constant('book' as const), symbol, bid: side, ask: side }),
    mark: fc.record({ kind: fc.constant('mark' as const), symbol, price }),
    trade: fc.record({ kind: fc.constant('trade' as const), symbol }),
  };
}

/** The drawn event at `ts` (a print is one lot bought at 10). */
export function marketEventOf(e: DrawnMarketEvent, ts: number): MarketEvent {
  if (e.kind === 'book') {
    return { kind: 'book', ts, book: { symbol: e.symbol, ts, seq: 0, bids: e.bid === null ? [] : [{ price: e.bid, size: 1 }], asks: e.ask === null ? [] : [{ price: e.ask, size: 1 }] } };
  }
  if (e.kind === 'mark') return { kind: 'mark', ts, mark: { symbol: e.symbol, ts, markPrice: e.price, fundingRate: 0 } };
  return { kind: 'trade', ts, trade: { symbol: e.symbol, ts, price: 10, size: 1, aggressor: 'buy', tradeId: `t${ts}` } };
}
