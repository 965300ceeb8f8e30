import { roundDown, roundPriceForSide } from '../core/tick-rounding.js';
import type { Side } from '../core/types.js';

/** An order of the transition resting (or in flight) on one leg. */
export interface BalanceOrder {
  readonly id: string;
  /** Size still to fill. */
  readonly remaining: number;
  readonly price: number | null;
  readonly postOnly: boolean;
  /** A cancel was sent (or the order is not yet acknowledged): it may still fill, must not be replaced yet. */
  readonly settling: boolean;
}

/** One leg of a transition (an entry from flat, or a reduction towards targets). */
export interface BalanceLeg {
  readonly side: Side;
  /** Absolute size the whole transition moves on this leg, base units. */
  readonly total: number;
  /** Absolute size moved so far. */
  readonly done: number;
  readonly working: readonly BalanceOrder[];
  /** Where a post-only order rests: the best bid for a buy, the best ask for a sell. */
  readonly touch: number | undefined;
  /** Price of the leg for notional and minimums. */
  readonly mark: number;
  readonly lotSize: number;
  readonly tickSize: number;
  readonly minSize: number;
  readonly minNotional: number;
}

export interface BalanceConfig {
  /** Largest notional of one slice, USD, per leg. */
  readonly sliceUsd: number;
  /** Unhedged notional above which the lagging leg crosses (IOC) at once. */
  readonly nakedMaxUsd: number;
  /** Age of an unhedged notional after which the lagging leg crosses. */
  readonly nakedMaxMs: number;
}

export interface BalanceInput {
  readonly legs: readonly [BalanceLeg, BalanceLeg];
  readonly now: number;
  /** Since when the legs have been apart by a sendable size; null when they are matched. */
  readonly nakedSince: number | null;
  /** Fraction (0..1) of the transition the current slice runs to; 0 before the first. */
  readonly sliceEnd: number;
  /** False once no new slice may start (entries halted, deadline): only hedges go out. */
  readonly allowNewSlice: boolean;
  /**
   * Crossing mode (an urgent or escalated reduction): each slice crosses by IOC on both legs at
   * once instead of resting, and a leg left behind crosses its missing size at once. Absent = false.
   */
  readonly cross?: boolean;
  readonly config: BalanceConfig;
}

export type BalanceAction =
  | { readonly kind: 'cancel'; readonly leg: 0 | 1; readonly id: string; readonly why: string }
  | { readonly kind: 'post'; readonly leg: 0 | 1; readonly size: number; readonly price: number; readonly why: string }
  | { readonly kind: 'cross'; readonly leg: 0 | 1; readonly size: number; readonly nakedUsd: number; readonly why: string }
  /** A slice sent by IOC (crossing mode), both legs at the same instant. */
  | { readonly kind: 'take'; readonly leg: 0 | 1; readonly size: number; readonly why: string };

export interface BalancePlan {
  readonly actions: readonly BalanceAction[];
  readonly nakedSince: number | null;
  readonly sliceEnd: number;
  /** True when both legs have moved their whole size (within a lot) and nothing is working. */
  readonly complete: boolean;
  /** Notional the lagging leg is behind by, USD (0 when matched). */
  readonly nakedUsd: number;
}

const progress = (l: BalanceLeg): number => (l.total > 0 ? Math.min(1, l.done / l.total) : 1);
const sendable = (l: BalanceLeg, size: number): boolean => size > 0 && size >= l.minSize && size * l.mark >= l.minNotional;
/** Whether a resting order is no longer at the touch (the market moved away from it). */
const behind = (l: BalanceLeg, price: number | null, touchPx: number): boolean => price === null || (l.side === 'buy' ? price < touchPx : price > touchPx);
const touchPx = (l: BalanceLeg): number | null => (l.touch === undefined ? null : roundPriceForSide(l.touch, l.tickSize, l.side));
/** The leg has nothing left to send: what it has not moved rounds to less than a sendable size. */
const finished = (l: BalanceLeg): boolean => !sendable(l, roundDown(l.total - l.done, l.lotSize));
/** The leg has moved its share of the slice running to `sliceEnd` (within a sendable size). */
const sliceFinished = (l: BalanceLeg, sliceEnd: number): boolean => !sendable(l, roundDown(sliceEnd * l.total - l.done, l.lotSize));

function anySettling(l: BalanceLeg): boolean {
  const w = l.working;
  for (let k = 0; k < w.length; k++) if (w[k]!.settling) return true;
  return false;
}

/**
 * Keeps the two legs of a pair moving together (hedge on fill), slice by slice. Pure.
 *
 * - A new slice (what is left cut into equal slices of at most `sliceUsd` per leg) starts only
 *   when both legs have finished the last, so one leg can run ahead by at most one slice (plus
 *   what fills while the other reacts).
 * - When one leg is ahead by a sendable size, the other is its hedge: one post-only order at the
 *   touch for at least the missing size and at most the rest of its slice; an order off the touch,
 *   too small or too large is cancelled and replaced once the cancel has settled (never two
 *   orders for one need).
 * - Past `nakedMaxUsd` or `nakedMaxMs`, the lagging leg's post-only order is cancelled and the
 *   missing size crosses by IOC (the caller applies the slippage cap), never more than missing.
 * - Nothing is sent on a leg while one of its orders is settling (cancel sent, ack pending).
 * - In crossing mode (`cross`), a slice is an IOC on each leg sent together, and a leg left behind
 *   crosses its missing size at once: an urgent exit is never a whole leg on one side.
 *
 * Written with plain loops and module-level helpers, no closures or array callbacks: it runs on
 * every book of a pair in transition, and V8 compiled the version with closures at about twice
 * the cost (70-85 ms a time), again each time a new array shape sent it back to the interpreter.
 */
