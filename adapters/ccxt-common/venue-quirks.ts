import type { OrderRequest } from '../../src/core/types.js';

/**
 * What differs between the venues of the ccxt adapter family. The core (instrument mapper,
 * market source, live venue, limiter wiring) is shared; each venue supplies one `VenueQuirks`
 * object (adapters/nado/nado-quirks.ts, adapters/coinbase/coinbase-quirks.ts). Pure data and pure
 * functions only: no I/O, no clock, no ccxt import (the core owns the ccxt instance).
 */

/** One published rate window: at most `limit` weight within any `windowMs` of wall time. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * A budget the venue counts separately (e.g. Nado: queries per IP, orders per wallet). Every
 * window of a budget must hold for a request to go out.
 */
export interface RateBudget {
  readonly name: string;
  readonly windows: readonly RateWindow[];
}

/** Requests the core sends, for weights. */
export type VenueRequestKind =
  | 'markets'
  | 'book_snapshot'
  | 'candles'
  | 'place'
  | 'cancel'
  | 'cancel_all'
  | 'order_lookup'
  | 'open_orders'
  | 'fills'
  | 'account'
  | 'positions'
  | 'time';

/** Weight of one request against one budget. A request may count against several budgets. */
export interface RequestCost {
  readonly budget: string;
  readonly weight: number;
}

/** How the venue's public book stream is shaped, and therefore how gaps are detected. */
export type BookStreamShape =
  /** A snapshot message per subscription, then deltas with a per-connection sequence number (Coinbase level2). */
  | { readonly kind: 'snapshot+deltas'; readonly sequence: 'per_connection' | 'per_symbol' }
  /**
   * Deltas only (Nado book_depth): the snapshot comes from a REST query; each delta names the
   * previous delta's end (`last_max_timestamp` = previous `max_timestamp`), checked from the
   * FIRST delta after the snapshot on.
   */
  | { readonly kind: 'deltas-chained' };

/** How the venue echoes our client order id. */
export interface ClientIdFormat {
  /** 'numeric': the venue takes an unsigned integer (Nado's `id`), so we map ours onto a counter. */
  readonly kind: 'string' | 'numeric';
  /** Longest id the venue echoes back (string kind), or the largest integer (numeric kind). */
  readonly maxLength: number;
  /** Characters allowed (string kind). */
  readonly pattern: RegExp;
}

/** Who makes sure a reduce-only order never increases a position. */
export type ReduceOnlyEnforcement =
  /** The venue enforces the flag; we still check before sending. */
  | 'venue'
  /** The venue (or ccxt's mapping of it) cannot be trusted: we never send the flag and enforce it ourselves. */
  | 'ours';

export interface DeadManSwitch {
  /** Whether the venue cancels the account's orders when we stop refreshing a timer. */
  readonly supported: boolean;
  /** Refresh period and timeout (wall ms) when supported. */
  readonly timeoutMs?: number;
}

/** The ccxt order call for one of our requests: type, price and params as ccxt expects them. */
export interface CcxtOrderCall {
  readonly type: 'limit' | 'market';
  readonly params: Record<string, unknown>;
}

export interface VenueQuirks {
  /** Our venue name (the LiveVenue's `name`): 'nado' | 'coinbase'. */
  readonly venue: 'nado' | 'coinbase';
  /** ccxt exchange id (`nado`, `coinbase`). */
  readonly ccxtId: string;
  /**
   * Options merged into the ccxt instance (Nado: `builderFee: false`, else ccxt adds its own
   * 1 bp builder fee to every order). The core always adds `enableRateLimit: false`.
   */
  readonly ccxtOptions: Readonly<Record<string, unknown>>;
  /** ccxt symbol for our symbol, from the config's `symbols` map (throws on an unknown symbol). */
  venueSymbol(ours: string, symbols: Readonly<Record<string, string>>): string;
  /**
   * Maps an order onto ccxt's createOrder arguments: post-only, IOC and reduce-only flags, the
   * client id field. Price and size are already rounded by the core (bids down, asks up; sizes
   * to lots) before this is called; `venueClientId` is already in the venue's format.
   */
  orderCall(req: OrderRequest, venueClientId: string): CcxtOrderCall;
  readonly reduceOnly: ReduceOnlyEnforcement;
  readonly clientId: ClientIdFormat;
  /** Published limits. */
  readonly rateBudgets: readonly RateBudget[];
  /** Weights of one request (e.g. Nado: placing costs 20 without spot leverage). */
  cost(kind: VenueRequestKind): readonly RequestCost[];
  readonly bookStream: BookStreamShape;
  /** Whether fills and order updates come on a private stream (else they are polled). */
  readonly privateStream: boolean;
  readonly deadManSwitch: DeadManSwitch;
}
