import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Instrument, Position } from '../core/types.js';
import ms from 'ms';
import { pairRebalanceTargets, type RebalanceRequest } from '../hedging/rebalance-request.js';
import { CONTROL_VERSION } from '../store/control-repository.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';

/** What the runner needs of the pair executor: the open pair, whether it is busy, and its reductions. */
export interface RebalanceExecutor {
  readonly active: RoundTrip | null;
  readonly reducing: boolean;
  /** Orders the rebalance must wait for (a drift rebalance resting is not one: the reduction cancels it). */
  busyWithOrders(): boolean;
  /** Holds the drift rebalancer back while a request is being worked, between its rounds too. */
  holdDrift(held: boolean): void;
  needsReduction(targets: ReadonlyMap<string, number>): boolean;
  harvest(targets: ReadonlyMap<string, number>, urgent: boolean, level: string, purpose?: 'harvest' | 'manual'): void;
  exit(reason: string, urgent: boolean): void;
}

export interface RebalanceRunnerOptions {
  readonly botId: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly executor: RebalanceExecutor;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly positions: () => ReadonlyMap<string, Position>;
  readonly mark: (symbol: string) => number | undefined;
  readonly imbalanceTolerance: number;
  /** `execution.driftShare` (0 or absent: off). */
  readonly driftShare?: number;
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
}

/** Rounds of the reduction (each post-only, then IOC within the cap) before a rebalance is called failed. */
export const REBALANCE_ROUNDS = 3;

/**
 * Works the rebalances `dnbot rebalance` queued for this bot, one at a time, on the bot's control
 * cadence. A request is checked against the pair as it is now (legs, band, hedge ratio), claimed
 * once (`pending` → `executing` in SQLite), then worked by the pair executor as a reduction to
 * absolute leg sizes (purpose `manual`: post-only, then IOC within the slippage cap, reduce-only,
 * never a market order), or as the pair's exit when both legs go to zero. Absolute sizes make it
 * idempotent: after a restart an `executing` request is taken up again and sends only what is left.
 * A request not started within its ttl (market time from when it was queued: a busy pair, a bot
 * that was down), or found `executing` after a restart past it, is `expired`, never traded against
 * a book that has moved on since it was planned.
 */
export class RebalanceRunner {
  private version = -1;
  private rounds = 0;
  private started = false;
  /** The request this process claimed or took up again (an `executing` one it did not is a restart's). */
  private mine: number | null = null;

  constructor(private readonly o: RebalanceRunnerOptions) {}

  /** One look at the queue; called on the bot's control cadence. */
  tick(): void {
    const o = this.o;
    const version = o.store.sequences.current(CONTROL_VERSION);
    // Nothing queued since the last look and nothing in flight: one indexed read saved.
    if (this.started && version === this.version) return;
    const open = o.store.controls.openRebalances(o.botId);
    const r = open[0];
    if (!r) {
      this.version = version;
      this.started = true;
      return;
    }
    if (r.status === 'executing') this.follow(r);
    else this.begin(r);
  }

  private begin(r: RebalanceRequest): void {
    const o = this.o;
    const now = o.clock.now();
    const pair = o.executor.active;
    const busy = pair !== null && (pair.status !== 'open' || o.executor.reducing || o.executor.busyWithOrders());
    if (now - r.ts > r.ttlMs) {
      const why = busy ? `pair ${pair.id} stayed busy (${pair.status}${o.executor.reducing ? ', reducing' : ''})` : 'the bot did not take it up (not running?)';
      return this.finish(r, 'expired', `not started within its ttl of ${ms(r.ttlMs)} (--ttl): ${why}; the book it was planned against has moved on, queue it again if still wanted`);
    }
    if (!pair) return this.finish(r, 'refused', 'no open pair to rebalance: a rebalance resizes the running pair');
    if (busy) return;
    // Just after a start the legs may have no mark yet: judging the band waits for the market.
    if (o.mark(pair.longSymbol) === undefined || o.mark(pair.shortSymbol) === undefined) return;
    const plan = this.targetsFor(pair, r);
    if (!plan.ok) return this.finish(r, 'refused', `${plan.field}: ${plan.reason}`);
    if (!o.store.controls.moveRebalance(r.id, 'pending', 'executing', now, { pairId: pair.id })) return;
    this.mine = r.id;
    o.executor.holdDrift(true);
    o.store.events.record(now, o.botId, 'rebalance_started', { request: r.id, pairId: pair.id, targets: Object.fromEntries(plan.targets), close: plan.close, netDeltaAfter: plan.netDeltaAfter, toleranceUsd: plan.toleranceUsd });
    o.logger.info({ request: r.id, pairId: pair.id, targets: Object.fromEntries(plan.targets) }, 'rebalance started');
    this.rounds = 1;
    this.send(pair, plan.targets, plan.close, r.id);
  }

