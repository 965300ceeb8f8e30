import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Order, Position } from '../../../src/core/types.js';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { isDriftOrder } from '../../../src/engine/drift-rebalancer.js';
import { ExitManager } from '../../../src/engine/exit-manager.js';
import { RebalanceRunner } from '../../../src/engine/rebalance-runner.js';
import { CONTROL_VERSION } from '../../../src/store/control-repository.js';
import { Store } from '../../../src/store/store.js';
import { lotInstrument, openPair, quotedMarket, testExecutor } from '../../support/pair-fixture.js';
import { RestingOrders } from '../../support/resting-orders.js';

const T = Date.UTC(2024, 2, 1);
const MARK: Record<string, number> = { 'ETH-PERP': 3_000, 'SOL-PERP': 150 };
const pair = openPair(T, 3_000);
const DRIFT_REST_MS = 30_000;

/** Orders rest until cancelled (a cancel takes at once) or filled whole by `fillAll`. */
class RestingVenue extends RestingOrders {
  constructor(clock: SimClock) {
    super(() => clock.now());
  }
  /** Fills every working order whole at the mark. */
  fillAll(positions: Map<string, Position>): void {
    for (const o of this.active()) {
      const i = this.sent.indexOf(o);
      this.sent[i] = { ...o, status: 'filled', filledSize: o.size, avgFillPrice: MARK[o.symbol]! };
      const p = positions.get(o.symbol)!;
      positions.set(o.symbol, { ...p, size: p.size + (o.side === 'buy' ? 1 : -1) * o.size });
    }
  }
}

/** An open pair $90 off on $5,910 gross (1.5%, past the drift rebalancer's 1%), its drift order resting. */
function setup() {
  const store = Store.open(':memory:');
  const clock = new SimClock(T);
  const market = quotedMarket(T, Object.entries(MARK).map(([symbol, px]) => ({ symbol, bid: px - 0.01, ask: px + 0.01, size: 1e6 })));
  const positions = new Map<string, Position>([
    ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 3_000, realizedPnl: 0 }],
    ['SOL-PERP', { symbol: 'SOL-PERP', size: -19.4, entryPrice: 150, realizedPnl: 0 }],
  ]);
  store.roundTrips.save(pair);
  const venue = new RestingVenue(clock);
  const instruments = new Map([['ETH-PERP', lotInstrument('ETH-PERP', 0.001, 10)], ['SOL-PERP', lotInstrument('SOL-PERP', 0.01, 10)]]);
  const executor = testExecutor({
    clock,
    store,
    orders: venue,
    market,
    instruments,
    config: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 10, maxRequotes: 2, imbalanceTolerance: 0.1, sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000, driftShare: 0.01, driftRestMs: DRIFT_REST_MS },
    positions: () => positions,
  });
  const exits = new ExitManager({ botId: 'b1', store, clock, logger: silentLogger, config: { ...parseConfig({}).exitBrain, enabled: true }, executor, instruments, positions: () => positions, mark: (s) => market.mark(s) });
  const runner = new RebalanceRunner({ botId: 'b1', store, clock, logger: silentLogger, executor, instruments, positions: () => positions, mark: (s) => market.mark(s), imbalanceTolerance: 0.1, driftShare: 0.01 });
  executor.tick(); // the drift rebalancer posts its order
  const drift = venue.active().filter(isDriftOrder);
  expect(drift).toHaveLength(1);
  const live = (): Order[] => venue.active();
  return { store, clock, market, executor, exits, runner, venue, positions, drift: drift[0]!, live };
}

const harvestTargets = new Map([['ETH-PERP', 0.7], ['SOL-PERP', 13.58]]);

