import type { AccountState, Candle, Fill, Instrument, MarketEvent, OrderRequest, Position } from './types.js';

/** What a venue cannot do; the OrderManager enforces what is missing itself. */
export interface VenueCapabilities {
  readonly postOnly: boolean;
  readonly ioc: boolean;
  readonly reduceOnly: boolean;
  /** Longest client order id the venue echoes back. */
  readonly maxClientOrderIdLength: number;
}

/** Order status as the venue reports it (a subset of ours: no pending or unknown). */
export type VenueOrderStatus = 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';

export interface VenueOrder {
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly status: VenueOrderStatus;
  readonly filledSize: number;
  readonly rejectReason?: string;
  readonly ts: number;
}

export type FillListener = (fill: Fill) => void;
export type OrderUpdateListener = (update: VenueOrder) => void;

/**
 * The contract every execution venue implements (paper engine, ccxt venues, Drift).
 * `placeOrder` resolves with the venue's view of the order once acknowledged; it throws
 * `VenueRejectError` when refused and `VenueUnknownOutcomeError` when the outcome is unknown.
 */
export interface Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities;
  instruments(): Promise<readonly Instrument[]>;
  placeOrder(req: OrderRequest): Promise<VenueOrder>;
  /** Resolves once the venue acknowledged the cancel (the order may have filled meanwhile). */
  cancelOrder(clientOrderId: string, symbol: string): Promise<void>;
  openOrders(): Promise<readonly VenueOrder[]>;
  /** Lookup by client order id for reconciliation; null when the venue never saw it. */
  lookupOrder(clientOrderId: string, symbol: string): Promise<VenueOrder | null>;
  fillsSince(ts: number): Promise<readonly Fill[]>;
  positions(): Promise<readonly Position[]>;
  account(): Promise<AccountState>;
  onFill(listener: FillListener): void;
  onOrderUpdate(listener: OrderUpdateListener): void;
}

/**
 * A pull-based market data source (sim, replay): events come out in timestamp order,
 * so a run is deterministic and can go as fast as the CPU allows.
 */
export interface MarketDataSource {
  readonly instruments: readonly Instrument[];
  /** Recent 1-minute candles before the first event, for strategy warm-up. */
  history(symbol: string, bars: number): readonly Candle[];
  /** Timestamp of the first event (the run's start in market time). */
  readonly startTs: number;
  /** Next event, or null when the data is exhausted. */
  next(): MarketEvent | null;
}
