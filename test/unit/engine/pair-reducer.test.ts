import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Side } from '../../../src/core/types.js';
import type { OrderManager } from '../../../src/execution/order-manager.js';
import type { MarketState } from '../../../src/engine/market-state.js';
import type { PairBalancer } from '../../../src/engine/pair-balancer.js';
import type { PairLegOrders } from '../../../src/engine/pair-leg-orders.js';
import type { PairLegView } from '../../../src/engine/pair-leg-view.js';
import { PairReducer } from '../../../src/engine/pair-reducer.js';
import { newWorking, type Reduction } from '../../../src/engine/pair-working.js';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';

const T = Date.UTC(2024, 2, 1);
const pair: RoundTrip = { id: 'p1', botId: 'b1', status: 'open', longSymbol: 'ETH-PERP', shortSymbol: 'SOL-PERP', targetNotional: 300, entryTs: T, openTs: T, exitTs: null, exitReason: null, realizedPnl: null, fees: null, signal: {}, updatedTs: T };

/** A book that takes nothing: no slice can be balanced and no IOC within the cap can be sent. */
function thinBook() {
  const clock = new SimClock(T);
  const journal: string[] = [];
  const done: Reduction[] = [];
  const excess: [string, number, Side][] = [['ETH-PERP', 0.05, 'sell'], ['SOL-PERP', 1, 'buy']];
  const reducer = new PairReducer({
    clock,
    orders: { cancel: () => undefined } as unknown as OrderManager,
    market: { mark: () => 100 } as unknown as MarketState,
    logger: silentLogger,
    config: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 30, maxRequotes: 2, imbalanceTolerance: 0.05, sliceUsd: 100, nakedMaxUsd: 50, nakedMaxMs: 5_000 },
    balancer: { start: () => null, advance: () => false, stage: (_rt: RoundTrip, legs: readonly [string, number, Side][]) => ({ now: legs.map(([symbol, total, side]) => ({ symbol, side, total })), tail: false }) } as unknown as PairBalancer,
    legs: { sendTaker: () => false, postAtTouch: () => undefined } as unknown as PairLegOrders,
    view: { excesses: () => excess, marked: () => true } as unknown as PairLegView,
    journal: (kind) => journal.push(kind),
    onDone: (_w, r) => done.push(r),
  });
  return { clock, journal, done, reducer };
}

describe('PairReducer on a book that takes nothing', () => {
  const targets = new Map([['ETH-PERP', 0.05], ['SOL-PERP', 1]]);

  it("gives an operator's rebalance (manual) up after one round, the pair open and nothing working, for its runner to decide", () => {
    const s = thinBook();
    const w = newWorking(pair, 'posting', T);
    s.reducer.start(w, { targets, purpose: 'manual', final: false }, true, []);
    expect(w.reduce).toBeNull();
    expect(w.phase).not.toBe('backoff');
    expect(w.rounds).toBe(1);
    expect(s.journal).toEqual(['pair_reduction_stalled']);
    expect(s.done).toEqual([]);
  });

  it('keeps an exit or a harvest going: a backoff, then round again (never declared flat while it is not)', () => {
    for (const purpose of ['exit', 'harvest'] as const) {
      const s = thinBook();
      const w = newWorking(pair, 'posting', T);
      s.reducer.start(w, { targets, purpose, final: purpose === 'exit' }, true, []);
      expect(w.phase).toBe('backoff');
      expect(w.reduce?.purpose).toBe(purpose);
      s.clock.advanceTo(w.deadline);
      s.reducer.tick(w, []);
      expect(w.rounds).toBe(2);
      expect(w.reduce?.purpose).toBe(purpose);
    }
  });
});
