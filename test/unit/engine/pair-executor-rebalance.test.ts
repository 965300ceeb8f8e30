import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { ExitManager } from '../../../src/engine/exit-manager.js';
import { lotInstrument, openPair, openPairExecutor } from '../../support/pair-fixture.js';

const T = Date.UTC(2024, 2, 1);
const pair = openPair(T, 300);

function setup() {
  const { store, clock, market, positions, orders, executor } = openPairExecutor({
    ts: T,
    targetNotional: 300,
    ethLong: 0.1,
    solShort: 2,
    quotes: [
      { symbol: 'ETH-PERP', bid: 2999, ask: 3001, size: 100 },
      { symbol: 'SOL-PERP', bid: 149.9, ask: 150.1, size: 100 },
    ],
    instruments: new Map([['ETH-PERP', lotInstrument('ETH-PERP', 0.001, 1)], ['SOL-PERP', lotInstrument('SOL-PERP', 0.01, 1)]]),
    config: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 30, maxRequotes: 2, imbalanceTolerance: 0.05, sliceUsd: 1_000, nakedMaxUsd: 50, nakedMaxMs: 5_000 },
  });
  orders.sent.length = 0; // the restart's cancel of nothing
  const exits = new ExitManager({ botId: 'b1', store, clock, logger: silentLogger, config: { ...parseConfig({}).exitBrain, enabled: true }, executor, instruments: new Map(), positions: () => positions, mark: (s) => market.mark(s) });
  const markAt = (symbol: string, price: number): void => {
    market.apply({ kind: 'mark', ts: T, mark: { symbol, ts: T, markPrice: price, fundingRate: 0 } });
  };
  return { executor, orders, exits, markAt };
}

describe("PairExecutor: the bot's own risk cuts come before an operator's rebalance in progress", () => {
  it('a liquidation-protection cut (reduceBy) takes over a manual reduction: its orders are cancelled and the cut is sent, not dropped', () => {
    const s = setup();
    s.executor.harvest(new Map([['ETH-PERP', 0.08], ['SOL-PERP', 1.6]]), false, 'rebalance #1', 'manual');
    expect(s.orders.active().map((o) => o.purpose)).toEqual(['manual', 'manual']);
    s.executor.reduceBy(0.5, 'risk level high', true);
    expect(s.orders.active()).toEqual([]); // the rebalance's orders cancelled first
    s.executor.tick();
    const live = s.orders.active();
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((o) => o.purpose === 'exit' && o.reduceOnly)).toBe(true);
    // Half of what was held: ETH 0.1 → 0.05, SOL 2 → 1.
    const cut = new Map(live.map((o) => [o.symbol, o.size]));
    expect(cut).toEqual(new Map([['ETH-PERP', 0.05], ['SOL-PERP', 1]]));
  });

  it("ExitBrain's stop fires while a rebalance is being worked (its harvests wait): the pair's exit takes over from it", () => {
    const s = setup();
    expect(s.exits.onPairOpened(pair, 2, null)).not.toBeNull();
    s.executor.harvest(new Map([['ETH-PERP', 0.08], ['SOL-PERP', 1.6]]), false, 'rebalance #1', 'manual');
    expect(s.executor.rebalancing).toBe(true);
    s.exits.evaluate(s.executor.active!); // nothing hit: the rebalance goes on
    expect(s.orders.active().map((o) => o.purpose)).toEqual(['manual', 'manual']);
    s.markAt('ETH-PERP', 2_000); // the long leg down a third: past any stop
    s.exits.evaluate(s.executor.active!);
    expect(s.executor.active!.status).toBe('exiting');
    expect(s.executor.active!.exitReason).toBe('stop_loss');
    expect(s.executor.rebalancing).toBe(false);
    expect(s.orders.active()).toEqual([]); // the rebalance's orders cancelled first
  });

  it("a liquidation-protection cut takes over an ExitBrain harvest in progress instead of being dropped", () => {
    const s = setup();
    s.executor.harvest(new Map([['ETH-PERP', 0.08], ['SOL-PERP', 1.6]]), false, 'tp1');
    expect(s.orders.active().map((o) => o.purpose)).toEqual(['harvest', 'harvest']);
    s.executor.reduceBy(0.5, 'risk level high', true);
    expect(s.orders.active()).toEqual([]); // the harvest's orders cancelled first
    s.executor.tick();
    const live = s.orders.active();
    expect(live.every((o) => o.purpose === 'exit' && o.reduceOnly)).toBe(true);
    expect(new Map(live.map((o) => [o.symbol, o.size]))).toEqual(new Map([['ETH-PERP', 0.05], ['SOL-PERP', 1]]));
  });

  it('a cut that takes over a deeper reduction keeps the deeper targets: it never reduces less than what was under way', () => {
    const s = setup();
    s.executor.harvest(new Map([['ETH-PERP', 0.02], ['SOL-PERP', 0.4]]), false, 'tp3');
    s.executor.reduceBy(0.5, 'risk level high', true);
    s.executor.tick();
    const live = s.orders.active();
    expect(live.every((o) => o.purpose === 'exit')).toBe(true);
    expect(new Map(live.map((o) => [o.symbol, o.size]))).toEqual(new Map([['ETH-PERP', 0.08], ['SOL-PERP', 1.6]]));
  });

  it('an exit in progress is not replaced by a cut: it already goes further', () => {
    const s = setup();
    s.executor.exit('stop_loss', true);
    const before = s.orders.sent.length;
    s.executor.reduceBy(0.5, 'risk level high', true);
    expect(s.orders.sent.length).toBe(before);
  });
});