  /** A claimed request: done once the legs are at their targets, else (restart, a round that fell short) worked again. */
  private follow(r: RebalanceRequest): void {
    const o = this.o;
    const pair = o.executor.active;
    if (pair === null || pair.id !== r.pairId) {
      // The pair it worked on is gone: closed by this rebalance (all legs to zero), or by the bot.
      const closing = Object.values(r.targets).every((v) => v === 0);
      return this.finish(r, closing ? 'done' : 'failed', closing ? `pair ${r.pairId ?? '?'} closed` : `pair ${r.pairId ?? '?'} closed by the bot (an exit, a stop) before the rebalance finished`);
    }
    if (pair.status !== 'open' || o.executor.reducing || o.executor.busyWithOrders()) return;
    const held = (): string => [pair.longSymbol, pair.shortSymbol].map((s) => `${s} ${o.positions().get(s)?.size ?? 0}`).join(', ');
    const targets = this.absoluteTargets(r, pair);
    if (!o.executor.needsReduction(targets)) return this.finish(r, 'done', `legs now ${held()}`);
    if (this.mine !== r.id) {
      // Claimed before a restart: taken up again only within its ttl, else left where it got to.
      if (o.clock.now() - r.ts > r.ttlMs) return this.finish(r, 'expired', `interrupted by a restart and not taken up again past its ttl of ${ms(r.ttlMs)} (--ttl): legs left at ${held()}`);
      this.mine = r.id;
    }
    o.executor.holdDrift(true);
    if (this.rounds >= REBALANCE_ROUNDS) {
      const legs = [pair.longSymbol, pair.shortSymbol].map((s) => `${s} ${o.positions().get(s)?.size ?? 0} (target ${r.targets[s] ?? 'as held'})`);
      return this.finish(r, 'failed', `legs still above target after ${REBALANCE_ROUNDS} rounds (a thin book within the slippage cap?): ${legs.join(', ')}`);
    }
    this.rounds++;
    this.send(pair, targets, [...targets.values()].every((t) => t === 0), r.id);
  }

  private send(pair: RoundTrip, targets: ReadonlyMap<string, number>, close: boolean, id: number): void {
    if (close) this.o.executor.exit('rebalance', false);
    else this.o.executor.harvest(targets, false, `rebalance #${id}`, 'manual');
  }

  private targetsFor(pair: RoundTrip, r: RebalanceRequest): ReturnType<typeof pairRebalanceTargets> {
    const o = this.o;
    const inst = (s: string): Instrument | undefined => o.instruments.get(s);
    return pairRebalanceTargets(
      {
        id: pair.id,
        longSymbol: pair.longSymbol,
        shortSymbol: pair.shortSymbol,
        targetNotional: pair.targetNotional,
        held: (s) => o.positions().get(s)?.size ?? 0,
        mark: o.mark,
        lotSize: (s) => inst(s)?.lotSize ?? 1e-9,
        hedgeRatio: o.hedgeRatio?.(pair.longSymbol, pair.shortSymbol) ?? 1,
        imbalanceTolerance: o.imbalanceTolerance,
        floorUsd: Math.max(inst(pair.longSymbol)?.minNotional ?? 0, inst(pair.shortSymbol)?.minNotional ?? 0),
        driftShare: o.driftShare ?? 0,
        minimums: (s) => ({ minSize: inst(s)?.minSize ?? 0, minNotional: inst(s)?.minNotional ?? 0 }),
      },
      new Map(Object.entries(r.targets)),
    );
  }

  /** The claimed request's leg sizes, absolute; a leg it does not name stays as held. */
  private absoluteTargets(r: RebalanceRequest, pair: RoundTrip): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of [pair.longSymbol, pair.shortSymbol]) {
      const want = r.targets[s];
      out.set(s, want === undefined ? Math.abs(this.o.positions().get(s)?.size ?? 0) : Math.abs(want));
    }
    return out;
  }

  private finish(r: RebalanceRequest, status: 'done' | 'refused' | 'failed' | 'expired', outcome: string): void {
    const o = this.o;
    const now = o.clock.now();
    const moved = o.store.transaction(() => {
      if (!o.store.controls.moveRebalance(r.id, r.status, status, now, { outcome })) return false;
      // A rebalance that traded is an operator's intervention (seed 003 counts them).
      if (status === 'done') o.store.controls.recordIntervention({ botId: o.botId, ts: now, action: 'rebalance', detail: { request: r.id, pairId: r.pairId } });
      o.store.events.record(now, o.botId, `rebalance_${status}`, { request: r.id, pairId: r.pairId, outcome });
      return true;
    });
    if (moved) (status === 'done' ? o.logger.info.bind(o.logger) : o.logger.warn.bind(o.logger))({ request: r.id, outcome }, `rebalance ${status}`);
    o.executor.holdDrift(false);
    this.rounds = 0;
    this.mine = null;
  }
}
