import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/core/types.js';
import { minimizeNelderMead } from '../../../src/analytics/nelder-mead.js';
import { MarketState } from '../../../src/engine/market-state.js';
import type { PairExecutor } from '../../../src/engine/pair-executor.js';
import { OrderRepository } from '../../../src/store/order-repository.js';
import { Store } from '../../../src/store/store.js';
import { OBJECT_LIST, optimisedCall, sameHiddenClass } from '../../support/hidden-class.js';
import { lotInstrument, openPairExecutor } from '../../support/pair-fixture.js';

/**
 * Objects that optimised code reads on every book, control tick or fit keep one hidden class
 * whatever built them, so a process that builds them again (the pipeline bench's next simulated
 * day, a sweep in one process) does not throw that code away. A spread's copy, a `map` result and a
 * fresh `[]` each get a class of their own; these tests fail with any of them back.
 */

const T = Date.UTC(2024, 2, 1);
const instruments = new Map<string, Instrument>([
  ['ETH-PERP', lotInstrument('ETH-PERP', 0.001, 10)],
  ['SOL-PERP', lotInstrument('SOL-PERP', 0.01, 10)],
]);
const config = { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 10, maxRequotes: 2, imbalanceTolerance: 0.1, sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000 };

function executor(hedgeRatio: boolean): PairExecutor {
  return openPairExecutor({
    ts: T,
    targetNotional: 3_000,
    ethLong: 1,
    solShort: 20,
    quotes: [
      { symbol: 'ETH-PERP', bid: 2999.99, ask: 3000.01, size: 1e6 },
      { symbol: 'SOL-PERP', bid: 149.99, ask: 150.01, size: 1e6 },
    ],
    instruments,
    config,
    ...(hedgeRatio ? { hedgeRatio: () => 1.1 } : {}),
  }).executor;
}

/** The options object a part of the executor was built with. */
const partOptions = (e: PairExecutor, part: 'balancer' | 'drift' | 'reducer'): object => (e as unknown as Record<string, { o: object }>)[part]!.o;

describe('hidden classes of what optimised code reads', () => {
  it("the pair executor's parts get options of one class, whatever options the executor was given", () => {
    const plain = executor(false);
    const hedged = executor(true);
    for (const part of ['balancer', 'drift', 'reducer'] as const) {
      expect(sameHiddenClass(partOptions(plain, part), partOptions(hedged, part)), part).toBe(true);
    }
  });

  it("a new market state's lists are object lists before their first push", () => {
    const market = new MarketState() as unknown as Record<'viewList' | 'marked' | 'markedSymbols', object>;
    for (const list of ['viewList', 'marked', 'markedSymbols'] as const) expect(sameHiddenClass(market[list], OBJECT_LIST), list).toBe(true);
  });

  it("a pair's fills read at its close are a packed object list", () => {
    const store = Store.open(':memory:');
    const order = (id: string, side: 'buy' | 'sell') => ({
      clientOrderId: id,
      botId: 'b1',
      venue: 'paper',
      symbol: 'ETH-PERP',
      side,
      type: 'limit' as const,
      tif: 'POST_ONLY' as const,
      price: 3_000,
      size: 1,
      reduceOnly: false,
      purpose: 'entry' as const,
      pairId: 'b1-rt1',
      status: 'filled' as const,
      venueOrderId: null,
      filledSize: 1,
      avgFillPrice: 3_000,
      feesPaid: 0.3,
      rejectReason: null,
      createdTs: T,
      updatedTs: T,
      sizingTrace: [],
    });
    store.orders.insert(order('o1', 'buy'));
    store.orders.insert(order('o2', 'sell'));
    // As the interpreter runs it, and optimised (where a `map` inlined would make a holey array).
    expect(sameHiddenClass(store.orders.fillsOfPair('b1-rt1'), OBJECT_LIST)).toBe(true);
    const fills = optimisedCall(OrderRepository.prototype.fillsOfPair, () => store.orders.fillsOfPair('b1-rt1'));
    expect(fills).toHaveLength(2);
    expect(sameHiddenClass(fills, OBJECT_LIST)).toBe(true);
    store.close();
  });

  it("Nelder-Mead's answers are packed lists of doubles, as a literal of doubles is, once V8 has optimised the fit", () => {
    const f = (x: readonly number[]): number => (x[0]! - 0.3) ** 2 + (x[1]! + 1.7) ** 2;
    const first = minimizeNelderMead(f, [0.25, 0.5]);
    expect(first.x[0]).toBeCloseTo(0.3, 3);
    // Enough fits for V8 to optimise the points' arithmetic (with `map`, most answers came out holey).
    let other = 0;
    for (let i = 0; i < 400; i++) {
      const r = minimizeNelderMead(f, [0.25, 0.5]);
      expect(r.x).toEqual(first.x);
      if (!sameHiddenClass(r.x, [0.5, 0.25])) other++;
    }
    expect(other).toBe(0);
  });
});
