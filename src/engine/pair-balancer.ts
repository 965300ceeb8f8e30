import { bestAsk, bestBid } from '../core/book-touch.js';
import type { Clock } from '../core/clock.js';
import { roundDown } from '../core/tick-rounding.js';
import type { Instrument, Order, Position, SizingStep } from '../core/types.js';
import { planLegBalance, type BalanceLeg, type BalanceOrder } from '../hedging/leg-balance.js';
import type { OrderManager } from '../execution/order-manager.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { MarketState } from './market-state.js';
import type { PairLegOrders } from './pair-leg-orders.js';
import type { Balance, BalanceLegState, Working } from './pair-working.js';
import { reductionStage, type StageLeg } from './reduction-stage.js';

export interface PairBalancerOptions {
  readonly clock: Clock;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly positions: () => ReadonlyMap<string, Position>;
  readonly legs: PairLegOrders;
  readonly config: { readonly sliceUsd: number; readonly nakedMaxUsd: number; readonly nakedMaxMs: number; readonly entryTimeoutMs: number; readonly exitTimeoutMs: number };
  readonly journal: (kind: string, data: Record<string, unknown>) => void;
  /** Short notional per long notional the pair is hedged to (1 when absent). */
  readonly hedgeRatio?: ((longSymbol: string, shortSymbol: string) => number) | undefined;
}

/** A leg of a reduction about to start: what it has left to move, at its mark, and its weight in the pair's delta. */
export interface ReductionLeg {
  readonly total: number;
  readonly mark: number;
  /** The hedge ratio for the long leg, 1 for the short. */
  readonly weight: number;
}

/**
 * How much of each leg a reduction (its neutral-first stage) counts as already done so that both start level: a reduction
 * that begins with one leg ahead (an exit re-posted after its timeout, the first leg's slice
 * filled and the second's not) would otherwise carry that gap through every slice, and the next
 * slice's fill would leave the gap plus a slice naked. The leg with less (weighted) notional left
 * is credited the difference, so the other is behind by exactly the gap at once and hedges it
 * first. Sizes, base units; the leg with more left gets 0. Pure.
 */
export function reductionHeadStart(legs: readonly [ReductionLeg, ReductionLeg]): [number, number] {
  const usd = legs.map((l) => l.total * l.mark * l.weight);
  const most = Math.max(usd[0]!, usd[1]!);
  return [0, 1].map((k) => (most - usd[k]!) / (legs[k]!.mark * legs[k]!.weight)) as [number, number];
}

/** Statuses whose orders may still fill but must not be replaced yet (cancel sent, ack pending). */
const SETTLING = new Set<Order['status']>(['pending_submit', 'cancel_pending', 'unknown']);

/** Crossing mode: IOC rounds in a row that may move nothing before the slices give up. */
export const MAX_CROSS_MISSES = 2;

/**
 * Works a sliced, hedged transition (an entry or a reduction) on the venue: reads both legs'
 * progress and orders, asks `planLegBalance` what to do and does it. Sizes come from positions
 * and the transition's start, so a partly done step is completed, never repeated.
 */
export class PairBalancer {
  constructor(private readonly o: PairBalancerOptions) {}

