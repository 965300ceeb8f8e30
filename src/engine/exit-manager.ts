import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { roundNearest } from '../core/tick-rounding.js';
import type { Instrument, Order, Position } from '../core/types.js';
import type { FillApplied } from '../execution/fill-ledger.js';
import type { ExitBrainConfig } from '../exits/exit-config.js';
import { computeExitLevels } from '../exits/exit-levels.js';
import { applyLadderAction, effectiveStop, nextLadderAction, type LadderState } from '../exits/ladder.js';
import { PnlTracker } from '../exits/pnl-tracker.js';
import { exitHealthStatus, type ExitHealthStatus } from '../exits/exit-health.js';
import { exitPlan, type ExitEvent, type ExitPlan } from '../store/exit-plan-repository.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';
import type { PairExecutor } from './pair-executor.js';

const TP_LEVELS = ['tp1', 'tp2', 'tp3'] as const;

/** The return of the plan's next take-profit level (Infinity once all three fired). */
const nextLevel = (plan: ExitPlan): number => (plan.levelsHit === 3 ? Number.POSITIVE_INFINITY : plan[TP_LEVELS[plan.levelsHit]!]);

export interface ExitManagerOptions {
  readonly botId: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: ExitBrainConfig;
  readonly executor: PairExecutor;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly positions: () => ReadonlyMap<string, Position>;
  /** A number that changes whenever `positions` does (a fill); absent, they are looked up on every book. */
  readonly positionsRevision?: () => number;
  readonly mark: (symbol: string) => number | undefined;
}

/** The seed 004 health fields, from live state. */
export interface AdaptiveLeverageStatus {
  readonly enabled: boolean;
  readonly models: number;
  readonly volatility_source: string;
  readonly avg_pnl_last_20: number | null;
  readonly win_rate: number | null;
  readonly total_trades: number;
  readonly pnl_stream_entries: number;
  readonly status: ExitHealthStatus;
  /** Why `status` is what it is. */
  readonly status_reason: string;
}

/**
 * ExitBrain v3.5 for one bot's pair positions: an exit plan (adaptive TP1–TP3/SL and a harvest
 * scheme) when a pair opens; as the pair's return on one leg's entry notional reaches each level,
 * the same fraction of both legs is closed reduce-only; the stop closes the rest. Plans and every
 * level hit and fill are in SQLite (`exit_plans`, `exit_events`) and resume exactly after a restart.
 */
export class ExitManager {
  private readonly tracker: PnlTracker;
  /** Active plans by pair id, mirrored from SQLite (read on every book event while a pair is open). */
  private readonly plans = new Map<string, ExitPlan>();
  private readonly attempted = new Set<string>();
  /** The last plan the ladder accepted (plans are replaced, never changed, as they progress). */
  private checkedPlan: ExitPlan | null = null;
  /**
   * The round-trip row last looked up and its plan. A row is immutable (a change is a new row
   * object) and the cache is dropped whenever `plans` changes, so this is `plans.get(row.id)`:
   * asked twice on every book of an open pair, answered without the map.
   */
  private rowSeen: RoundTrip | null = null;
  private rowPlan: ExitPlan | undefined = undefined;
  /**
   * The return {@link measure} found: a field, rewritten in place, where a returned number would be
   * boxed (an allocation on every book of an open pair).
   */
  private measured = 0;
  /**
   * The plan and positions revision `long` and `short` were looked up for (null: none, or no
   * revision given): a plan's symbols are fixed, and positions change only with a new revision.
   */
  private legsPlan: ExitPlan | null = null;
  private legsRevision = 0;
  private long: Position | undefined = undefined;
  private short: Position | undefined = undefined;

  constructor(private readonly o: ExitManagerOptions) {
    const { returns, total } = o.store.roundTrips.recentReturns(o.botId, o.config.pnlWindow);
    this.tracker = new PnlTracker({ windowSize: o.config.pnlWindow, history: returns, totalTrades: total });
    for (const p of o.store.exitPlans.active(o.botId)) this.plans.set(p.pairId, p);
  }

  /** Whether the pair of this round-trip row has a plan. */
  hasPlan(rt: RoundTrip): boolean {
    return this.planOf(rt) !== undefined;
  }

  /** Active plans (for status and health). */
  activePlans(): readonly ExitPlan[] {
    return [...this.plans.values()];
  }

