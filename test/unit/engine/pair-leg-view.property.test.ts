import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../src/core/types.js';
import { MarketState } from '../../../src/engine/market-state.js';
import type { PairLegOrders } from '../../../src/engine/pair-leg-orders.js';
import { PairLegView } from '../../../src/engine/pair-leg-view.js';
import { pairImbalance, pairTolerance } from '../../../src/hedging/pair-imbalance.js';
import { lotInstrument, openPair } from '../../support/pair-fixture.js';

const T = Date.UTC(2024, 2, 1);
const size = fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true }));
const mark = fc.option(fc.double({ min: 0.01, max: 100_000, noNaN: true }), { nil: undefined });

function view(p: { long: number; short: number; longMark: number | undefined; shortMark: number | undefined; hedgeRatio: number | undefined; minNotional: [number, number] }) {
  const market = new MarketState();
  for (const [symbol, m] of [['ETH-PERP', p.longMark], ['SOL-PERP', p.shortMark]] as const) {
    if (m !== undefined) market.apply({ kind: 'mark', ts: T, mark: { symbol, ts: T, markPrice: m, fundingRate: 0 } });
  }
  const positions = new Map<string, Position>([
    ['ETH-PERP', { symbol: 'ETH-PERP', size: p.long, entryPrice: 1 } as Position],
    ['SOL-PERP', { symbol: 'SOL-PERP', size: p.short, entryPrice: 1 } as Position],
  ]);
  const instruments = new Map([['ETH-PERP', lotInstrument('ETH-PERP', 0.001, p.minNotional[0])], ['SOL-PERP', lotInstrument('SOL-PERP', 0.01, p.minNotional[1])]]);
  const h = p.hedgeRatio;
  return new PairLegView({ market, instruments, positions: () => positions, imbalanceTolerance: 0.1, legs: {} as PairLegOrders, ...(h === undefined ? {} : { hedgeRatio: () => h }) });
}

describe('PairLegView: the per-book reading of an open pair gives what the legs’ notionals give', () => {
  it('netDelta of a reading is legNotionals’ long − short (null together), so the trim’s `within` is pairImbalance’s', () => {
    fc.assert(
      fc.property(size, size, mark, mark, fc.option(fc.double({ min: 0.2, max: 5, noNaN: true }), { nil: undefined }), fc.double({ min: 0, max: 1_000, noNaN: true }), (long, short, longMark, shortMark, hedgeRatio, tolerance) => {
        const v = view({ long, short, longMark, shortMark, hedgeRatio, minNotional: [1, 1] });
        const rt = openPair(T, 300);
        const legs = v.legNotionals(rt);
        const delta = v.netDelta(rt, v.read(rt));
        if (legs === null) {
          expect(delta).toBeNull();
        } else {
          const imb = pairImbalance(legs, tolerance);
          expect(delta).toBe(imb.netDelta);
          expect(Math.abs(delta!) <= tolerance).toBe(imb.within);
        }
      }),
    );
  });

  it('a reading holds each leg’s |size| and mark', () => {
    fc.assert(
      fc.property(size, size, mark, mark, (long, short, longMark, shortMark) => {
        const v = view({ long, short, longMark, shortMark, hedgeRatio: undefined, minNotional: [1, 1] });
        expect({ ...v.read(openPair(T, 300)) }).toEqual({ longSize: Math.abs(long), shortSize: Math.abs(short), longMark, shortMark });
      }),
    );
  });

  it('the tolerance kept per round-trip row is the one computed afresh, row after row', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (targets, a, b) => {
        const v = view({ long: 1, short: -1, longMark: 1, shortMark: 1, hedgeRatio: undefined, minNotional: [a, b] });
        for (const target of targets) {
          const rt = openPair(T, target);
          for (let k = 0; k < 2; k++) expect(v.tolerance(rt)).toBe(pairTolerance(target, 0.1, Math.max(a, b)));
        }
      }),
    );
  });

  it('a reading keeps its sizes while the positions revision and the row stay, and equals a fresh look-up after every step (property)', () => {
    // A row with the legs the other way round: a new row object re-reads its legs' sizes.
    const swapped = { ...openPair(T, 300), longSymbol: 'SOL-PERP', shortSymbol: 'ETH-PERP' };
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fill' as const), symbol: fc.constantFrom('ETH-PERP', 'SOL-PERP'), size }),
      fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom('ETH-PERP', 'SOL-PERP'), price: fc.double({ min: 0.01, max: 100_000, noNaN: true }) }),
      fc.record({ kind: fc.constant('row' as const), which: fc.constantFrom(0, 1, 2) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const market = new MarketState();
        const positions = new Map<string, Position>();
        let revision = 0;
        const instruments = new Map([['ETH-PERP', lotInstrument('ETH-PERP', 0.001, 1)], ['SOL-PERP', lotInstrument('SOL-PERP', 0.01, 1)]]);
        const kept = new PairLegView({ market, instruments, positions: () => positions, positionsRevision: () => revision, imbalanceTolerance: 0.1, legs: {} as PairLegOrders });
        const fresh = new PairLegView({ market, instruments, positions: () => positions, imbalanceTolerance: 0.1, legs: {} as PairLegOrders });
        const rows = [openPair(T, 300), openPair(T, 300), swapped];
        let rt = rows[0]!;
        for (const st of steps) {
          if (st.kind === 'fill') {
            positions.set(st.symbol, { symbol: st.symbol, size: st.size, entryPrice: 1 } as Position);
            revision++;
          } else if (st.kind === 'mark') market.apply({ kind: 'mark', ts: T, mark: { symbol: st.symbol, ts: T, markPrice: st.price, fundingRate: 0 } });
          else rt = rows[st.which]!;
          expect({ ...kept.read(rt) }).toEqual({ ...fresh.read(rt) });
        }
      }),
    );
  });
});
