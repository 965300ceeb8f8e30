import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Instrument, Position } from '../../../src/core/types.js';
import { REBALANCE_TTL_MS } from '../../../src/hedging/rebalance-request.js';
import { REBALANCE_ROUNDS, RebalanceRunner, type RebalanceExecutor } from '../../../src/engine/rebalance-runner.js';
import { CONTROL_VERSION } from '../../../src/store/control-repository.js';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';
import { Store } from '../../../src/store/store.js';

const T = Date.UTC(2024, 2, 1);
const inst = (symbol: string, lotSize: number): Instrument => ({ symbol, lotSize, minSize: lotSize, minNotional: 10, tickSize: 0.01 }) as Instrument;
const pair: RoundTrip = { id: 'p1', botId: 'b1', status: 'open', longSymbol: 'ETH-PERP', shortSymbol: 'SOL-PERP', targetNotional: 300, entryTs: T, openTs: T, exitTs: null, exitReason: null, realizedPnl: null, fees: null, signal: {}, updatedTs: T };
const position = (symbol: string, size: number): Position => ({ symbol, size, entryPrice: 1, realizedPnl: 0 }) as Position;

/** A hand-written executor: records what it was asked, and is as busy as the test says. */
class FakeExecutor implements RebalanceExecutor {
  active: RoundTrip | null = pair;
  reducing = false;
  working = false;
  calls: { kind: string; targets?: Record<string, number>; purpose?: string }[] = [];
  constructor(private readonly positions: Map<string, Position>) {}
  /** Whether the drift rebalancer is held, as the runner last set it. */
  driftHeld = false;
  busyWithOrders(): boolean {
    return this.working;
  }
  holdDrift(held: boolean): void {
    this.driftHeld = held;
  }
  needsReduction(targets: ReadonlyMap<string, number>): boolean {
    return [...targets].some(([s, t]) => Math.abs(this.positions.get(s)?.size ?? 0) - t > 1e-9);
  }
  harvest(targets: ReadonlyMap<string, number>, _urgent: boolean, _level: string, purpose?: 'harvest' | 'manual'): void {
    this.calls.push({ kind: 'harvest', targets: Object.fromEntries(targets), ...(purpose ? { purpose } : {}) });
  }
  exit(): void {
    this.calls.push({ kind: 'exit' });
  }
}

function setup() {
  const store = Store.open(':memory:');
  const clock = new SimClock(T);
  const positions = new Map([['ETH-PERP', position('ETH-PERP', 0.1)], ['SOL-PERP', position('SOL-PERP', -2)]]);
  const executor = new FakeExecutor(positions);
  const runnerFor = () => new RebalanceRunner({
    botId: 'b1',
    store,
    clock,
    logger: silentLogger,
    executor,
    instruments: new Map([['ETH-PERP', inst('ETH-PERP', 0.001)], ['SOL-PERP', inst('SOL-PERP', 0.01)]]),
    positions: () => positions,
    mark: (s) => ({ 'ETH-PERP': 3_000, 'SOL-PERP': 150 })[s],
    imbalanceTolerance: 0.05,
  });
  const runner = runnerFor();
  const queue = (targets: Record<string, number>, ttlMs?: number): number => {
    const id = store.controls.queueRebalance({ botId: 'b1', ts: clock.now(), targets, plan: {}, ...(ttlMs ? { ttlMs } : {}) });
    store.sequences.next(CONTROL_VERSION);
    return id;
  };
  const status = () => store.controls.rebalances('b1', 10).map((r) => [r.id, r.status, r.outcome]);
  return { store, clock, positions, executor, runner, runnerFor, queue, status };
}

