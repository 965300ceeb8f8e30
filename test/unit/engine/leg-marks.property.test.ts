import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LegMarks } from '../../../src/engine/leg-marks.js';
import { MarketState } from '../../../src/engine/market-state.js';
import { drawnMarketEvents, marketEventOf } from '../../support/drawn-market-event.js';

describe('LegMarks: whether both legs have a mid, read from the market only until both had a mark', () => {
  it('answers what reading both mids answers, after every event (property)', () => {
    const { book, mark, trade } = drawnMarketEvents(fc.constantFrom('A', 'B', 'C'));
    const event = fc.oneof(book, mark, trade);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const market = new MarketState();
        const legs = new LegMarks(market, 'A', 'B');
        let ts = 0;
        for (const e of events) {
          ts += 1_000;
          const ev = marketEventOf(e, ts);
          market.apply(ev);
          if (ev.kind === 'mark') legs.onMark(ev.mark.symbol);
          expect(legs.bothMids()).toBe(market.mid('A') !== undefined && market.mid('B') !== undefined);
        }
      }),
      { numRuns: 500 },
    );
  });
});
