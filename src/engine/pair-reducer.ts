import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Order, Side } from '../core/types.js';
import type { OrderManager } from '../execution/order-manager.js';
import type { MarketState } from './market-state.js';
import type { PairBalancer } from './pair-balancer.js';
import type { PairLegOrders } from './pair-leg-orders.js';
import type { PairLegView } from './pair-leg-view.js';
import { REDUCTION_BACKOFF_MS, type PairExecutionConfig, type Reduction, type Working } from './pair-working.js';

export interface PairReducerOptions {
  readonly clock: Clock;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly logger: Logger;
  readonly config: PairExecutionConfig;
  readonly balancer: PairBalancer;
  readonly legs: PairLegOrders;
  readonly view: PairLegView;
  readonly journal: (kind: string, data: Record<string, unknown>) => void;
  /** The reduction reached its targets (the pair is flat when `r.final`). */
  readonly onDone: (w: Working, r: Reduction) => void;
}

/**
 * Works a pair's reduction (an exit or a harvest) to its targets, never a whole leg on one side:
 * non-urgent ones post-only slice by slice, hedged on every fill; urgent ones, and non-urgent ones
 * past `exitTimeoutMs`, cross slice by slice by IOC on both legs together. Only when the book
 * cannot take the slices does it send what is left whole, by IOC within the cap from each new
 * touch (twice), then a backoff and a loud retry (an operator's rebalance, `manual`, ends its
 * round there instead). Never a market order.
 */
export class PairReducer {
  constructor(private readonly o: PairReducerOptions) {}

  start(w: Working, r: Reduction, urgent: boolean, working: readonly Order[]): void {
    w.reduce = r;
    w.rounds = 0;
    w.reposts = urgent ? 0 : (this.o.config.exitReposts ?? 0);
    w.staged = false;
    if (working.length > 0) {
      // Whatever is working (a drift rebalance resting, a harvest, a trim) is cancelled at once;
      // sizes are then taken from the positions it left, so nothing is reduced twice, and the
      // reduction starts as it was asked.
      for (const o of working) this.o.orders.cancel(o.clientOrderId);
      Object.assign(w, { phase: 'cancelling', step: 0, deadline: this.o.clock.now(), requotes: 0, balance: null, clearing: urgent ? 'cross' : 'post' });
      return;
    }
    w.clearing = null;
    this.begin(w, urgent);
  }

  private begin(w: Working, urgent: boolean): void {
    const now = this.o.clock.now();
    if (urgent) {
      Object.assign(w, { phase: 'escalating', step: 0, deadline: now, requotes: 0, balance: null });
      this.escalate(w);
      return;
    }
    Object.assign(w, { phase: 'posting', step: 0, deadline: now + this.o.config.exitTimeoutMs, requotes: 0 });
    this.post(w);
  }

  /** One step of a reduction in progress (the executor's tick once the pair has one). */
  tick(w: Working, working: readonly Order[]): void {
    const now = this.o.clock.now();
    if (w.clearing) {
      if (working.length > 0) {
        for (const o of working) if (o.status === 'open' || o.status === 'partially_filled') this.o.orders.cancel(o.clientOrderId);
      } else if (this.o.view.marked(w.rt)) {
        const urgent = w.clearing === 'cross';
        w.clearing = null;
        this.begin(w, urgent);
      }
    } else if (w.phase === 'backoff') {
      if (now >= w.deadline) this.escalate(w);
    } else if (w.phase === 'posting' && now >= w.deadline && working.length > 0) {
      for (const o of working) this.o.orders.cancel(o.clientOrderId);
      w.balance = null;
      w.phase = 'cancelling';
    } else if (w.phase === 'posting' && w.balance && now < w.deadline) {
      const cross = w.balance.cross;
      const complete = this.o.balancer.advance(w);
      if (complete) {
        w.balance = null;
        // A post-only stage done: its tail (one leg alone) is the next, post-only too.
        if (w.staged && !cross) this.post(w);
        else this.escalate(w);
      } else if (w.balance.stalled) {
        // The book would not take the IOC slices: what is left goes whole, IOC within the cap.
        w.balance = null;
        w.phase = 'cancelling';
        if (working.length === 0) this.escalate(w);
      }
    } else if (working.length === 0) {
      // Just after a restart the legs may have no mark yet: sizing a slice waits for the market.
      if (!this.o.view.marked(w.rt)) return;
      if (w.phase === 'posting' && w.staged && now < w.deadline) this.post(w);
      else if (w.phase === 'cancelling' && w.reposts > 0 && this.excesses(w).length > 0) this.repost(w);
      else this.escalate(w);
    } else if (w.phase === 'cancelling') {
      for (const o of working) if (o.status === 'open' || o.status === 'partially_filled') this.o.orders.cancel(o.clientOrderId);
    }
  }

