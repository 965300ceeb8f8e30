import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Instrument, Order } from '../../../src/core/types.js';
import { isDriftOrder, type DriftRebalancer } from '../../../src/engine/drift-rebalancer.js';
import type { LegReading, PairLegView } from '../../../src/engine/pair-leg-view.js';
import type { Working } from '../../../src/engine/pair-working.js';
import { Store } from '../../../src/store/store.js';
import { lotInstrument, openPairExecutor } from '../../support/pair-fixture.js';
import { RestingOrders } from '../../support/resting-orders.js';

const T = Date.UTC(2024, 2, 1);
const instrument = (symbol: string, lot: number): Instrument => ({ ...lotInstrument(symbol, lot, 10), makerFeeRate: 0.0002, takerFeeRate: 0.0005 });

/** The executor's parts the full open-pair step runs on (private; read here to compare against). */
interface Internals {
  readonly current: Working;
  readonly view: PairLegView;
  readonly drift: DriftRebalancer;
  readonly driftHeld: boolean;
  rebalance(w: Working, legs: LegReading): boolean;
  working(pairId: string): readonly Order[];
}

interface Scenario {
  readonly ethLong: number;
  /** The short leg's notional over the long leg's, less 1 (-1: flat). */
  readonly solOff: number;
  readonly ethMark: number;
  readonly solMark: number;
  readonly tolerance: number;
  readonly driftShare: number;
  readonly hedgeRatio: number | undefined;
  /** Market time of the next allowed trim, from now. */
  readonly rebalanceInMs: number;
  readonly pendingHedge: boolean;
  readonly driftHeld: boolean;
}

function setup(s: Scenario) {
  const { executor, orders, store } = openPairExecutor({
    ts: T,
    targetNotional: 3_000,
    ethLong: s.ethLong,
    solShort: (s.ethLong * s.ethMark * (1 + s.solOff)) / s.solMark,
    quotes: [
      { symbol: 'ETH-PERP', bid: s.ethMark - 0.01, ask: s.ethMark + 0.01, size: 1e6 },
      { symbol: 'SOL-PERP', bid: s.solMark - 0.01, ask: s.solMark + 0.01, size: 1e6 },
    ],
    instruments: new Map([['ETH-PERP', instrument('ETH-PERP', 0.001)], ['SOL-PERP', instrument('SOL-PERP', 0.01)]]),
    config: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 10, maxRequotes: 2, imbalanceTolerance: s.tolerance, sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000, driftShare: s.driftShare, driftRestMs: 30_000 },
    ...(s.hedgeRatio === undefined ? {} : { hedgeRatio: () => s.hedgeRatio! }),
  });
  const x = executor as unknown as Internals;
  x.current.nextRebalanceTs = T + s.rebalanceInMs;
  x.current.pendingHedge = s.pendingHedge ? { deltaBefore: 50 } : null;
  executor.holdDrift(s.driftHeld);
  return { executor, x, orders, store };
}

/** The open-pair step as it was before the quiet check: the trim, then the drift rebalancer. */
function fullOpenStep(x: Internals, orders: RestingOrders): void {
  const w = x.current;
  const working = x.working(w.rt.id);
  let legs: LegReading | undefined;
  let after = working;
  if (working.length === 0) {
    legs = x.view.read(w.rt);
    if (x.rebalance(w, legs)) {
      after = x.working(w.rt.id);
      legs = undefined;
    }
  }
  if (!x.driftHeld) x.drift.tick(w, after, legs);
  else for (const o of working) if (isDriftOrder(o)) orders.cancel(o.clientOrderId);
}

/** What a step did: the orders it sent, what it journaled, and the pair's trim state after it. */
function outcome(t: { x: Internals; orders: RestingOrders; store: Store }) {
  return {
    sent: t.orders.sent.map((o) => ({ symbol: o.symbol, side: o.side, size: o.size, price: o.price, tif: o.tif, purpose: o.purpose, reduceOnly: o.reduceOnly, status: o.status })),
    journal: t.store.events.recent(100).map((e) => ({ kind: e.kind, data: e.data })),
    nextRebalanceTs: t.x.current.nextRebalanceTs,
    pendingHedge: t.x.current.pendingHedge,
  };
}

// About $3,000 of ETH long against SOL short a few % apart: within, near and past both bands.
const scenario: fc.Arbitrary<Scenario> = fc.record({
  ethLong: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.double({ min: 0.8, max: 1.2, noNaN: true }) }),
  solOff: fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 9, arbitrary: fc.double({ min: -0.05, max: 0.05, noNaN: true }) }),
  ethMark: fc.double({ min: 2_900, max: 3_100, noNaN: true }),
  solMark: fc.double({ min: 145, max: 155, noNaN: true }),
  tolerance: fc.constantFrom(0, 0.002, 0.005, 0.01, 0.05),
  driftShare: fc.constantFrom(0, 0.002, 0.005, 0.01, 0.03),
  hedgeRatio: fc.option(fc.double({ min: 0.8, max: 1.25, noNaN: true }), { nil: undefined }),
  rebalanceInMs: fc.constantFrom(-1_000, 0, 1, 5_000),
  pendingHedge: fc.boolean(),
  driftHeld: fc.boolean(),
});

describe('PairExecutor.tick on an open pair with nothing working', () => {
  it('does what the trim and the drift rebalancer do one after the other, quiet check or not (property)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const quick = setup(s);
        quick.executor.tick();
        const full = setup(s);
        fullOpenStep(full.x, full.orders);
        expect(outcome(quick)).toEqual(outcome(full));
        quick.store.close();
        full.store.close();
      }),
      { numRuns: 200 },
    );
  });
});