  /** A balance for moving both legs from their current size by `totals`; null when a leg has nothing to move. */
  start(legs: readonly { symbol: string; side: 'buy' | 'sell'; total: number; trace: readonly SizingStep[]; start?: number }[], purpose: Balance['purpose'], reduceOnly: boolean, cross = false): Balance | null {
    if (legs.length !== 2) return null;
    const pos = this.o.positions();
    const state = legs.map((l): BalanceLegState => ({ symbol: l.symbol, side: l.side, total: l.total, trace: l.trace, start: l.start ?? Math.abs(pos.get(l.symbol)?.size ?? 0) }));
    for (const l of state) {
      const inst = this.o.instruments.get(l.symbol);
      const mark = this.o.market.mark(l.symbol);
      if (!inst || mark === undefined || l.total < inst.minSize || l.total * mark < inst.minNotional) return null;
    }
    // A reduction's legs come staged neutral-first (`stage`): their weighted notionals differ by
    // the pair's own imbalance, which the heavy leg hedges first.
    if (reduceOnly) {
      // The long leg is the one held long (sold to reduce); its notional counts at the hedge ratio.
      const [a, b] = state as [BalanceLegState, BalanceLegState];
      const longSym = (pos.get(a.symbol)?.size ?? 0) > 0 ? a.symbol : b.symbol;
      const shortSym = longSym === a.symbol ? b.symbol : a.symbol;
      const h = this.o.hedgeRatio?.(longSym, shortSym) ?? 1;
      const head = reductionHeadStart([a, b].map((l) => ({ total: l.total, mark: this.o.market.mark(l.symbol)!, weight: l.symbol === longSym ? h : 1 })) as [ReductionLeg, ReductionLeg]);
      // Credited as done: the transition runs from a start that much larger, to the same target.
      // A literal with the keys of the one above, not a spread: one hidden class for every leg.
      for (const k of [0, 1] as const) {
        const l = state[k]!;
        if (head[k] > 0) state[k] = { symbol: l.symbol, side: l.side, total: l.total + head[k], trace: l.trace, start: l.start + head[k] };
      }
    }
    return { legs: [state[0]!, state[1]!], purpose, reduceOnly, cross, sliceEnd: 0, nakedSince: null, misses: 0, lastProgress: null, stalled: false };
  }

  /**
   * The next stage of a reduction (`reductionStage`): each leg's part of `legs` (what is left above
   * its target) to move now, on the lot grid; a leg with nothing to move now is left out. `tail`:
   * something is left for a later stage. A remainder too small to send goes with this stage.
   */
  stage(rt: RoundTrip, legs: readonly (readonly [string, number, 'buy' | 'sell'])[]): { now: { symbol: string; side: 'buy' | 'sell'; total: number }[]; tail: boolean } {
    const whole = { now: legs.map(([symbol, total, side]) => ({ symbol, side, total })), tail: false };
    if (legs.length !== 2) return whole;
    const pos = this.o.positions();
    const marks = legs.map(([s]) => this.o.market.mark(s));
    if (marks.some((m) => m === undefined)) return whole;
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    const part = reductionStage(
      legs.map(([s, total], k) => ({ held: Math.abs(pos.get(s)?.size ?? 0), total, mark: marks[k]!, weight: s === rt.longSymbol ? h : 1, long: s === rt.longSymbol })) as [StageLeg, StageLeg],
    );
    const now: { symbol: string; side: 'buy' | 'sell'; total: number }[] = [];
    let tail = false;
    legs.forEach(([symbol, total, side], k) => {
      const lot = this.o.instruments.get(symbol)?.lotSize ?? 1e-9;
      const left = roundDown(total - part[k]!, lot);
      const size = this.o.legs.sendable(symbol, left, marks[k]) ? total - left : total;
      // A part too small to send waits for the leg's tail.
      if (this.o.legs.sendable(symbol, roundDown(size, lot), marks[k])) now.push({ symbol, side, total: size });
      if (size < total || !this.o.legs.sendable(symbol, roundDown(size, lot), marks[k])) tail = true;
    });
    return now.length > 0 ? { now, tail } : whole;
  }

  /** One step of the pair's balance; each new slice gets the full timeout. True once complete. */
  advance(w: Working): boolean {
    const b = w.balance;
    if (!b) return false;
    const before = b.sliceEnd;
    const complete = this.run(w.rt, b, this.o.legs.working(w.rt.id));
    if (b.sliceEnd > before) w.deadline = this.o.clock.now() + (w.reduce ? this.o.config.exitTimeoutMs : this.o.config.entryTimeoutMs);
    return complete;
  }

