/** Domain types shared by every layer. Plain readonly data; no behaviour, no SDK types. */

export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
/** GTC rests; IOC takes what it can and cancels the rest; POST_ONLY rests or is rejected if it would cross. */
export type TimeInForce = 'GTC' | 'IOC' | 'POST_ONLY';
export type Liquidity = 'maker' | 'taker';
/** Why an order exists. Exits and hedges are never blocked by entry gates. */
export type OrderPurpose = 'entry' | 'exit' | 'hedge' | 'harvest' | 'stop' | 'manual' | 'liquidation';

export type OrderStatus =
  | 'pending_submit'
  | 'open'
  | 'partially_filled'
  | 'filled'
  | 'cancel_pending'
  | 'canceled'
  | 'rejected'
  | 'expired'
  | 'unknown';

export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'rejected',
  'expired',
]);

export interface Instrument {
  readonly venue: string;
  /** Our symbol, e.g. `ETH-PERP`. Venue ids are mapped inside adapters. */
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: number;
  readonly lotSize: number;
  /** Smallest order size in base units. */
  readonly minSize: number;
  /** Smallest order notional in quote units. */
  readonly minNotional: number;
  readonly maxLeverage: number;
  /** Fee rates as fractions of notional (0.0002 = 2 bps); a negative maker fee is a rebate. */
  readonly makerFeeRate: number;
  readonly takerFeeRate: number;
  /** Margin ratios as fractions of notional. */
  readonly initialMarginRatio: number;
  readonly maintenanceMarginRatio: number;
  readonly fundingIntervalMs: number;
}

export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

/** L2 book: bids best (highest) first, asks best (lowest) first. */
export interface Book {
  readonly symbol: string;
  readonly ts: number;
  readonly seq: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export interface Trade {
  readonly symbol: string;
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  /** Side of the taker. A `sell` aggressor trades through resting bids. */
  readonly aggressor: Side;
  readonly tradeId: string;
}

export interface MarkUpdate {
  readonly symbol: string;
  readonly ts: number;
  readonly markPrice: number;
  /** Funding rate per funding interval, as a fraction (longs pay when positive). */
  readonly fundingRate: number;
}

export interface Candle {
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export type MarketEvent =
  | { readonly kind: 'book'; readonly ts: number; readonly book: Book }
  | { readonly kind: 'trade'; readonly ts: number; readonly trade: Trade }
  | { readonly kind: 'mark'; readonly ts: number; readonly mark: MarkUpdate };

/** One step of the sizing pipeline: what came in, what went out, and why. */
export interface SizingStep {
  readonly step: string;
  readonly input: number;
  readonly output: number;
  readonly reason: string;
}

/** What is sent to a venue. Price and size are already on the instrument's grid. */
export interface OrderRequest {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  /** Required for limit orders; a market order may carry a protective limit. */
  readonly price?: number;
  readonly size: number;
  readonly reduceOnly: boolean;
  /** Why it is sent. A venue with its own rate limiter uses it to send hedges and stops ahead of entries. */
  readonly purpose?: OrderPurpose;
}

/** Our record of an order, as persisted. */
export interface Order extends OrderRequest {
  readonly botId: string;
  readonly purpose: OrderPurpose;
  readonly pairId: string | null;
  readonly status: OrderStatus;
  readonly venue: string;
  readonly venueOrderId: string | null;
  readonly filledSize: number;
  readonly avgFillPrice: number | null;
  readonly feesPaid: number;
  readonly rejectReason: string | null;
  readonly sizingTrace: readonly SizingStep[];
  readonly createdTs: number;
  readonly updatedTs: number;
}

export interface Fill {
  /** Venue's trade id: fills are idempotent on it. */
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Fee paid in quote units (negative = rebate received). */
  readonly fee: number;
  readonly liquidity: Liquidity;
  readonly ts: number;
  /**
   * The id this same fill was stored under before the venue's trade id form changed (Nado added the
   * order's filled size to its ids). A fill whose id is unknown but which matches a stored fill
   * under this id (same order, size and price) is that fill: the row takes the new id and nothing
   * is booked twice. Absent when the id never had another form.
   */
  readonly legacyTradeId?: string;
}

export interface Position {
  readonly symbol: string;
  /** Signed base size: positive long, negative short. */
  readonly size: number;
  readonly entryPrice: number;
  readonly realizedPnl: number;
}

export interface AccountState {
  readonly equity: number;
  readonly collateral: number;
  readonly freeCollateral: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
}