describe('a resting drift rebalance never holds up a reduction', () => {
  it('an ExitBrain harvest cancels it at once and posts its own slices, with no market time passing', () => {
    const s = setup();
    s.executor.harvest(harvestTargets, false, 'tp1');
    expect(s.venue.sent.find((o) => o.clientOrderId === s.drift.clientOrderId)!.status).toBe('canceled');
    s.executor.tick();
    expect(s.live().length).toBeGreaterThan(0);
    expect(s.live().every((o) => o.purpose === 'harvest' && o.tif === 'POST_ONLY' && o.reduceOnly)).toBe(true);
  });

  it("ExitBrain's ladder is not held back by it: a stop goes out at once", () => {
    const s = setup();
    expect(s.exits.onPairOpened(pair, 2, null)).not.toBeNull();
    s.market.apply({ kind: 'mark', ts: T, mark: { symbol: 'ETH-PERP', ts: T, markPrice: 2_000, fundingRate: 0 } });
    s.exits.evaluate(s.executor.active!);
    expect(s.executor.active!.status).toBe('exiting');
    expect(s.executor.active!.exitReason).toBe('stop_loss');
    s.executor.tick();
    expect(s.live().length).toBeGreaterThan(0);
    expect(s.live().every((o) => o.purpose === 'exit' && o.tif === 'IOC')).toBe(true);
  });

  it.each([
    ['an exit', (s: ReturnType<typeof setup>) => s.executor.exit('tp3', false), 'exit'],
    ['an over-allocation cut', (s: ReturnType<typeof setup>) => s.executor.reduceBy(0.4, 'allocation tier', false), 'exit'],
  ] as const)('%s (not urgent) cancels it and starts post-only, as asked, not by IOC', (_, act, purpose) => {
    const s = setup();
    act(s);
    s.executor.tick();
    expect(s.live().length).toBeGreaterThan(0);
    expect(s.live().every((o) => o.purpose === purpose && o.tif === 'POST_ONLY')).toBe(true);
  });

  it("an operator's rebalance (dnbot rebalance) is claimed and sent at once, its drift order cancelled", () => {
    const s = setup();
    s.store.controls.queueRebalance({ botId: 'b1', ts: T, targets: { 'ETH-PERP': 0.5, 'SOL-PERP': -10 }, plan: {} });
    s.store.sequences.next(CONTROL_VERSION);
    s.runner.tick();
    expect(s.store.controls.rebalances('b1', 10)[0]!.status).toBe('executing');
    s.executor.tick();
    expect(s.live().length).toBeGreaterThan(0);
    expect(s.live().every((o) => o.purpose === 'manual')).toBe(true);
    expect(s.live().filter(isDriftOrder)).toEqual([]);
  });

  it("the portfolio's emergency hedge cancels it at once and sends its IOC", () => {
    const s = setup();
    const sent = s.executor.emergencyHedge([{ market: 'SOL-PERP', side: 'buy', size: 2, hedgeRatio: 1, priority: 1, reasoning: 'test', reduceOnly: true, notionalUsd: 300, deltaChangeUsd: -300, expectedDeltaAfter: 0, estimatedCostUsd: 0.5, pricedFromBook: true }]);
    expect(sent).toBe(true);
    expect(s.live().filter(isDriftOrder)).toEqual([]);
    expect(s.live()).toEqual([expect.objectContaining({ symbol: 'SOL-PERP', side: 'buy', size: 2, tif: 'IOC' })]);
  });

  it('held, its resting order is cancelled and none is posted; released, it takes the drift out again', () => {
    const s = setup();
    s.executor.holdDrift(true);
    s.executor.tick();
    expect(s.live()).toEqual([]);
    s.executor.holdDrift(false);
    s.executor.tick();
    expect(s.live().filter(isDriftOrder)).toHaveLength(1);
  });

  it('after a harvest it trims the heavy leg instead of adding to the light one, which would take a leg back above its harvest target', () => {
    const s = setup();
    s.executor.harvest(harvestTargets, false, 'tp1');
    for (let k = 0; k < 200 && s.executor.reducing; k++) {
      s.executor.tick();
      s.venue.fillAll(s.positions);
    }
    expect(s.executor.reducing).toBe(false);
    // ETH 0.7 ($2,100) against SOL 13.58 ($2,037): $63 apart, past 1% of the gross.
    s.executor.tick();
    const d = s.live().filter(isDriftOrder);
    expect(d).toHaveLength(1);
    expect(d[0]!).toMatchObject({ symbol: 'ETH-PERP', side: 'sell', reduceOnly: true });
    expect(s.executor.needsReduction(harvestTargets)).toBe(false);
  });
});
