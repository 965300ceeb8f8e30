import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { LegMarks } from '../../../src/engine/leg-marks.js';
import { MarketState } from '../../../src/engine/market-state.js';

describe('LegMarks: whether both legs have a mid, read from the market only until both had a mark', () => {
  it('answers what reading both mids answers, after every event (property)', () => {
    const side = fc.option(fc.double({ min: 1, max: 1_000, noNaN: true }), { nil: null, freq: 3 });
    const symbol = fc.constantFrom('A', 'B', 'C');
    const event = fc.oneof(
      fc.record({ kind: fc.constant('book' as const), symbol, bid: side, ask: side }),
      fc.record({ kind: fc.constant('mark' as const), symbol, price: fc.double({ min: 1, max: 1_000, noNaN: true }) }),
      fc.record({ kind: fc.constant('trade' as const), symbol }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const market = new MarketState();
        const legs = new LegMarks(market, 'A', 'B');
        let ts = 0;
        for (const e of events) {
          ts += 1_000;
          const ev: MarketEvent =
            e.kind === 'book'
              ? { kind: 'book', ts, book: { symbol: e.symbol, ts, seq: 0, bids: e.bid === null ? [] : [{ price: e.bid, size: 1 }], asks: e.ask === null ? [] : [{ price: e.ask, size: 1 }] } }
              : e.kind === 'mark'
                ? { kind: 'mark', ts, mark: { symbol: e.symbol, ts, markPrice: e.price, fundingRate: 0 } }
                : { kind: 'trade', ts, trade: { symbol: e.symbol, ts, price: 10, size: 1, aggressor: 'buy', tradeId: `t${ts}` } };
          market.apply(ev);
          if (ev.kind === 'mark') legs.onMark(ev.mark.symbol);
          expect(legs.bothMids()).toBe(market.mid('A') !== undefined && market.mid('B') !== undefined);
        }
      }),
      { numRuns: 500 },
    );
  });
});
