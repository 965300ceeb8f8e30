import { z } from 'zod';

/** Our symbol (e.g. ETH-PERP) → the venue's ccxt symbol. */
const symbolMap = z.record(z.string().min(1), z.string().min(1));

/** Optional endpoint overrides (loopback tests, testnet mirrors); unset = the venue's own. */
const nadoUrls = z
  .object({
    /** REST gateway v1 (queries, executes), e.g. https://gateway.prod.nado.xyz/v1 */
    gateway: z.string().url().optional(),
    /** REST gateway v2 (pairs, assets, orderbook) */
    gatewayV2: z.string().url().optional(),
    /** Archive indexer v1 (matches, candlesticks) */
    archive: z.string().url().optional(),
    archiveV2: z.string().url().optional(),
    trigger: z.string().url().optional(),
    /** Subscription stream (book_depth, trade, fill, order_update), e.g. wss://gateway.prod.nado.xyz/v1/subscribe */
    subscribe: z.string().optional(),
  })
  .strict();

/** Nado's published limits (weights); see ../shared/VENUES.md. */
const nadoLimits = z
  .object({
    /** Query weight per IP per minute. */
    queriesPerMinute: z.number().int().positive().default(2400),
    /** Query weight per IP per 10 s. */
    queriesPer10s: z.number().int().positive().default(400),
    /** Order/cancel weight per wallet per minute. */
    ordersPerMinute: z.number().int().positive().default(600),
    /** Order/cancel weight per wallet per 10 s. */
    ordersPer10s: z.number().int().positive().default(100),
    /**
     * Fraction of each published number we allow ourselves: the venue counts arrivals, we count
     * grants, and signing and the network sit between (0.9 = 10 % headroom).
     */
    headroom: z.number().positive().max(1).default(0.9),
  })
  .strict();

/** Nado through ccxt (`nado`): public books for paper mode; a wallet's subaccount in live mode. */
export const nadoConfigSchema = z
  .object({
    symbols: symbolMap.default({ 'ETH-PERP': 'ETH/USDT0:USDT0', 'SOL-PERP': 'SOL/USDT0:USDT0', 'BTC-PERP': 'BTC/USDT0:USDT0' }),
    /** No book update for this long (wall ms) marks the stream stale: new entries pause until resynced. */
    staleAfterMs: z.number().int().positive().default(10_000),
    /** 'mainnet' (Ink) or 'testnet' endpoints. */
    network: z.enum(['mainnet', 'testnet']).default('mainnet'),
    /** Subaccount name (≤ 12 bytes); NADO_SUBACCOUNT in the environment overrides it. */
    subaccount: z.string().min(1).max(12).default('default'),
    /** Global reduce-only switch: every order is sent reduce-only and checked against the position. */
    reduceOnly: z.boolean().default(false),
    /** Levels of the market_liquidity snapshot that seeds each book. */
    bookDepth: z.number().int().positive().max(100).default(50),
    /** Wall ms before a REST request counts as timed out (an unknown outcome for a create). */
    requestTimeoutMs: z.number().int().positive().default(10_000),
    /** Wall ms between account (collateral, margin) refreshes; the runtime reads the cache. */
    accountRefreshMs: z.number().int().positive().default(5_000),
    /** Wall ms before a dropped stream is reconnected (doubles up to 30 s). */
    reconnectDelayMs: z.number().int().positive().default(1_000),
    /** A market order goes out as an IOC limit this far (bps) through the best opposite level (Nado takes limits only). */
    marketSlippageBps: z.number().positive().max(2_000).default(100),
    /** Wall ms between mark/funding polls (archive `contracts`, one query for all markets). */
    markPollMs: z.number().int().positive().default(15_000),
    /** Wall ms an order signature stays valid (Nado's recv window; nonce = recv time << 20). */
    recvWindowMs: z.number().int().positive().default(5_000),
    /**
     * Wall ms the archive indexer may lag behind the engine: an order neither open nor archived is
     * declared never placed only this long after its recv window closed (an order filled or
     * cancelled at once is in neither place until the archive catches up).
     */
    archiveLagMs: z.number().int().nonnegative().default(30_000),
    /**
     * Largest |local − venue| clock skew (ms) at which live orders are still sent: the nonce's recv
     * time comes from the local clock (see adapters/nado/nado-clock-guard.ts). Checked at open and
     * at most every `clockCheckMs` before an order.
     */
    maxClockSkewMs: z.number().int().positive().default(2_000),
    /** Wall ms after which the clock skew is measured again before the next order. */
    clockCheckMs: z.number().int().positive().default(60_000),
    limits: nadoLimits.default(nadoLimits.parse({})),
    urls: nadoUrls.default({}),
  })
  .strict();

export type NadoConfig = z.output<typeof nadoConfigSchema>;