describe('RebalanceRunner', () => {
  it('claims a request once, sends it as a manual reduction to the absolute sizes, and is done once the legs are there (an intervention)', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
    s.runner.tick();
    expect(s.executor.calls).toEqual([{ kind: 'harvest', targets: { 'ETH-PERP': 0.05, 'SOL-PERP': 1 }, purpose: 'manual' }]);
    expect(s.status()).toEqual([[1, 'executing', null]]);
    s.runner.tick(); // still above target, nothing working: a second round
    expect(s.executor.calls).toHaveLength(2);
    s.positions.set('ETH-PERP', position('ETH-PERP', 0.05));
    s.positions.set('SOL-PERP', position('SOL-PERP', -1));
    s.runner.tick();
    expect(s.status()).toEqual([[1, 'done', 'legs now ETH-PERP 0.05, SOL-PERP -1']]);
    expect(s.store.controls.interventionsSince('b1', 0)).toBe(1);
    s.runner.tick();
    expect(s.executor.calls).toHaveLength(2);
  });

  it('holds the drift rebalancer back from the claim to the outcome, between rounds too', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
    s.runner.tick();
    expect(s.executor.driftHeld).toBe(true);
    s.runner.tick(); // the first round fell short: still held for the second
    expect(s.executor.driftHeld).toBe(true);
    s.positions.set('ETH-PERP', position('ETH-PERP', 0.05));
    s.positions.set('SOL-PERP', position('SOL-PERP', -1));
    s.runner.tick();
    expect(s.status()[0]![1]).toBe('done');
    expect(s.executor.driftHeld).toBe(false);
  });

  it('a book that will not take it: failed after a bounded number of rounds, the legs as left in the outcome and the journal, and the next request goes', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
    for (let i = 0; i < REBALANCE_ROUNDS + 3; i++) s.runner.tick(); // each round falls short (the reducer gives it up)
    expect(s.executor.calls).toHaveLength(REBALANCE_ROUNDS);
    expect(s.status()[0]![1]).toBe('failed');
    expect(String(s.status()[0]![2])).toBe(`legs still above target after ${REBALANCE_ROUNDS} rounds (a thin book within the slippage cap?): ETH-PERP 0.1 (target 0.05), SOL-PERP -2 (target -1)`);
    expect(s.store.events.recent(10, 'rebalance_failed')).toHaveLength(1);
    expect(s.store.controls.interventionsSince('b1', 0)).toBe(0);
    s.queue({ 'ETH-PERP': 0.08, 'SOL-PERP': -1.6 });
    s.runner.tick();
    expect(s.executor.calls.at(-1)).toEqual({ kind: 'harvest', targets: { 'ETH-PERP': 0.08, 'SOL-PERP': 1.6 }, purpose: 'manual' });
    expect(s.status()[0]![1]).toBe('executing');
  });

  it('waits while the pair is busy, and expires the request past its ttl (ten minutes by default)', () => {
    const s = setup();
    s.executor.working = true;
    s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
    s.runner.tick();
    expect(s.status()).toEqual([[1, 'pending', null]]);
    s.clock.advanceTo(T + REBALANCE_TTL_MS + 1);
    s.runner.tick();
    expect(s.status()[0]![1]).toBe('expired');
    expect(String(s.status()[0]![2])).toMatch(/^not started within its ttl of 10m \(--ttl\): pair p1 stayed busy/);
    expect(s.executor.calls).toEqual([]);
    expect(s.store.controls.interventionsSince('b1', 0)).toBe(0);
  });

  it('a request the bot finds queued past its ttl (the bot was down) expires unsent, against a pair it could have traded', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 }, 60_000);
    s.clock.advanceTo(T + 60_001);
    s.runner.tick();
    expect(s.status()[0]![1]).toBe('expired');
    expect(String(s.status()[0]![2])).toMatch(/^not started within its ttl of 1m \(--ttl\): the bot did not take it up/);
    expect(s.store.events.recent(10, 'rebalance_expired')).toHaveLength(1);
    expect(s.executor.calls).toEqual([]);
  });

  it('after a restart a claimed request is taken up again within its ttl, expired past it with the legs as left, done if they are at target', () => {
    const claim = () => {
      const s = setup();
      s.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
      s.runner.tick(); // claimed, one round sent; then the process dies
      expect(s.executor.calls).toHaveLength(1);
      s.positions.set('ETH-PERP', position('ETH-PERP', 0.07));
      s.positions.set('SOL-PERP', position('SOL-PERP', -1.4));
      return s;
    };
    const soon = claim();
    soon.clock.advanceTo(T + 60_000);
    soon.runnerFor().tick();
    expect(soon.executor.calls).toHaveLength(2);
    expect(soon.status()[0]![1]).toBe('executing');

    const late = claim();
    late.clock.advanceTo(T + REBALANCE_TTL_MS + 1);
    late.runnerFor().tick();
    expect(late.executor.calls).toHaveLength(1);
    expect(late.status()[0]!.slice(1)).toEqual(['expired', 'interrupted by a restart and not taken up again past its ttl of 10m (--ttl): legs left at ETH-PERP 0.07, SOL-PERP -1.4']);

    const filled = claim();
    filled.positions.set('ETH-PERP', position('ETH-PERP', 0.05));
    filled.positions.set('SOL-PERP', position('SOL-PERP', -1));
    filled.clock.advanceTo(T + REBALANCE_TTL_MS + 1);
    filled.runnerFor().tick();
    expect(filled.status()[0]![1]).toBe('done');
  });

  it('refuses what would leave the pair outside its band, judged against the pair as it is now', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0.05 });
    s.runner.tick();
    expect(s.status()[0]![1]).toBe('refused');
    expect(String(s.status()[0]![2])).toMatch(/^--target: would leave pair p1 short/);
    expect(s.executor.calls).toEqual([]);
  });

  it('both legs to zero close the pair as its exit; a reduction whose pair the bot closed meanwhile failed', () => {
    const s = setup();
    s.queue({ 'ETH-PERP': 0, 'SOL-PERP': 0 });
    s.runner.tick();
    expect(s.executor.calls).toEqual([{ kind: 'exit' }]);
    s.executor.active = null;
    s.runner.tick();
    expect(s.status()[0]![1]).toBe('done');

    const t = setup();
    t.queue({ 'ETH-PERP': 0.05, 'SOL-PERP': -1 });
    t.runner.tick();
    t.executor.active = null;
    t.runner.tick();
    expect(t.status()[0]![1]).toBe('failed');
  });
});
