import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { roundDown } from '../core/tick-rounding.js';
import type { Instrument, Order, Position, SizingStep } from '../core/types.js';
import type { OrderManager } from '../execution/order-manager.js';
import { hedgeEffectiveness, HedgeEffectivenessTracker } from '../hedging/hedge-effectiveness.js';
import type { HedgeTrade } from '../hedging/hedge-plan.js';
import { pairImbalance } from '../hedging/pair-imbalance.js';
import { roundTrip, type RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';
import type { MarketState } from './market-state.js';
import { DriftRebalancer, isDriftOrder } from './drift-rebalancer.js';
import { PairBalancer } from './pair-balancer.js';
import { pairCashAndFees } from './pair-cash.js';
import { PairLegOrders } from './pair-leg-orders.js';
import { PairLegView, type LegReading } from './pair-leg-view.js';
import { PairReducer } from './pair-reducer.js';
import { exitWasCrossing, resumeEntry } from './pair-resume.js';
import { newWorking, REBALANCE_INTERVAL_MS, type PairExecutionConfig, type Reduction, type Working } from './pair-working.js';

export type { PairExecutionConfig } from './pair-working.js';

export interface PairExecutorOptions {
  readonly botId: string;
  readonly clock: Clock;
  readonly store: Store;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly logger: Logger;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly config: PairExecutionConfig;
  readonly positions: () => ReadonlyMap<string, Position>;
  /** A number that changes whenever `positions` does (see PairLegViewOptions); absent, they are read every time. */
  readonly positionsRevision?: () => number;
  /** Called once a pair is closed (round trip complete). */
  readonly onPairClosed?: (rt: RoundTrip) => void;
  /** Called when a pair becomes open (both legs in place, within tolerance). */
  readonly onPairOpened?: (rt: RoundTrip) => void;
  /**
   * Short notional per long notional the pair is hedged to (`portfolio.hedging.betaAdjusted`: the
   * DCC minimum-variance ratio); absent, 1 (dollar-neutral).
   */
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
}

/**
 * Steps inside a pair's life, logged at DEBUG (all are in the `events` journal): a long replay
 * logs each pair's opening and closing at INFO, and what went wrong at WARN, not every order step.
 */
const DETAIL_KINDS: ReadonlySet<string> = new Set(['pair_entering', 'pair_exiting', 'pair_harvesting', 'pair_harvested', 'pair_canceled', 'hedge', 'hedge_effectiveness', 'naked_hedge', 'drift_rebalance']);

/**
 * Runs one pair trade from intent to flat. Entries go slice by slice (`sliceUsd` per leg),
 * post-only at the touch, the legs hedged against each other on every fill (PairBalancer): the
 * lagging leg follows at the touch while the unhedged notional is small and young, and crosses by
 * IOC past `nakedMaxUsd` / `nakedMaxMs`. On timeout a one-legged pair is repaired (the missing leg
 * completed by IOC within the slippage cap, else the excess unwound, reduce-only). Exits and
 * harvests are PairReducer's. State is the `round_trips` row plus the orders tagged with its id,
 * so it resumes: an entry cut mid-way carries on slicing, an exit goes on from the positions.
 */
export class PairExecutor {
  private current: Working | null = null;
  private readonly legs: PairLegOrders;
  private readonly balancer: PairBalancer;
  private readonly view: PairLegView;
  private readonly reducer: PairReducer;
  private readonly drift: DriftRebalancer;
  private readonly effectiveness = new HedgeEffectivenessTracker({ window: 20 });
  /** An operator's rebalance is being worked (between its rounds too): the drift rebalancer waits. */
  private driftHeld = false;
  private readonly o: PairExecutorOptions;

  constructor(opts: PairExecutorOptions) {
    this.o = opts;
    this.legs = new PairLegOrders(opts);
    // Literals, not spreads of `opts`: V8 gives a spread's copy a hidden class that depends on its
    // inline cache, and the parts' per-book code was thrown away when a new one came (README).
    const journal = (k: string, d: Record<string, unknown>): void => this.journal(k, d);
    const { clock, orders, market, instruments, positions, hedgeRatio } = opts;
    this.balancer = new PairBalancer({ clock, orders, market, instruments, positions, legs: this.legs, config: opts.config, journal, hedgeRatio });
    this.view = new PairLegView({ market: opts.market, instruments: opts.instruments, positions: opts.positions, ...(opts.positionsRevision ? { positionsRevision: opts.positionsRevision } : {}), imbalanceTolerance: opts.config.imbalanceTolerance, legs: this.legs, ...(opts.hedgeRatio ? { hedgeRatio: opts.hedgeRatio } : {}) });
    const drift = { share: opts.config.driftShare ?? 0, restMs: opts.config.driftRestMs ?? 30_000 };
    this.drift = new DriftRebalancer({ clock, orders, market, instruments, positions, legs: this.legs, view: this.view, config: drift, journal, hedgeRatio });
    this.reducer = new PairReducer({ clock, orders, market, logger: opts.logger, config: opts.config, balancer: this.balancer, legs: this.legs, view: this.view, journal, onDone: (w, r) => this.reductionDone(w, r) });
    const active = opts.store.roundTrips.active(opts.botId)[0];
    // A resumed pair first cancels whatever rested before the restart; then an entry carries on
    // slicing where it stopped (rebuilt from its orders) and an exit goes on from the positions.
    if (active) {
      const w = newWorking(active, 'cancelling', 0);
      const orders = opts.store.orders.forPair(active.id);
      if (active.status === 'exiting') {
        w.reduce = { targets: new Map([[active.longSymbol, 0], [active.shortSymbol, 0]]), purpose: 'exit', final: true };
        w.reposts = exitWasCrossing(orders) ? 0 : 1;
      } else if (active.status === 'open') {
        w.reduced = orders.some((o) => o.reduceOnly && o.filledSize > 0 && o.purpose !== 'hedge');
      } else if (active.status === 'entering') {
        w.resume = resumeEntry(active, orders, opts.positions(), opts.clock.now(), opts.config.entryTimeoutMs);
      }
      this.current = w;
      opts.orders.cancelAll((o) => o.pairId === active.id);
    }
  }

  get active(): RoundTrip | null {
    return this.current?.rt ?? null;
  }

  /** Opens a pair: both legs post-only at the touch, sizes already through sizing and risk. */
  enter(p: {
    longSymbol: string;
    shortSymbol: string;
    longSize: number;
    shortSize: number;
    targetNotional: number;
    signal: Record<string, number>;
    trace: { long: readonly SizingStep[]; short: readonly SizingStep[] };
  }): RoundTrip {
    const now = this.o.clock.now();
    const id = `${this.o.botId}-rt${this.o.store.sequences.next(`pair:${this.o.botId}`)}`;
    const rt = roundTrip({
      id,
      botId: this.o.botId,
      status: 'entering',
      longSymbol: p.longSymbol,
      shortSymbol: p.shortSymbol,
      targetNotional: p.targetNotional,
      entryTs: now,
      openTs: null,
      exitTs: null,
      exitReason: null,
      realizedPnl: null,
      fees: null,
      signal: p.signal,
      updatedTs: now,
    });
    this.o.store.roundTrips.save(rt);
    const w = newWorking(rt, 'posting', now + this.o.config.entryTimeoutMs);
    this.current = w;
    w.balance = this.balancer.start(
      [
        { symbol: p.longSymbol, side: 'buy', total: p.longSize, trace: p.trace.long },
        { symbol: p.shortSymbol, side: 'sell', total: p.shortSize, trace: p.trace.short },
      ],
      'entry',
      false,
    );
    if (w.balance) this.balancer.advance(w);
    else {
      this.legs.postAtTouch(rt, p.longSymbol, 'buy', p.longSize, 'entry', false, p.trace.long);
      this.legs.postAtTouch(rt, p.shortSymbol, 'sell', p.shortSize, 'entry', false, p.trace.short);
    }
    this.journal('pair_entering', { pairId: id, long: p.longSymbol, short: p.shortSymbol, longSize: p.longSize, shortSize: p.shortSize });
    return rt;
  }

  /** True while an exit or a harvest is being worked. */
  get reducing(): boolean {
    return this.current?.reduce !== null && this.current?.reduce !== undefined;
  }

  /** True while an operator's rebalance (`dnbot rebalance`) is being worked: a stop or a risk cut takes over from it. */
  get rebalancing(): boolean {
    return this.current?.reduce?.purpose === 'manual';
  }

  /**
   * Cuts both legs of the open pair by `fraction`, reduce-only: at once by IOC (risk protection),
   * or, not `urgent`, sliced post-only with both legs together, then IOC at the exit timeout.
   */
  reduceBy(fraction: number, reason: string, urgent = true): void {
    const w = this.current;
    if (!w) return;
    if (w.rt.status === 'entering') return this.cancelEntries();
    // A protection cut is decided once, on a change of risk level, and must never be dropped. A
    // reduction in progress (an operator's rebalance, an ExitBrain harvest, an earlier cut) gives
    // way: the cut is sized from the legs it left, and each leg goes to the lower of the two targets,
    // so taking over never reduces less than what was under way. Only the pair's exit (status
    // `exiting`) goes further already.
    if (w.rt.status !== 'open') return;
    const keep = Math.max(0, 1 - fraction);
    const targets = new Map<string, number>();
    for (const s of [w.rt.longSymbol, w.rt.shortSymbol]) {
      const cut = roundDown(Math.abs(this.o.positions().get(s)?.size ?? 0) * keep, this.o.instruments.get(s)?.lotSize ?? 1e-9);
      targets.set(s, Math.min(cut, w.reduce?.targets.get(s) ?? Number.POSITIVE_INFINITY));
    }
    const final = [...targets.values()].every((t) => t === 0);
    // A non-urgent cut to the very targets already being worked as an exit changes nothing.
    if (w.reduce?.purpose === 'exit' && !urgent && [...targets].every(([s, t]) => w.reduce!.targets.get(s) === t)) return;
    this.reducer.start(w, { targets, purpose: 'exit', final }, urgent, this.working(w.rt.id));
    this.journal('pair_risk_reduce', { pairId: w.rt.id, fraction, reason, urgent });
  }

  /** Starts closing the open pair. Urgent exits (stops) skip the post-only stage. */
  exit(reason: string, urgent: boolean): void {
    const w = this.current;
    if (!w || w.rt.status !== 'open') return;
    w.rt = this.save({ ...w.rt, status: 'exiting', exitReason: reason });
    this.reducer.start(w, { targets: new Map([[w.rt.longSymbol, 0], [w.rt.shortSymbol, 0]]), purpose: 'exit', final: true }, urgent, this.working(w.rt.id));
    this.journal('pair_exiting', { pairId: w.rt.id, reason, urgent });
  }

  /**
   * Reduces both legs of the open pair to the given absolute sizes (a partial profit harvest),
   * reduce-only: post-only first, IOC on timeout within the slippage cap. Sizes are computed from
   * the targets and the current positions, so a partly filled harvest is completed, never doubled.
   * `manual`: an operator's rebalance (`dnbot rebalance`), worked the same way.
   */
  harvest(targets: ReadonlyMap<string, number>, urgent: boolean, level: string, purpose: 'harvest' | 'manual' = 'harvest'): void {
    const w = this.current;
    // A drift rebalance resting does not hold it up: the reduction cancels it first.
    if (!w || w.rt.status !== 'open' || w.reduce || this.busyWithOrders()) return;
    this.reducer.start(w, { targets, purpose, final: [...targets.values()].every((t) => t === 0) }, urgent, this.working(w.rt.id));
    this.journal('pair_harvesting', { pairId: w.rt.id, level, targets: Object.fromEntries(targets) });
  }

  /** Leaves the posting stage: resting orders are cancelled; what filled is settled from positions. */
  private stopPosting(w: Working, working: readonly Order[]): void {
    for (const o of working) this.o.orders.cancel(o.clientOrderId);
    w.balance = null;
    w.phase = 'cancelling';
  }

  /**
   * Cancels resting entry orders (a breaker tripped, entries halted). What already filled is then
   * settled the usual way: repaired to a balanced pair, or the pair is canceled if nothing filled.
   */
  cancelEntries(): void {
    const w = this.current;
    if (!w || w.rt.status !== 'entering' || w.phase !== 'posting') return;
    for (const o of this.working(w.rt.id)) if (o.purpose === 'entry' || o.purpose === 'hedge') this.o.orders.cancel(o.clientOrderId);
    w.balance = null;
    w.phase = 'cancelling';
  }

  /** Cancels the pair's resting orders (shutdown). The pair's state stays in SQLite. */
  cancelResting(): void {
    if (!this.current) return;
    const id = this.current.rt.id;
    this.o.orders.cancelAll((o) => o.pairId === id);
  }

  /** Advances the pair's state machine; called on every relevant market event and order change. */
  tick(): void {
    const w = this.current;
    if (!w) return;
    const now = this.o.clock.now();
    const working = this.working(w.rt.id);
    if (w.rt.status === 'entering') {
      if (w.phase === 'posting') {
        if (now >= w.deadline) {
          if (working.length === 0) this.settleEntry(w);
          else this.stopPosting(w, working);
        } else if (w.balance) {
          if (this.balancer.advance(w)) {
            w.balance = null;
            this.settleEntry(w);
          }
        } else if (working.length === 0) {
          this.settleEntry(w);
        }
      } else if (working.length === 0) {
        // Just after a restart the legs may have no mark yet: a resumed entry waits for the market.
        if (w.resume) {
          if (this.view.marked(w.rt)) this.resumeEntry(w, w.resume);
        } else this.settleEntry(w);
      } else if (w.phase === 'cancelling') {
        this.recancel(working);
      }
    } else if (w.reduce) {
      this.reducer.tick(w, working);
    } else if (w.rt.status === 'open') {
      // The IOC trim past the tolerance first; then, with nothing else working, the post-only drift
      // rebalance, unless an operator's rebalance is under way (its order, if resting, cancelled).
      // With nothing working the legs are read once for both (this runs on every book of an open
      // pair); a trim sent has orders working now, and the drift rebalancer sees them.
      let legs: LegReading | undefined;
      let after = working;
      if (working.length === 0) {
        legs = this.view.read(w.rt);
        if (w.pendingHedge === null && this.quiet(w, legs, now)) return;
        if (this.rebalance(w, legs)) {
          after = this.working(w.rt.id);
          legs = undefined;
        }
      }
      if (!this.driftHeld) this.drift.tick(w, after, legs);
      else for (const o of working) if (isDriftOrder(o) && (o.status === 'open' || o.status === 'partially_filled')) this.o.orders.cancel(o.clientOrderId);
    }
  }

  /**
   * Whether this tick leaves an open pair with nothing working and no hedge to measure as it is:
   * the IOC trim not due or within the tolerance, and the legs within the drift band (held or not,
   * the drift rebalancer then does nothing). Both checks on one reading, the notionals computed
   * once (a flat or unmarked leg takes the full path). On most books of an open pair (~64k a
   * simulated day): ~70 ns less than `rebalance` then `drift.tick`. Property-tested against them.
   */
  private quiet(w: Working, legs: LegReading, now: number): boolean {
    const { longSize, shortSize, longMark, shortMark } = legs;
    if (longSize === 0 || shortSize === 0 || longMark === undefined || shortMark === undefined) return false;
    const rt = w.rt;
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    const longUsd = longSize * longMark * h;
    const shortUsd = shortSize * shortMark;
    if (now >= w.nextRebalanceTs && Math.abs(longUsd - shortUsd) > this.tolerance(rt)) return false;
    return this.drift.inBand(longUsd, shortUsd);
  }

  /** Carries on an entry cut by a restart: its slicing resumes from the positions it left. */
  private resumeEntry(w: Working, legs: NonNullable<Working['resume']>): void {
    w.resume = null;
    w.balance = this.balancer.start(legs, 'entry', false);
    if (!w.balance) return this.settleEntry(w);
    Object.assign(w, { phase: 'posting', step: 0, requotes: 0, deadline: this.o.clock.now() + this.o.config.entryTimeoutMs });
    this.journal('pair_entry_resumed', { pairId: w.rt.id, legs: legs.map((l) => ({ symbol: l.symbol, total: l.total, start: l.start })) });
    this.balancer.advance(w);
  }

  /** A post-only order was rejected for crossing: quote again at the new touch, a bounded number of times. */
  onOrderClosed(order: Order): void {
    const w = this.current;
    // A balanced transition re-posts by itself on its next step.
    if (!w || w.balance || order.pairId !== w.rt.id || w.phase !== 'posting' || (w.rt.status !== 'entering' && !w.reduce)) return;
    if (order.status === 'rejected' && order.tif === 'POST_ONLY' && w.requotes < this.o.config.maxRequotes) {
      w.requotes++;
      const remaining = order.size - order.filledSize;
      this.legs.postAtTouch(w.rt, order.symbol, order.side, remaining, order.purpose, order.reduceOnly, order.sizingTrace);
    }
  }

  private settleEntry(w: Working): void {
    const pos = this.o.positions();
    const longSize = pos.get(w.rt.longSymbol)?.size ?? 0;
    const shortSize = pos.get(w.rt.shortSymbol)?.size ?? 0;
    const legs = this.view.legNotionals(w.rt);
    // A leg held without a mark yet (just after a restart) cannot be valued: wait for the market.
    if (legs === null) return;
    if (longSize === 0 && shortSize === 0) {
      w.rt = this.save({ ...w.rt, status: 'canceled', exitTs: this.o.clock.now(), exitReason: 'entry_unfilled', realizedPnl: 0, fees: 0 });
      this.journal('pair_canceled', { pairId: w.rt.id });
      this.current = null;
      return;
    }
    const imb = pairImbalance(legs, this.tolerance(w.rt));
    // Open only with both legs in place: a single small leg "within tolerance" is still one-legged.
    if (imb.within && longSize !== 0 && shortSize !== 0) {
      w.rt = this.save({ ...w.rt, status: 'open', openTs: this.o.clock.now() });
      w.step = 0;
      this.journal('pair_open', { pairId: w.rt.id, ...legs, netDelta: imb.netDelta, tolerance: imb.tolerance });
      this.o.onPairOpened?.(w.rt);
      return;
    }
    w.phase = 'escalating';
    const heavy = imb.heavy !== 'none' ? imb.heavy : longSize !== 0 ? 'long' : 'short';
    // Excess to fix: the imbalance, or the whole leg when the other one is missing.
    const excess = longSize !== 0 && shortSize !== 0 ? Math.abs(imb.netDelta) : Math.max(legs.longNotional, legs.shortNotional);
    this.repair(w, heavy, excess);
  }

  /** Legging repair: complete the light leg (step 0), else unwind the heavy leg (1, 2: IOC within the cap from each new touch). */
  private repair(w: Working, heavy: 'long' | 'short', excessUsd: number): void {
    const heavySymbol = heavy === 'long' ? w.rt.longSymbol : w.rt.shortSymbol;
    const lightSymbol = heavy === 'long' ? w.rt.shortSymbol : w.rt.longSymbol;
    while (w.step <= 2) {
      const step = w.step++;
      // The hedging engine sizes each repair: first complete the light leg (opening), then unwind
      // the heavy one (reduce-only, IOC within the cap). A repair aims at a matched pair, not at the
      // edge of the open pair's band: a missing leg inside the band is still a naked leg.
      const floor = this.view.floor(w.rt);
      const sent =
        step === 0
          ? this.sendHedgePlan(w.rt, [lightSymbol], true, 'IOC', 'complete the missing leg', undefined, floor)
          : this.sendHedgePlan(w.rt, [heavySymbol], false, 'IOC', 'unwind the excess leg', undefined, floor);
      if (sent !== null) return;
    }
    this.o.logger.error({ pairId: w.rt.id, excessUsd }, 'pair still imbalanced after repair; holding it open and flagging');
    this.journal('pair_repair_failed', { pairId: w.rt.id, excessUsd });
    w.rt = this.save({ ...w.rt, status: 'open', openTs: w.rt.openTs ?? this.o.clock.now() });
  }

  private sendHedgePlan(rt: RoundTrip, symbols: readonly string[], allowOpening: boolean, tif: 'IOC', why: string, trades?: readonly HedgeTrade[], toleranceUsd?: number): number | null {
    return this.legs.sendHedgePlan(rt, symbols, allowOpening, tif, why, toleranceUsd ?? this.tolerance(rt), trades);
  }

  /** Sends trades of the portfolio's emergency hedge that fall on this pair's legs (bounded by the caller). */
  emergencyHedge(trades: readonly HedgeTrade[]): boolean {
    const w = this.current;
    if (!w || w.reduce || this.busyWithOrders()) return false;
    const mine = trades.filter((t) => t.market === w.rt.longSymbol || t.market === w.rt.shortSymbol);
    if (mine.length === 0) return false;
    // A resting drift rebalance never holds up the emergency hedge: it is cancelled as it goes out.
    for (const o of this.working(w.rt.id)) this.o.orders.cancel(o.clientOrderId);
    const before = this.sendHedgePlan(w.rt, [], false, 'IOC', 'emergency hedge', mine);
    if (before === null) return false;
    w.pendingHedge = { deltaBefore: before };
    this.journal('emergency_hedge', { pairId: w.rt.id, trades: mine.map((t) => ({ market: t.market, side: t.side, size: t.size, reduceOnly: t.reduceOnly })) });
    return true;
  }

  /**
   * Open pair drifted outside tolerance (e.g. a late fill): trim the heavy leg, reduce-only. `legs`
   * is this book event's reading; true when a trim went out (orders may be working now).
   */
  private rebalance(w: Working, legs: LegReading): boolean {
    const now = this.o.clock.now();
    if (w.pendingHedge) {
      // The previous hedge's orders are done: measure how much of the deviation it removed.
      const after = this.view.netDelta(w.rt, legs);
      if (after !== null) {
        const ratio = hedgeEffectiveness({ deltaBefore: w.pendingHedge.deltaBefore, deltaAfter: after }).ratio;
        this.effectiveness.record(ratio);
        this.journal('hedge_effectiveness', { pairId: w.rt.id, deltaBefore: w.pendingHedge.deltaBefore, deltaAfter: after, ratio });
      }
      w.pendingHedge = null;
    }
    if (now < w.nextRebalanceTs) return false;
    const netDelta = this.view.netDelta(w.rt, legs);
    if (netDelta === null) return false;
    const tolerance = this.tolerance(w.rt);
    // pairImbalance's `within`, without its object.
    if (Math.abs(netDelta) <= tolerance) return false;
    // One attempt per interval: an unsendable trim must not turn into an order per market event.
    w.nextRebalanceTs = now + REBALANCE_INTERVAL_MS;
    // The hedging engine: trades back into the pair's band, trimming the heavy leg first.
    const before = this.sendHedgePlan(w.rt, [w.rt.longSymbol, w.rt.shortSymbol], false, 'IOC', 'hedge');
    if (before !== null) {
      w.pendingHedge = { deltaBefore: before };
      this.journal('hedge', { pairId: w.rt.id, deltaBefore: before, tolerance });
    }
    return true;
  }

  /** Mean share of the deviation removed by recent hedges (null before the first). */
  hedgeEffectiveness(): number | null {
    return this.effectiveness.mean();
  }

  /** A cancel that did not take (the order is working again): send it again. */
  private recancel(working: readonly Order[]): void {
    for (const o of working) if (o.status === 'open' || o.status === 'partially_filled') this.o.orders.cancel(o.clientOrderId);
  }

  /** A reduction reached its targets: the pair is closed (final) or stays open, harvested. */
  private reductionDone(w: Working, r: Reduction): void {
    if (r.final) {
      if (w.rt.status !== 'exiting') w.rt = this.save({ ...w.rt, status: 'exiting', exitReason: w.rt.exitReason ?? 'tp3' });
      this.closePair(w);
      return;
    }
    Object.assign(w, { phase: 'posting', step: 0, requotes: 0, reduced: true });
    this.journal('pair_harvested', { pairId: w.rt.id, targets: Object.fromEntries(r.targets) });
  }

  private closePair(w: Working): void {
    const { cash, fees } = pairCashAndFees(this.o.store.orders.fillsOfPair(w.rt.id));
    w.rt = this.save({ ...w.rt, status: 'closed', exitTs: this.o.clock.now(), realizedPnl: cash - fees, fees });
    this.journal('pair_closed', { pairId: w.rt.id, reason: w.rt.exitReason, pnl: cash - fees, fees });
    this.current = null;
    this.o.onPairClosed?.(w.rt);
  }

  /** Whether any leg is above its target by a size that can actually be sent (harvests, exits). */
  needsReduction(targets: ReadonlyMap<string, number>): boolean {
    return this.view.excesses(targets).length > 0;
  }

  /**
   * True while the pair has orders a harvest, an exit, a cut or a rebalance must wait for: any but
   * the drift rebalancer's resting order, which a reduction cancels at once.
   */
  busyWithOrders(): boolean {
    return this.current !== null && this.working(this.current.rt.id).some((o) => !isDriftOrder(o));
  }

  /** Holds the drift rebalancer back (and cancels its resting order) while an operator's rebalance is worked, between its rounds too. */
  holdDrift(held: boolean): void {
    this.driftHeld = held;
  }

  private working(pairId: string): readonly Order[] {
    return this.legs.working(pairId);
  }

  private tolerance(rt: RoundTrip): number {
    return this.view.tolerance(rt);
  }

  private save(rt: RoundTrip): RoundTrip {
    const next = roundTrip({ ...rt, updatedTs: this.o.clock.now() });
    this.o.store.roundTrips.save(next);
    return next;
  }

  private journal(kind: string, data: Record<string, unknown>): void {
    this.o.store.events.record(this.o.clock.now(), this.o.botId, kind, data);
    if (DETAIL_KINDS.has(kind)) this.o.logger.debug(data, kind);
    else this.o.logger.info(data, kind);
  }
}
