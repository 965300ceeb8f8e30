import type { AccountState, Candle, Fill, Instrument, MarketEvent, OrderRequest, Position } from './types.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

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
  /**
   * The account without a request, when the venue holds it in memory (the paper venue): the
   * runtime refreshes it every second of market time, and a promise each time showed in profiles.
   */
  accountNow?(): AccountState;
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
  /**
   * True when every event is sound by construction (the simulated market, whose tests hold each
   * event to the market event guard): the runtime then does not check them one by one. A source
   * that wraps or reads outside data leaves it unset.
   */
  readonly soundEvents?: boolean;
}

/** State of one live market stream, for `/health`, `dnbot status` and the entry pause. */
export interface FeedHealth {
  readonly venue: string;
  readonly symbol: string;
  /** Local receive time (ms) of the last sound update; null before the first. */
  readonly lastUpdateTs: number | null;
  /** True while no update arrived within the staleness window or a resync is in progress. */
  readonly stale: boolean;
  /** Why it is stale (plain words), or null. */
  readonly reason: string | null;
  /** Resyncs after sequence gaps or reconnects since start. */
  readonly resyncs: number;
  /** Malformed messages dropped since start. */
  readonly dropped: number;
}

/**
 * A push-fed market data source for a live venue (its public books, trades and marks).
 * Events are stamped with the local receive time, so they are in order on one clock.
 */
export interface LiveMarketSource {
  readonly live: true;
  readonly instruments: readonly Instrument[];
  /** Recent 1-minute candles fetched on open, for strategy warm-up. */
  history(symbol: string, bars: number): readonly Candle[];
  /** Receive time of the first event (the run's start). */
  readonly startTs: number;
  /** The next event; 'idle' when none arrived within `maxWaitMs` of wall time; null once closed. */
  next(maxWaitMs: number): Promise<MarketEvent | 'idle' | null>;
  feedHealth(): readonly FeedHealth[];
  close(): Promise<void>;
}

/** An execution venue trading a real account. */
export interface LiveVenue extends Venue {
  /** Cancels every open order of the account on the configured symbols (shutdown, stale streams). */
  cancelAll(reason: string): Promise<void>;
  close(): Promise<void>;
}

/** The venue's own margin view, where its rules are known exactly (Drift's SDK). */
export interface VenueMarginView {
  /** Maintenance margin requirement, quote units. */
  readonly maintenanceMargin: number;
  /** Liquidation price per symbol with a position; null when no price liquidates it. */
  readonly liquidationPrices: ReadonlyMap<string, number | null>;
}

/** A venue that computes margin by its own rules; the liquidation monitor prefers it to ours. */
export interface VenueMarginSource {
  venueMargin(): Promise<VenueMarginView>;
}

export function hasVenueMargin<V extends object>(v: V): v is V & VenueMarginSource {
  return typeof (v as Partial<VenueMarginSource>).venueMargin === 'function';
}

/**
 * Something the venue did to the account that no order of ours explains (a fill reversed or
 * corrected by the venue): worth a loud log line, a journal event, and a position check.
 */
export interface VenueAlert {
  /** Stable kind, e.g. `fill_adjustment`. */
  readonly kind: string;
  readonly message: string;
  readonly symbol: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A venue that reports alerts; the composition root journals them and re-checks positions. */
export interface VenueAlertSource {
  onVenueAlert(listener: (a: VenueAlert) => void): void;
}

export function hasVenueAlerts<V extends object>(v: V): v is V & VenueAlertSource {
  return typeof (v as Partial<VenueAlertSource>).onVenueAlert === 'function';
}

/** Small durable state a venue adapter keeps in the run's SQLite file. Never keys or secrets. */
export interface VenueStateStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  /** Entries whose key starts with `prefix`, sorted by key. */
  list(prefix: string): readonly { readonly key: string; readonly value: string }[];
}

/** What the composition root hands a venue adapter when it opens it (loaded lazily). */
export interface VenueOpenOptions<C> {
  readonly mode: 'paper' | 'live';
  /** Our symbols the bots trade (e.g. ETH-PERP); the adapter maps them to the venue's. */
  readonly symbols: readonly string[];
  /** The venue's own section of the config, already validated. */
  readonly config: C;
  readonly logger: Logger;
  /** Wall time: receive stamps, staleness and retry waits. */
  readonly wall: Clock;
  /** Keys come only from here (never from config files), and are never logged. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Durable adapter state (e.g. client order id mappings), scoped to this venue. */
  readonly state: VenueStateStore;
}

/** A live venue opened for a run: market data always; an execution venue only in live mode. */
export interface VenueBundle {
  readonly source: LiveMarketSource;
  readonly live: LiveVenue | null;
}

export function isLiveSource(s: MarketDataSource | LiveMarketSource): s is LiveMarketSource {
  return (s as Partial<LiveMarketSource>).live === true;
}