  /**
   * Posts the next stage of what is left (`PairBalancer.stage`): both legs sliced and hedged leg
   * against leg, or one leg alone (the head start or the tail), a slice at a time.
   */
  private post(w: Working): void {
    const r = w.reduce!;
    const stage = this.o.balancer.stage(w.rt, this.excesses(w));
    w.staged = stage.tail;
    w.balance = stage.now.length === 2 ? this.o.balancer.start(stage.now.map((l) => ({ ...l, trace: [] })), r.purpose, true) : null;
    if (w.balance) {
      this.o.balancer.advance(w);
      return;
    }
    for (const l of stage.now) {
      const mark = this.o.market.mark(l.symbol);
      const size = mark === undefined ? l.total : Math.min(l.total, this.o.config.sliceUsd / mark);
      if (size < l.total) w.staged = true;
      this.o.legs.postAtTouch(w.rt, l.symbol, l.side, size, r.purpose, true, []);
    }
    // A one-leg stage that went out gets the full timeout; one that could not (no touch) keeps the
    // deadline it had, so the reduction still escalates.
    if (this.o.legs.working(w.rt.id).length > 0) w.deadline = this.o.clock.now() + this.o.config.exitTimeoutMs;
  }

  /** Posts what is left of a non-urgent reduction at the new touch again (post-only), one re-post fewer. */
  private repost(w: Working): void {
    w.reposts--;
    Object.assign(w, { phase: 'posting', step: 0, deadline: this.o.clock.now() + this.o.config.exitTimeoutMs, requotes: 0 });
    this.post(w);
  }

  private excesses(w: Working): [string, number, Side][] {
    return this.o.view.excesses(w.reduce?.targets ?? new Map());
  }

  /**
   * Works a reduction to its targets: IOC slices on both legs together (step 0), then what is left
   * whole by IOC within the cap from each new touch (1, 2), then a backoff and round again.
   */
  escalate(w: Working): void {
    const r = w.reduce!;
    const legs = this.excesses(w);
    if (legs.length === 0) {
      w.reduce = null;
      this.o.onDone(w, r);
      return;
    }
    if (w.step === 0) {
      w.step = 1;
      const stage = this.o.balancer.stage(w.rt, legs);
      w.staged = stage.tail;
      const b = stage.now.length === 2 ? this.o.balancer.start(stage.now.map((l) => ({ ...l, trace: [] })), r.purpose, true, true) : null;
      if (b) {
        Object.assign(w, { phase: 'posting', deadline: this.o.clock.now() + this.o.config.exitTimeoutMs, requotes: 0, balance: b });
        this.o.balancer.advance(w);
        return;
      }
    }
    w.phase = 'escalating';
    const step = w.step++;
    if (step > 2) {
      // Still above target after IOC slices and two IOCs within the cap (no book, thin book, venue refusals):
      // never declare the pair flat while it is not. Back off, alert, and go round again.
      w.rounds++;
      this.o.journal('pair_reduction_stalled', { pairId: w.rt.id, round: w.rounds, purpose: r.purpose, residual: Object.fromEntries(legs.map(([s, e]) => [s, e])) });
      if (r.purpose === 'manual') {
        // An operator's rebalance is not the pair's safety: the round ends here, the pair stays open
        // as it is (its own band and stop in charge again), and the rebalance's runner decides
        // whether to go round again or call it failed, so a thin book never holds it forever.
        w.reduce = null;
        Object.assign(w, { phase: 'posting', step: 0, requotes: 0, balance: null });
        this.o.logger.warn({ pairId: w.rt.id, round: w.rounds }, 'rebalance round fell short of its targets');
        return;
      }
      this.o.logger.error({ pairId: w.rt.id, round: w.rounds }, 'reduction could not complete; retrying after a backoff');
      Object.assign(w, { phase: 'backoff', step: 0, deadline: this.o.clock.now() + REDUCTION_BACKOFF_MS });
      return;
    }
    // The stage's legs only: the leg that takes the pair towards neutral goes before the one that
    // takes it away (both at once when they move together).
    let sent = false;
    for (const { symbol, total, side } of this.o.balancer.stage(w.rt, legs).now) {
      const mark = this.o.market.mark(symbol) ?? 0;
      sent = this.o.legs.sendTaker(w.rt, symbol, side, total * mark, r.purpose, true, 'IOC', r.purpose === 'exit' ? 'close leg' : r.purpose === 'manual' ? 'rebalance' : 'harvest', total) || sent;
    }
    if (!sent) this.escalate(w);
  }
}
