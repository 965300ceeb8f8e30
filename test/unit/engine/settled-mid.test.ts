import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarketState } from '../../../src/engine/market-state.js';
import { drawnMarketEvents, marketEventOf } from '../../support/drawn-market-event.js';

/**
 * What the pair bot's markout tracker relies on to put mid reads off (`settles` on a mark): once a
 * symbol has had a mark, MarketState's mid of it is defined after every later event (it falls back
 * to the mark when the book has no touch).
 */
describe('MarketState: a marked symbol’s mid stays defined', () => {
  it('after a mark, mid(symbol) is a number whatever books, marks and prints follow (property)', () => {
    const { book, mark, trade } = drawnMarketEvents(fc.constantFrom('A', 'B'));
    const event = fc.oneof(book, mark, trade);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.nat(60_000), (events, step) => {
        const market = new MarketState();
        const marked = new Set<string>();
        let ts = 0;
        for (const e of events) {
          ts += step;
          const ev = marketEventOf(e, ts);
          market.apply(ev);
          if (ev.kind === 'mark') marked.add(ev.mark.symbol);
          for (const s of marked) expect(typeof market.mid(s)).toBe('number');
        }
      }),
      { numRuns: 500 },
    );
  });
});
