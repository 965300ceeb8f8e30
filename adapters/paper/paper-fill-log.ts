/**
 * Every fill the paper venue produced, in order, with deterministic trade ids `paper-<prefix><n>`.
 */
import type { Fill, Liquidity } from '../../src/core/types.js';
import type { PaperOrder } from './paper-order.js';

/** Append-only fill history with the trade id counter. */
export class PaperFillLog {
  private readonly fills: Fill[] = [];
  private nextTradeId = 1;

  constructor(private readonly idPrefix = '') {}

  get count(): number {
    return this.fills.length;
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
    return fill;
  }

  /** Fills with `ts` ≥ the given time, in the order they happened. */
  since(ts: number): Fill[] {
    return this.fills.filter((f) => f.ts >= ts);
  }
}
