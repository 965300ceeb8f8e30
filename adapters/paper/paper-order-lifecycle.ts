/**
 * Every status change of a paper order goes through here: creation with a `P<n>` id, rejection,
 * fills (booked into the account and the fill log), resting, cancels and expiry. Each change is
 * reported to the sink: a fill first, then the order update it caused.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Fill, Instrument, Liquidity, OrderRequest } from '../../src/core/types.js';
import type { VenueOrder } from '../../src/core/venue.js';
import { roundNearest } from '../../src/core/tick-rounding.js';
import type { PaperAccount } from './paper-account.js';
import { PaperFillLog } from './paper-fill-log.js';
import { createPaperOrder, toVenueOrder, type PaperOrder } from './paper-order.js';
import type { RestingOrders } from './paper-order-book-state.js';
import { emptyObjectList } from '../../src/core/object-list.js';

/** Where fills and order status changes are reported (fill first, then its update). */
export interface PaperEngineSink {
  fill(fill: Fill): void;
  update(order: VenueOrder): void;
}

/** Shared state the lifecycle books into and the sink it reports to. */
export interface PaperOrderLifecycleOptions {
  readonly clock: Clock;
  readonly account: PaperAccount;
  readonly resting: RestingOrders;
  readonly sink: PaperEngineSink;
  readonly logger: Logger;
  /** Prefix of venue order ids and trade ids, unique per run so ids never repeat across restarts. */
  readonly idPrefix?: string;
  /** How long an ended order and a fill stay known (market time); {@link PAPER_HISTORY_MS} by default. */
  readonly historyMs?: number;
}

/**
 * An ended order (and a fill) is known for a day of market time after it ended: the runtime asks
 * about an order only while its outcome is unknown (seconds), and a month-long run must not hold
 * every order it ever sent. A client order id is refused as a duplicate within that day.
 */
export const PAPER_HISTORY_MS = 86_400_000;

/** Owns the order registry, venue order ids and the fill log; the only writer of order status. */
export class PaperOrderLifecycle {
  private readonly clock: Clock;
  private readonly account: PaperAccount;
  private readonly resting: RestingOrders;
  private readonly sink: PaperEngineSink;
  private readonly logger: Logger;
  private readonly orders = new Map<string, PaperOrder>();
  /** Ended orders, oldest end first, until they are forgotten. */
  private ended: PaperOrder[] = emptyObjectList();
  private endedHead = 0;
  private readonly historyMs: number;
  private readonly fills: PaperFillLog;
  private readonly idPrefix: string;
  private nextOrderId = 1;

  constructor(opts: PaperOrderLifecycleOptions) {
    this.clock = opts.clock;
    this.account = opts.account;
    this.resting = opts.resting;
    this.sink = opts.sink;
    this.logger = opts.logger;
    this.idPrefix = opts.idPrefix ?? '';
    this.historyMs = opts.historyMs ?? PAPER_HISTORY_MS;
    this.fills = new PaperFillLog(this.idPrefix, this.historyMs);
  }

  /** A working order, or one that ended (rejected ones included) within the history window, by client order id. */
  get(clientOrderId: string): PaperOrder | undefined {
    return this.orders.get(clientOrderId);
  }

  get fillCount(): number {
    return this.fills.count;
  }

  fillsSince(ts: number): Fill[] {
    return this.fills.since(ts);
  }

  /** Registers a new working order under the next venue order id. No update is emitted yet. */
  create(req: OrderRequest): PaperOrder {
    const now = this.clock.now();
    this.forgetEndedBefore(now - this.historyMs);
    const o = createPaperOrder(req, `P${this.idPrefix}${this.nextOrderId++}`, now);
    this.orders.set(req.clientOrderId, o);
    return o;
  }

  reject(o: PaperOrder, reason: string): void {
    o.status = 'rejected';
    o.rejectReason = reason;
    o.remaining = 0;
    o.ts = this.clock.now();
    this.ended.push(o);
    this.emitUpdate(o);
  }

  /** Books a fill of `size` at `price` into the account, the log and the order, then reports it. */
  fill(o: PaperOrder, inst: Instrument, price: number, size: number, liquidity: Liquidity, fee: number): void {
    const now = this.clock.now();
    this.account.applyFill(o.req.symbol, o.req.side, price, size, fee);
    o.filledSize = roundNearest(o.filledSize + size, inst.lotSize);
    o.remaining = Math.max(0, roundNearest(o.req.size - o.filledSize, inst.lotSize));
    o.status = o.remaining <= 0 ? 'filled' : 'partially_filled';
    o.ts = now;
    if (o.status === 'filled') {
      this.resting.remove(o.req.clientOrderId);
      this.ended.push(o);
    }
    const fill = this.fills.record(o, price, size, fee, liquidity, now);
    this.safely(() => this.sink.fill(fill));
    this.emitUpdate(o);
  }

  /** Puts the order on the book; reports `open` unless a fill already reported it. */
  rest(o: PaperOrder, price: number, queueAhead: number): void {
    this.resting.add(o, price, queueAhead);
    if (o.filledSize === 0) {
      o.ts = this.clock.now();
      this.emitUpdate(o);
    }
  }

  /** Takes a resting order off the book as `canceled`. */
  cancel(o: PaperOrder): void {
    this.resting.remove(o.req.clientOrderId);
    this.terminate(o, 'canceled');
  }

  /** Ends a working order without further fills: `canceled` or `expired`. */
  terminate(o: PaperOrder, status: 'canceled' | 'expired'): void {
    o.status = status;
    o.remaining = 0;
    o.ts = this.clock.now();
    this.ended.push(o);
    this.emitUpdate(o);
  }

  /** Forgets the orders that ended before `ts`. */
  private forgetEndedBefore(ts: number): void {
    const ended = this.ended;
    let i = this.endedHead;
    for (; i < ended.length && ended[i]!.ts < ts; i++) {
      const o = ended[i]!;
      if (this.orders.get(o.req.clientOrderId) === o) this.orders.delete(o.req.clientOrderId);
    }
    this.endedHead = i;
    if (i > 64 && i * 2 > ended.length) {
      this.ended = ended.slice(i);
      this.endedHead = 0;
    }
  }

  private emitUpdate(o: PaperOrder): void {
    const snapshot = toVenueOrder(o);
    this.safely(() => this.sink.update(snapshot));
  }

  /** A throwing listener must not leave the engine half way through a state change. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err }, 'paper venue listener threw');
    }
  }
}
