import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../src/core/types.js';
import { MarketState } from '../../../src/engine/market-state.js';
import { addExposure, MarkedExposure } from '../../../src/engine/position-exposure.js';
import { RunStats } from '../../../src/engine/run-stats.js';
import { drawnMarketEvents, marketEventOf } from '../../support/drawn-market-event.js';

/** One bot as the runtime sees it: its positions and its kept exposure (told of each fill). */
interface Holder {
  readonly positions: Map<string, Position>;
  readonly kept: MarkedExposure;
}

const symbol = fc.constantFrom('A', 'B', 'C');
const price = fc.double({ min: 1, max: 1_000, noNaN: true });
const size = fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true }));
const drawn = drawnMarketEvents(symbol);
const event = fc.oneof(
  { weight: 3, arbitrary: drawn.book },
  { weight: 5, arbitrary: drawn.mark },
  { weight: 1, arbitrary: drawn.trade },
  // A fill of one of two bots: its new position in a symbol, mostly A or B, so that marks of C are
  // often of a symbol no one holds (size 0: a closed leg kept in the map).
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fill' as const), bot: fc.integer({ min: 0, max: 1 }), symbol: fc.constantFrom('A', 'A', 'B', 'B', 'C'), size, entry: price }) },
);
// Positions held at start (a restart), before any book or mark.
const start = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), symbol, size, price), { maxLength: 3 });

describe('MarkedExposure: a bot exposure kept mark by mark for the runtime', () => {
  it('equals the full sum bit for bit after every mark, says so when it is unchanged, and the run records the same maxima (property)', () => {
    let unchangedMarks = 0;
    fc.assert(
      fc.property(start, fc.array(event, { minLength: 20, maxLength: 80 }), (held, events) => {
        const market = new MarketState();
        const mark = (s: string): number | undefined => market.mark(s);
        const holders: Holder[] = [0, 1].map(() => {
          const positions = new Map<string, Position>();
          return { positions, kept: new MarkedExposure(positions, mark, () => market.allMarks()) };
        });
        for (const [bot, s, sz, entryPrice] of held) holders[bot]!.positions.set(s, { symbol: s, size: sz, entryPrice, realizedPnl: 0 });
        const full = new RunStats();
        const skipping = new RunStats();
        let ts = 0;
        for (const e of events) {
          ts += 1_000;
          if (e.kind === 'fill') {
            const h = holders[e.bot]!;
            h.positions.set(e.symbol, { symbol: e.symbol, size: e.size, entryPrice: e.entry, realizedPnl: 0 });
            h.kept.positionsChanged();
            continue;
          }
          const ev = marketEventOf(e, ts);
          market.apply(ev);
          if (ev.kind !== 'mark') continue;
          // The former way: every bot's positions summed at their marks.
          const sum = { net: 0, gross: 0 };
          for (const h of holders) addExposure(h.positions, mark, sum);
          full.observeExposure(sum.net, sum.gross);
          // The runtime's way: every bot told, their kept exposures summed unless none changed.
          let changed = false;
          for (const h of holders) {
            const before = [h.kept.net, h.kept.gross];
            if (h.kept.onMark(ev.mark.symbol)) changed = true;
            else expect([h.kept.net, h.kept.gross]).toEqual(before);
            const own = { net: 0, gross: 0 };
            addExposure(h.positions, mark, own);
            expect(Object.is(h.kept.net, own.net) && Object.is(h.kept.gross, own.gross)).toBe(true);
          }
          if (changed) {
            const acc = { net: 0, gross: 0 };
            for (const h of holders) {
              acc.net += h.kept.net;
              acc.gross += h.kept.gross;
            }
            skipping.observeExposure(acc.net, acc.gross);
          } else unchangedMarks++;
          expect(Object.is(skipping.maxAbsNetDeltaUsd, full.maxAbsNetDeltaUsd)).toBe(true);
          expect(Object.is(skipping.maxGrossNotionalUsd, full.maxGrossNotionalUsd)).toBe(true);
        }
      }),
      { numRuns: 1_000 },
    );
    // The skip is exercised, not only the sums.
    expect(unchangedMarks).toBeGreaterThan(1_000);
  });
});
