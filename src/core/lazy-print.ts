import type { Side, Trade } from './types.js';

/**
 * A generated print whose id is spelled out only when read: a simulated or replayed market makes
 * hundreds of thousands of prints a day and the runtime reads few of their ids. Each source names
 * its prints its own way (`tradeId`); as JSON a print is the plain {@link Trade}.
 */
export abstract class LazyPrint implements Trade {
  constructor(
    readonly symbol: string,
    readonly ts: number,
    readonly price: number,
    readonly size: number,
    readonly aggressor: Side,
  ) {}

  abstract get tradeId(): string;

  toJSON(): Trade {
    return { symbol: this.symbol, ts: this.ts, price: this.price, size: this.size, aggressor: this.aggressor, tradeId: this.tradeId };
  }
}