  /** Creates the plan of a newly open pair (once; a resumed pair keeps its plan). */
  onPairOpened(rt: RoundTrip, leverage: number, volatilityFactor: number | null): ExitPlan | null {
    const existing = this.plans.get(rt.id);
    if (existing) return existing;
    // Attempted once per pair: a pair that cannot get a plan (a leg already flat) is not retried per event.
    if (this.attempted.has(rt.id)) return null;
    this.attempted.add(rt.id);
    const pos = this.o.positions();
    const long = pos.get(rt.longSymbol);
    const short = pos.get(rt.shortSymbol);
    if (!long || !short || long.size === 0 || short.size === 0) return null;
    const stats = this.tracker.stats();
    const confidence = Math.min(1, Math.max(0, rt.signal['confidence'] ?? 0.5));
    const inputs = { leverage, volatilityFactor: volatilityFactor ?? 1, confidence, avgPnlLast20: stats.entries > 0 ? stats.avgPnlLastN : null };
    const levels = computeExitLevels(inputs, this.o.config);
    const now = this.o.clock.now();
    const plan = exitPlan({
      pairId: rt.id,
      botId: this.o.botId,
      status: 'active',
      longSymbol: rt.longSymbol,
      shortSymbol: rt.shortSymbol,
      longSize: Math.abs(long.size),
      shortSize: Math.abs(short.size),
      entryNotional: Math.abs(long.size) * long.entryPrice,
      leverage,
      tp1: levels.tp1,
      tp2: levels.tp2,
      tp3: levels.tp3,
      sl: levels.sl,
      harvestScheme: levels.harvestScheme.fractions,
      schemeName: levels.harvestScheme.name,
      lsf: levels.lsf,
      adjustment: levels.adjustment,
      mode: levels.mode,
      fallback: levels.fallback,
      inputs: { ...inputs, fallbackReason: levels.fallbackReason, stopClamp: levels.stopClamp },
      levelsHit: 0,
      closedFraction: 0,
      createdTs: now,
      updatedTs: now,
    });
    this.o.store.exitPlans.create(plan);
    this.setPlan(plan);
    this.emit(plan, 'plan', null, {});
    return plan;
  }

  /** Checks the ladder of the open pair; sends at most one harvest or stop. */
  evaluate(rt: RoundTrip): void {
    if (rt.status !== 'open') return;
    const plan = this.planOf(rt);
    if (!plan) return;
    const measurable = this.measure(plan);
    const ret = this.measured;
    // The stop comes first, whatever else is pending.
    const stop = effectiveStop(plan, plan);
    // Called on every book of the open pair. With no harvest to resume and no level in reach (a
    // plan the ladder has already checked, the return strictly between the stop and the next
    // level, or not measurable), every path below returns without acting, busy or not: so the
    // executor is not asked (its busy check lists the pair's orders). Property-tested against the
    // full evaluation.
    if (plan.closedFraction === 0 && (!measurable || (plan === this.checkedPlan && ret > stop && ret < nextLevel(plan)))) return;
    // A drift rebalance resting is no reason to wait: the harvest or stop cancels it first.
    const busy = this.o.executor.reducing || this.o.executor.busyWithOrders();
    // An operator's rebalance in progress holds the ladder's harvests back, never its stop.
    if (busy && !this.o.executor.rebalancing) return;
    const stopHit = measurable && ret <= stop && plan.closedFraction < 1;
    if (busy && !stopHit) return;
    // A harvest decided before a restart (or cut short) that has not fully filled: complete it.
    if (!stopHit && plan.closedFraction > 0) {
      const targets = this.targets(plan, plan.closedFraction);
      if (this.o.executor.needsReduction(targets)) {
        this.o.executor.harvest(targets, true, `resume tp${plan.levelsHit}`);
        return;
      }
    }
    if (!measurable) return;
    // Between the stop and the next level of a plan the ladder has already checked, nothing can fire.
    if (plan === this.checkedPlan && ret > stop && ret < nextLevel(plan)) return;
    const state: LadderState = { levelsHit: plan.levelsHit, closedFraction: plan.closedFraction };
    const action = nextLadderAction({ tp1: plan.tp1, tp2: plan.tp2, tp3: plan.tp3, sl: plan.sl, harvestScheme: { fractions: plan.harvestScheme } }, state, ret);
    if (!action) {
      this.checkedPlan = plan;
      return;
    }
    const next = applyLadderAction(state, action);
    // Progress is stored before the orders it implies: a crash can never fire the same level twice.
    this.o.store.exitPlans.progress(plan.pairId, next.levelsHit, next.closedFraction, this.o.clock.now());
    const updated = exitPlan({ ...plan, levelsHit: next.levelsHit, closedFraction: next.closedFraction });
    this.setPlan(updated);
    if (action.kind === 'stop') {
      this.emit(updated, 'stop', null, { pairReturn: ret, closeFraction: action.closeFraction });
      this.o.executor.exit(plan.levelsHit >= 1 ? 'stop_after_tp' : 'stop_loss', true);
      return;
    }
    this.emit(updated, 'level_hit', action.level, { pairReturn: ret, closeFraction: action.closeFraction });
    if (next.closedFraction >= 1 - 1e-9) this.o.executor.exit(action.level, false);
    else this.o.executor.harvest(this.targets(plan, next.closedFraction), false, action.level);
  }

  onFill(order: Order, fill: FillApplied): void {
    if (order.pairId === null || (order.purpose !== 'harvest' && order.purpose !== 'exit')) return;
    const plan = this.plans.get(order.pairId);
    if (!plan) return;
    const f = fill.fill;
    this.emit(plan, order.purpose === 'harvest' ? 'harvest_fill' : 'exit_fill', null, {
      fill: { clientOrderId: f.clientOrderId, tradeId: f.tradeId, symbol: f.symbol, side: f.side, size: f.size, price: f.price },
    });
  }