export function planLegBalance(i: BalanceInput): BalancePlan {
  const a = i.legs[0];
  const b = i.legs[1];
  const pa = progress(a);
  const pb = progress(b);
  const lagIdx: 0 | 1 = pa <= pb ? 0 : 1;
  const lag = lagIdx === 0 ? a : b;
  const lead = lagIdx === 0 ? b : a;
  const gap = Math.abs(pa - pb);
  const need = roundDown(gap * lag.total, lag.lotSize);
  const nakedUsd = sendable(lag, need) ? need * lag.mark : 0;
  const actions: BalanceAction[] = [];
  let sliceEnd = i.sliceEnd;

  if (nakedUsd > 0) {
    const nakedSince = i.nakedSince ?? i.now;
    const urgent = i.cross === true || nakedUsd > i.config.nakedMaxUsd || i.now - nakedSince >= i.config.nakedMaxMs;
    if (anySettling(lag)) return { actions, nakedSince, sliceEnd, complete: false, nakedUsd };
    // With none settling, every working order of the lagging leg is live.
    const orders = lag.working;
    // An IOC already in flight on the lagging leg answers the need; wait for its outcome.
    for (let k = 0; k < orders.length; k++) if (!orders[k]!.postOnly) return { actions, nakedSince, sliceEnd, complete: false, nakedUsd };
    if (urgent) {
      for (let k = 0; k < orders.length; k++) actions.push({ kind: 'cancel', leg: lagIdx, id: orders[k]!.id, why: 'naked too long or too large: crossing instead' });
      if (orders.length === 0) actions.push({ kind: 'cross', leg: lagIdx, size: need, nakedUsd, why: `hedge $${nakedUsd.toFixed(2)} naked for ${i.now - nakedSince} ms` });
      return { actions, nakedSince, sliceEnd, complete: false, nakedUsd };
    }
    const px = touchPx(lag);
    if (px === null) return { actions, nakedSince, sliceEnd, complete: false, nakedUsd };
    const upper = Math.max(need, roundDown(Math.max(sliceEnd, progress(lead)) * lag.total - lag.done, lag.lotSize));
    let resting = 0;
    for (let k = 0; k < orders.length; k++) resting += orders[k]!.remaining;
    const half = lag.lotSize / 2;
    const fits = orders.length === 1 && !behind(lag, orders[0]!.price, px) && resting >= need - half && resting <= upper + half;
    if (orders.length === 0) actions.push({ kind: 'post', leg: lagIdx, size: need, price: px, why: `hedge on fill: $${nakedUsd.toFixed(2)} behind` });
    else if (!fits) for (let k = 0; k < orders.length; k++) actions.push({ kind: 'cancel', leg: lagIdx, id: orders[k]!.id, why: 'hedge resized or repriced to the touch' });
    return { actions, nakedSince, sliceEnd, complete: false, nakedUsd };
  }

  // Matched: finish the slice on both legs, then start the next.
  const nothingWorking = a.working.length === 0 && b.working.length === 0;
  if (finished(a) && finished(b)) {
    for (let k = 0; k < 2; k++) {
      const w = (k === 0 ? a : b).working;
      for (let j = 0; j < w.length; j++) if (!w[j]!.settling) actions.push({ kind: 'cancel', leg: k === 0 ? 0 : 1, id: w[j]!.id, why: 'transition complete' });
    }
    return { actions, nakedSince: null, sliceEnd: 1, complete: nothingWorking, nakedUsd: 0 };
  }
  if (sliceFinished(a, sliceEnd) && sliceFinished(b, sliceEnd) && nothingWorking && i.allowNewSlice) {
    const notional = Math.max(a.total * a.mark, b.total * b.mark);
    const p = Math.min(pa, pb);
    // What is left is cut into equal slices of at most sliceUsd: no slice above it, and no small
    // remainder that would have to ride along with the last one.
    const slices = Math.max(1, Math.ceil(((1 - p) * notional) / i.config.sliceUsd - 1e-9));
    sliceEnd = Math.min(1, p + (1 - p) / slices);
    // A remainder too small to send on its own goes with this slice.
    if (!sendable(a, roundDown((1 - sliceEnd) * a.total, a.lotSize)) || !sendable(b, roundDown((1 - sliceEnd) * b.total, b.lotSize))) sliceEnd = 1;
  }
  if (!i.allowNewSlice && nothingWorking) return { actions, nakedSince: null, sliceEnd, complete: false, nakedUsd: 0 };
  for (let k = 0; k < 2; k++) {
    const l = k === 0 ? a : b;
    if (l.working.length > 0) continue;
    const size = roundDown(sliceEnd * l.total - l.done, l.lotSize);
    const px = touchPx(l);
    const why = `slice to ${(sliceEnd * 100).toFixed(0)}% of the leg`;
    if (i.cross === true) {
      if (sendable(l, size)) actions.push({ kind: 'take', leg: k === 0 ? 0 : 1, size, why });
    } else if (px !== null && sendable(l, size)) actions.push({ kind: 'post', leg: k === 0 ? 0 : 1, size, price: px, why });
  }
  return { actions, nakedSince: null, sliceEnd, complete: false, nakedUsd: 0 };
}
