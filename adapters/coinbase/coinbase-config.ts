import { z } from 'zod';

/** A WebSocket URL (ws:// or wss://): anything else would only fail when the stream connects. */
const wsUrl = z.string().regex(/^wss?:\/\/[^\s/]+/, 'expected a ws:// or wss:// URL');

/** Optional endpoint overrides (loopback tests); unset = Coinbase's own. */
const coinbaseUrls = z
  .object({
    /** REST root, e.g. https://api.coinbase.com (paths /api/v3/brokerage/... are appended). */
    rest: z.string().url().optional(),
    /** Market data stream, e.g. wss://advanced-trade-ws.coinbase.com */
    ws: wsUrl.optional(),
    /** User order data stream (the private `user` channel), e.g. wss://advanced-trade-ws-user.coinbase.com; defaults to `ws` when that is overridden. */
    wsUser: wsUrl.optional(),
  })
  .strict();

/** Coinbase's published limits (VENUES.md: "about", VERIFY): we stay under them. */
const coinbaseLimits = z
  .object({
    /** Private REST requests per second per user (orders, fills, positions). */
    privatePerSecond: z.number().int().positive().default(30),
    /** Public REST requests per second per IP (products, books, candles, time). */
    publicPerSecond: z.number().int().positive().default(10),
  })
  .strict();

/**
 * Fee rate overrides as fractions of notional (0.0004 = 4 bps). Unset, live mode reads the
 * account's own rates from GET /brokerage/transaction_summary at start; paper mode (no key) uses
 * COINBASE_PAPER_FEES.
 */
const coinbaseFees = z
  .object({
    makerFeeRate: z.number().min(-0.01).max(0.05).optional(),
    takerFeeRate: z.number().min(0).max(0.05).optional(),
  })
  .strict();

/** Paper mode's fee rates when none are configured (no key to read the account's tier with). */
export const COINBASE_PAPER_FEES = { makerFeeRate: 0.0004, takerFeeRate: 0.0006 } as const;

/**
 * Coinbase Advanced Trade through ccxt (`coinbase`): the perpetual-style futures (ccxt symbols like
 * `ETH/USD:USD-301220`, sizes in contracts on the wire) as DN legs; spot (`BTC/USD`) for long-only.
 * Keys: COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY (CDP key, ES256) in the environment.
 */
export const coinbaseConfigSchema = z
  .object({
    /** Our symbol → ccxt symbol. Defaults: Coinbase's nano perp-style futures expiring 2030-12-20. */
    symbols: z
      .record(z.string().min(1), z.string().min(1))
      .default({ 'BTC-PERP': 'BTC/USD:USD-301220', 'ETH-PERP': 'ETH/USD:USD-301220', 'SOL-PERP': 'SOL/USD:USD-301220' }),
    /** No message (heartbeats included) for this long (wall ms) marks the stream stale: entries pause, it is replaced. */
    staleAfterMs: z.number().int().positive().default(10_000),
    /**
     * A product whose book has not changed for this long (wall ms) while the stream itself is alive
     * (heartbeats, other products) has silently lost its level2 subscription: the stream is
     * resubscribed from fresh snapshots. 0 turns the check off (for a product that is often quiet).
     */
    bookStallMs: z.number().int().nonnegative().default(60_000),
    /** Live mode: cancel every open order when the stream goes stale (Coinbase has no dead-man switch); entries resume once resynced. */
    cancelOnStale: z.boolean().default(true),
    /** Global reduce-only switch: every order must reduce a position (checked by us; Coinbase's flag is never sent). */
    reduceOnly: z.boolean().default(false),
    /** Book levels per side handed to the runtime. */
    bookDepth: z.number().int().positive().max(200).default(20),
    /** Wall ms before a REST request counts as timed out (an unknown outcome for a create). */
    requestTimeoutMs: z.number().int().positive().default(10_000),
    /** Wall ms between polls of fills and working orders (Coinbase's user stream carries no fills). */
    pollMs: z.number().int().positive().default(1_000),
    /** Wall ms between account (balance summary) refreshes; the runtime reads the cache. */
    accountRefreshMs: z.number().int().positive().default(5_000),
    /** Wall ms before a dropped stream is reconnected (doubles up to 30 s; Coinbase allows 8 connects/s per IP). */
    reconnectDelayMs: z.number().int().positive().default(1_000),
    /** Retries of an idempotent query after a 429 or 5xx (never of a create). */
    queryRetries: z.number().int().min(0).max(10).default(3),
    /** 1-minute candles fetched per symbol on open, for warm-up (Coinbase serves ≤ 350 per request). */
    historyBars: z.number().int().positive().max(350).default(300),
    limits: coinbaseLimits.default(coinbaseLimits.parse({})),
    fees: coinbaseFees.default(coinbaseFees.parse({})),
    urls: coinbaseUrls.default({}),
  })
  .strict();

export type CoinbaseConfig = z.output<typeof coinbaseConfigSchema>;

/** Environment variables holding the CDP key (never logged, never stored). */
export const COINBASE_KEY_ENV = 'COINBASE_API_KEY_NAME';
export const COINBASE_SECRET_ENV = 'COINBASE_API_PRIVATE_KEY';
