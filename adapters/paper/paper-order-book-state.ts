/**
 * Our resting (maker) orders and the queue model that decides when the market fills them.
 *
 * Queue model: at placement an order is behind the visible size at its price on its side of the
 * book (0 when it improves on the touch or sits in a gap). A trade exactly at its price first
 * consumes that queue; only the excess fills us. A trade strictly through its price fills
 * min(remaining, trade size) at the order's own price. A book showing less size at the price than
 * our queue ahead shrinks the queue (cancellations ahead of us). Books never fill us by themselves.
 *
 * Trade-through rule (`throughOnly`, for coarse prints such as candle points): only volume traded
 * at least one tick through our price counts, first against the queue ahead, then for us. Prints
 * at our price (or less than a tick through) neither fill us nor move the queue: a synthetic print
 * at a price says nothing about who traded there.
 *
 * `capped = false` (the paper config's `queue: false`): no queue, no cap; a print through our
 * price fills the whole remaining order. Optimistic, for measuring what the queue costs.
 */
import type { Book, Instrument, Side, Trade } from '../../src/core/types.js';
import { roundDown } from '../../src/core/tick-rounding.js';
import type { PaperOrder } from './paper-order.js';

/** A resting order with its limit price and estimated size ahead of it in the queue. */
export interface RestingEntry {
  readonly order: PaperOrder;
  readonly price: number;
  queueAhead: number;
}

/** Size a trade gives to one of our resting orders (before reduce-only clipping). */
export interface TradeAllocation {
  readonly entry: RestingEntry;
  readonly size: number;
}

/** Two prices closer than a millionth of a tick are the same level. */
export function samePrice(a: number, b: number, tickSize: number): boolean {
  return Math.abs(a - b) <= tickSize * 1e-6;
}

/** Visible size at `price` on the `side` of `book` we would join (bids for a buy), else 0. */
export function visibleSizeAt(book: Book | undefined, side: Side, price: number, tickSize: number): number {
  if (book === undefined) return 0;
  const levels = side === 'buy' ? book.bids : book.asks;
  for (const level of levels) {
    if (samePrice(level.price, price, tickSize)) return Math.max(0, level.size);
  }
  return 0;
}

const NO_ALLOCATIONS: readonly TradeAllocation[] = Object.freeze([]);

/** Resting orders in time priority, per client order id. */
export class RestingOrders {
  private readonly entries = new Map<string, RestingEntry>();

  get count(): number {
    return this.entries.size;
  }

  add(order: PaperOrder, price: number, queueAhead: number): void {
    this.entries.set(order.req.clientOrderId, { order, price, queueAhead: Math.max(0, queueAhead) });
  }

  get(clientOrderId: string): RestingEntry | undefined {
    return this.entries.get(clientOrderId);
  }

  remove(clientOrderId: string): void {
    this.entries.delete(clientOrderId);
  }

  /** All resting entries in time priority (a copy: safe to cancel from while looping). */
  all(): RestingEntry[] {
    return [...this.entries.values()];
  }

  /** The resting entries in time priority, without a copy: add or remove none while looping. */
  values(): IterableIterator<RestingEntry> {
    return this.entries.values();
  }

  /** Shrinks queues ahead of our orders on `book.symbol` to the size the new book still shows. */
  onBook(book: Book, inst: Instrument): void {
    for (const e of this.entries.values()) {
      if (e.order.req.symbol !== book.symbol) continue;
      const visible = visibleSizeAt(book, e.order.req.side, e.price, inst.tickSize);
      if (visible < e.queueAhead) e.queueAhead = visible;
    }
  }

  /**
   * Decides which resting orders `trade` fills and by how much, updating queues. Orders are served
   * in price then time priority and share the trade's size, so one trade never fills more than its
   * size across all our orders. Sizes are rounded down to the lot grid.
   */
  allocateTrade(trade: Trade, inst: Instrument, throughOnly = false, capped = true): readonly TradeAllocation[] {
    // Called on every print: nothing is allocated unless one of our orders is on the printed side.
    if (this.entries.size === 0) return NO_ALLOCATIONS;
    const ourSide: Side = trade.aggressor === 'sell' ? 'buy' : 'sell';
    const tick = inst.tickSize;
    if (throughOnly) return this.allocateThrough(trade, ourSide, inst, capped);
    let reached: RestingEntry[] | null = null;
    for (const e of this.entries.values()) {
      if (
        e.order.req.symbol === trade.symbol &&
        e.order.req.side === ourSide &&
        (ourSide === 'buy' ? e.price >= trade.price - tick * 1e-6 : e.price <= trade.price + tick * 1e-6)
      ) {
        (reached ??= []).push(e);
      }
    }
    if (reached === null) return NO_ALLOCATIONS;
    // Best price first (highest bid / lowest ask); Array.prototype.sort is stable, keeping time priority.
    reached.sort((a, b) => (ourSide === 'buy' ? b.price - a.price : a.price - b.price));
    let budget = trade.size;
    const out: TradeAllocation[] = [];
    for (const e of reached) {
      let available = trade.size;
      if (samePrice(e.price, trade.price, tick)) {
        available = Math.max(0, trade.size - e.queueAhead);
        e.queueAhead = Math.max(0, e.queueAhead - trade.size);
      }
      const size = roundDown(Math.max(0, Math.min(e.order.remaining, available, budget)), inst.lotSize);
      if (size <= 0) continue;
      out.push({ entry: e, size });
      budget -= size;
    }
    return out;
  }

  /** The trade-through rule: only volume at least one tick beyond an order's price fills it, queue first. */
  private allocateThrough(trade: Trade, ourSide: Side, inst: Instrument, capped: boolean): TradeAllocation[] {
    const tick = inst.tickSize;
    const eps = tick * 1e-6;
    const mine = this.all().filter((e) => e.order.req.symbol === trade.symbol && e.order.req.side === ourSide);
    // Distance the print went through each order's price, in price units.
    const through = (e: RestingEntry): number => (ourSide === 'buy' ? e.price - trade.price : trade.price - e.price);
    const reached = mine.filter((e) => through(e) >= tick - eps);
    reached.sort((a, b) => (ourSide === 'buy' ? b.price - a.price : a.price - b.price));
    let budget = trade.size;
    const out: TradeAllocation[] = [];
    for (const e of reached) {
      if (!capped) {
        out.push({ entry: e, size: e.order.remaining });
        continue;
      }
      const available = Math.max(0, trade.size - e.queueAhead);
      e.queueAhead = Math.max(0, e.queueAhead - trade.size);
      const size = roundDown(Math.max(0, Math.min(e.order.remaining, available, budget)), inst.lotSize);
      if (size <= 0) continue;
      out.push({ entry: e, size });
      budget -= size;
    }
    return out;
  }
}