  onPairClosed(rt: RoundTrip): void {
    if (rt.targetNotional > 0 && rt.realizedPnl !== null) this.tracker.record(rt.realizedPnl / rt.targetNotional);
    this.o.store.exitPlans.close(rt.id, this.o.clock.now());
    this.plans.delete(rt.id);
    this.rowSeen = null;
    this.attempted.delete(rt.id);
  }

  health(): AdaptiveLeverageStatus {
    const s = this.tracker.stats();
    return {
      enabled: this.o.config.enabled,
      models: 1,
      volatility_source: 'realized_1m',
      avg_pnl_last_20: s.entries > 0 ? s.avgPnlLastN : null,
      win_rate: s.entries > 0 ? s.winRate : null,
      total_trades: s.totalTrades,
      pnl_stream_entries: this.o.store.exitPlans.count(),
      ...(() => {
        const h = exitHealthStatus({ enabled: this.o.config.enabled, plans: [...this.plans.values()], unplannedPairs: [...this.attempted].filter((id) => !this.plans.has(id)).length });
        return { status: h.status, status_reason: h.reason };
      })(),
    };
  }

  /** Return of the remaining pair on one leg's entry notional (ruling 5); null when not measurable. */
  pairReturn(plan: ExitPlan): number | null {
    return this.measure(plan) ? this.measured : null;
  }

  /** Whether the pair's return is measurable; if so, it is left in `measured`. */
  private measure(plan: ExitPlan): boolean {
    const revision = this.o.positionsRevision;
    // Two map lookups less on most books of an open pair. Tested against looking them up.
    if (revision === undefined || plan !== this.legsPlan || revision() !== this.legsRevision) {
      const pos = this.o.positions();
      this.long = pos.get(plan.longSymbol);
      this.short = pos.get(plan.shortSymbol);
      if (revision !== undefined) {
        this.legsPlan = plan;
        this.legsRevision = revision();
      }
    }
    const long = this.long;
    const short = this.short;
    if (!long || !short || long.size === 0) return false;
    const ml = this.o.mark(plan.longSymbol);
    const ms = this.o.mark(plan.shortSymbol);
    if (ml === undefined || ms === undefined) return false;
    const pnl = long.size * (ml - long.entryPrice) + short.size * (ms - short.entryPrice);
    const notional = Math.abs(long.size) * long.entryPrice;
    if (!(notional > 0)) return false;
    this.measured = pnl / notional;
    return true;
  }

  /** `plans.get(rt.id)`, remembered for the row (see `rowSeen`). */
  private planOf(rt: RoundTrip): ExitPlan | undefined {
    if (rt !== this.rowSeen) {
      this.rowSeen = rt;
      this.rowPlan = this.plans.get(rt.id);
    }
    return this.rowPlan;
  }

  private setPlan(plan: ExitPlan): void {
    this.plans.set(plan.pairId, plan);
    this.rowSeen = null;
  }

  private targets(plan: ExitPlan, closedFraction: number): Map<string, number> {
    const keep = Math.max(0, 1 - closedFraction);
    const lot = (s: string): number => this.o.instruments.get(s)?.lotSize ?? 1e-9;
    return new Map([
      [plan.longSymbol, roundNearest(plan.longSize * keep, lot(plan.longSymbol))],
      [plan.shortSymbol, roundNearest(plan.shortSize * keep, lot(plan.shortSymbol))],
    ]);
  }

  private emit(plan: ExitPlan, kind: ExitEvent['kind'], level: string | null, extra: Partial<ExitEvent>): void {
    const now = this.o.clock.now();
    const stats = this.tracker.stats();
    const e: ExitEvent = {
      pairId: plan.pairId,
      botId: plan.botId,
      kind,
      level,
      symbol: `${plan.longSymbol}/${plan.shortSymbol}`,
      leverage: plan.leverage,
      tp1: plan.tp1,
      tp2: plan.tp2,
      tp3: plan.tp3,
      sl: plan.sl,
      harvest_scheme: plan.harvestScheme,
      LSF: plan.lsf,
      adjustment: plan.adjustment,
      avg_pnl_last_20: stats.entries > 0 ? stats.avgPnlLastN : null,
      timestamp: Math.floor(now / 1000),
      ts: now,
      ...extra,
    };
    this.o.store.exitPlans.record(e);
    // The spec's stream entry, also as one structured log line.
    // Seed 004's stream: every row is in exit_events; the log carries it at DEBUG.
    this.o.logger.debug({ stream: 'exitbrain.pnl', pairId: e.pairId, kind, ladderLevel: level, symbol: e.symbol, leverage: e.leverage, tp1: e.tp1, tp2: e.tp2, tp3: e.tp3, sl: e.sl, harvest_scheme: e.harvest_scheme, LSF: e.LSF, adjustment: e.adjustment, avg_pnl_last_20: e.avg_pnl_last_20, timestamp: e.timestamp, ...(e.pairReturn !== undefined ? { pairReturn: e.pairReturn } : {}) }, `exitbrain ${kind}${level ? ` ${level}` : ''}`);
  }
}