  /** One step; true once both legs have moved their whole size and nothing is working. */
  run(rt: RoundTrip, b: Balance, working: readonly Order[]): boolean {
    const l0 = this.view(b, b.legs[0], working);
    const l1 = this.view(b, b.legs[1], working);
    if (l0 === null || l1 === null || b.stalled) return false;
    const before = b.sliceEnd;
    const plan = planLegBalance({ legs: [l0, l1], now: this.o.clock.now(), nakedSince: b.nakedSince, sliceEnd: b.sliceEnd, allowNewSlice: true, cross: b.cross, config: this.o.config });
    if (b.cross && plan.actions.some((a) => a.kind === 'take' || a.kind === 'cross')) {
      // IOCs are sent only once the last ones are done: no progress since means they missed.
      const progress = l0.done / Math.max(l0.total, 1e-12) + l1.done / Math.max(l1.total, 1e-12);
      b.misses = b.lastProgress !== null && progress <= b.lastProgress + 1e-9 ? b.misses + 1 : 0;
      b.lastProgress = progress;
      if (b.misses >= MAX_CROSS_MISSES) {
        b.stalled = true;
        this.o.journal('slices_stalled', { pairId: rt.id, purpose: b.purpose, misses: b.misses });
        return false;
      }
    }
    b.nakedSince = plan.nakedSince;
    b.sliceEnd = plan.sliceEnd;
    for (const a of plan.actions) {
      const leg = b.legs[a.leg];
      if (a.kind === 'cancel') {
        this.o.orders.cancel(a.id);
      } else if (a.kind === 'post') {
        const step: SizingStep = { step: 'slice', input: leg.total, output: a.size, reason: a.why };
        this.o.legs.postExact(rt, leg.symbol, leg.side, a.size, a.price, b.purpose, b.reduceOnly, [...leg.trace, step]);
      } else if (a.kind === 'take') {
        const mark = this.o.market.mark(leg.symbol) ?? 0;
        this.o.legs.sendTaker(rt, leg.symbol, leg.side, a.size * mark, b.purpose, b.reduceOnly, 'IOC', a.why, a.size);
      } else {
        // An entry's catch-up is a hedge; an exit's or harvest's keeps its purpose, so the exit
        // record (exit_events) holds every fill that closed the pair.
        const purpose = b.reduceOnly ? b.purpose : 'hedge';
        const sent = this.o.legs.sendTaker(rt, leg.symbol, leg.side, a.nakedUsd, purpose, b.reduceOnly, 'IOC', a.why, a.size);
        this.o.journal('naked_hedge', { pairId: rt.id, symbol: leg.symbol, side: leg.side, size: a.size, nakedUsd: a.nakedUsd, sinceMs: plan.nakedSince === null ? 0 : this.o.clock.now() - plan.nakedSince, sent });
      }
    }
    // A slice that could not start (no touch yet) is tried again on the next event.
    if (b.sliceEnd !== before && !plan.actions.some((x) => x.kind === 'post' || x.kind === 'take')) b.sliceEnd = before;
    return plan.complete;
  }

  private view(b: Balance, l: BalanceLegState, working: readonly Order[]): BalanceLeg | null {
    const inst = this.o.instruments.get(l.symbol);
    const mark = this.o.market.mark(l.symbol);
    if (!inst || mark === undefined) return null;
    const now = Math.abs(this.o.positions().get(l.symbol)?.size ?? 0);
    const done = Math.max(0, b.reduceOnly ? l.start - now : now - l.start);
    const book = this.o.market.book(l.symbol);
    const touch = book === undefined ? undefined : l.side === 'buy' ? bestBid(book) : bestAsk(book);
    // A loop, not filter and map: see planLegBalance.
    const orders: BalanceOrder[] = [];
    for (let k = 0; k < working.length; k++) {
      const o = working[k]!;
      if (o.symbol === l.symbol) orders.push({ id: o.clientOrderId, remaining: o.size - o.filledSize, price: o.price ?? null, postOnly: o.tif === 'POST_ONLY', settling: SETTLING.has(o.status) });
    }
    return { side: l.side, total: l.total, done: Math.min(done, l.total), working: orders, touch, mark, lotSize: inst.lotSize, tickSize: inst.tickSize, minSize: inst.minSize, minNotional: inst.minNotional };
  }
}
