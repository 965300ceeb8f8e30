/**
 * The paper venue's recent fills, in order, with deterministic trade ids `paper-<prefix><n>`.
 */
import type { Fill, Liquidity } from '../../src/core/types.js';
import type { PaperOrder } from './paper-order.js';
import { emptyObjectList } from '../../src/core/object-list.js';

/**
 * Fill history with the trade id counter, kept for `retentionMs` of market time after each fill:
 * the runtime asks for fills since an order's creation (an unknown outcome) or since its last
 * booked fill (a backfill), never a day back, and a month-long run must not hold every fill.
 */
export class PaperFillLog {
  private fills: Fill[] = emptyObjectList();
  /** Index of the oldest fill still kept; the array is compacted once half of it is dropped. */
  private head = 0;
  private nextTradeId = 1;

  constructor(
    private readonly idPrefix = '',
    private readonly retentionMs = Number.POSITIVE_INFINITY,
  ) {}

  /** Fills recorded since the start, dropped ones included. */
  get count(): number {
    return this.nextTradeId - 1;
  }

  /** Records a fill of `o` and returns it. */
  record(o: PaperOrder, price: number, size: number, fee: number, liquidity: Liquidity, ts: number): Fill {
    const fill: Fill = {
      tradeId: `paper-${this.idPrefix}${this.nextTradeId++}`,
      clientOrderId: o.req.clientOrderId,
      venueOrderId: o.venueOrderId,
      symbol: o.req.symbol,
      side: o.req.side,
      price,
      size,
      fee,
      liquidity,
      ts,
    };
    this.fills.push(fill);
    this.drop(ts - this.retentionMs);
    return fill;
  }

  /** Kept fills with `ts` ≥ the given time, in the order they happened. */
  since(ts: number): Fill[] {
    const out: Fill[] = [];
    for (let i = this.head; i < this.fills.length; i++) {
      const f = this.fills[i]!;
      if (f.ts >= ts) out.push(f);
    }
    return out;
  }

  private drop(before: number): void {
    while (this.head < this.fills.length && this.fills[this.head]!.ts < before) this.head++;
    if (this.head > 64 && this.head * 2 > this.fills.length) {
      this.fills = this.fills.slice(this.head);
      this.head = 0;
    }
  }
}
