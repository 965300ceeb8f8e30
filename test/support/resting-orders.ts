import type { Order } from '../../src/core/types.js';
import type { OrderIntent } from '../../src/execution/order-manager.js';

const working = (o: Order): boolean => o.status === 'open' || o.status === 'partially_filled';

/**
 * The part of the OrderManager a pair executor uses, for unit tests: every intent is recorded in
 * `sent` as an order that rests (`open`) until the test fills it or the executor cancels it; a
 * cancel takes at once. `now` stamps each order's creation.
 */
export class RestingOrders {
  readonly sent: Order[] = [];
  private n = 0;

  constructor(private readonly now: () => number) {}

  submit(i: OrderIntent): Order {
    const ts = this.now();
    const o = { ...i, clientOrderId: `c${++this.n}`, status: 'open', venue: 'sim', venueOrderId: null, filledSize: 0, avgFillPrice: null, feesPaid: 0, rejectReason: null, createdTs: ts, updatedTs: ts } as Order;
    this.sent.push(o);
    return o;
  }

  /** Working orders (open or partly filled), oldest first. */
  active(botId?: string): Order[] {
    return this.sent.filter((o) => working(o) && (botId === undefined || o.botId === botId));
  }

  working(botId: string, pairId: string): Order[] {
    return this.active(botId).filter((o) => o.pairId === pairId);
  }

  cancel(id: string): void {
    const i = this.sent.findIndex((o) => o.clientOrderId === id);
    if (i >= 0 && working(this.sent[i]!)) this.sent[i] = { ...this.sent[i]!, status: 'canceled' };
  }

  cancelAll(filter: (o: Order) => boolean = () => true): number {
    const hit = this.active().filter(filter);
    for (const o of hit) this.cancel(o.clientOrderId);
    return hit.length;
  }
}
