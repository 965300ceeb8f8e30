import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { MarketState } from '../../../src/engine/market-state.js';

/**
 * What the pair bot's markout tracker relies on to put mid reads off (`settles` on a mark): once a
 * symbol has had a mark, MarketState's mid of it is defined after every later event (it falls back
 * to the mark when the book has no touch).
 */
describe('MarketState: a marked symbol’s mid stays defined', () => {
  it('after a mark, mid(symbol) is a number whatever books, marks and prints follow (property)', () => {
    const side = fc.option(fc.double({ min: 1, max: 1_000, noNaN: true }), { nil: null, freq: 3 });
    const event = fc.oneof(
      fc.record({ kind: fc.constant('book' as const), symbol: fc.constantFrom('A', 'B'), bid: side, ask: side }),
      fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom('A', 'B'), price: fc.double({ min: 1, max: 1_000, noNaN: true }) }),
      fc.record({ kind: fc.constant('trade' as const), symbol: fc.constantFrom('A', 'B') }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.nat(60_000), (events, step) => {
        const market = new MarketState();
        const marked = new Set<string>();
        let ts = 0;
        for (const e of events) {
          ts += step;
          const ev: MarketEvent =
            e.kind === 'book'
              ? { kind: 'book', ts, book: { symbol: e.symbol, ts, seq: 0, bids: e.bid === null ? [] : [{ price: e.bid, size: 1 }], asks: e.ask === null ? [] : [{ price: e.ask, size: 1 }] } }
              : e.kind === 'mark'
                ? { kind: 'mark', ts, mark: { symbol: e.symbol, ts, markPrice: e.price, fundingRate: 0 } }
                : { kind: 'trade', ts, trade: { symbol: e.symbol, ts, price: 10, size: 1, aggressor: 'buy', tradeId: `t${ts}` } };
          market.apply(ev);
          if (ev.kind === 'mark') marked.add(ev.mark.symbol);
          for (const s of marked) expect(typeof market.mid(s)).toBe('number');
        }
      }),
      { numRuns: 500 },
    );
  });
});
