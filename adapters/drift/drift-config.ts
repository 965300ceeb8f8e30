import { z } from 'zod';

/** Optional endpoint overrides (loopback tests, devnet mirrors); unset = Drift's public ones for `env`. */
const driftUrlsSchema = z
  .object({
    /** Solana JSON-RPC (http); DRIFT_RPC_URL in the environment overrides it (it may carry an API key). */
    rpc: z.string().url().optional(),
    /** DLOB server REST base, e.g. https://dlob.drift.trade (serves /l2). */
    dlobHttp: z.string().url().optional(),
    /** DLOB server websocket, e.g. wss://dlob.drift.trade/ws (channel orderbook_perp_<index>). */
    dlobWs: z.string().optional(),
    /** Drift Data API base for 1-minute candles (warm-up), e.g. https://data.api.drift.trade. */
    data: z.string().url().optional(),
  })
  .strict();

/** Priority fee per compute unit on every transaction. */
const priorityFee = z
  .object({
    /** 'fixed': always `microLamports`; 'dynamic': the SDK's PriorityFeeSubscriber, capped at `maxMicroLamports`. */
    mode: z.enum(['fixed', 'dynamic']).default('fixed'),
    /** Micro-lamports per compute unit in fixed mode. */
    microLamports: z.number().int().min(0).default(10_000),
    /** Upper bound in dynamic mode (micro-lamports per compute unit). */
    maxMicroLamports: z.number().int().min(0).default(500_000),
    /** Compute units requested per transaction. */
    computeUnits: z.number().int().positive().default(600_000),
  })
  .strict();

/** RPC and transaction budgets (the same token-bucket limiter as every venue). */
const driftLimits = z
  .object({
    /** RPC requests within any 1 s (queries, lookups, backfills; each transaction counts one too). */
    rpcPerSecond: z.number().int().positive().default(10),
    /** Transactions (place, cancel) within any 1 s. */
    txPerSecond: z.number().int().positive().default(4),
  })
  .strict();

/** Drift through @drift-labs/sdk: DLOB books for paper mode; a subaccount in live mode. */
export const driftConfigSchema = z
  .object({
    env: z.enum(['mainnet-beta', 'devnet']).default('mainnet-beta'),
    /** Our symbol → Drift perp market index (SOL-PERP 0, BTC-PERP 1, ETH-PERP 2). */
    markets: z.record(z.string().min(1), z.number().int().min(0)).default({ 'SOL-PERP': 0, 'BTC-PERP': 1, 'ETH-PERP': 2 }),
    /** No book update for this long (wall ms) marks the stream stale: new entries pause until resynced. */
    staleAfterMs: z.number().int().positive().default(10_000),
    /**
     * Largest |local − chain block time| (ms) live trading starts with. Order-event backfills are
     * windowed by local time against block times (60 s overlap): a local clock far ahead of the
     * chain's would skip the fills of the gap they are meant to recover. Block times have 1 s
     * resolution and trail the cluster by about a second. Live mode checks it again at most every
     * `clockCheckMs` before an order and refuses the order unsent past it (drift-clock-guard.ts).
     */
    maxClockSkewMs: z.number().int().positive().default(20_000),
    /** Wall ms after which the clock skew is measured again before the next live order. */
    clockCheckMs: z.number().int().positive().default(60_000),
    /**
     * Drift program id (base58). Drift announced a relaunch with new programs after the 2026-04-01
     * exploit: live trading refuses unless the chain's program matches this.
     */
    programId: z.string().min(32).max(44).default('dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH'),
    /** Spot market index of the settlement (quote) asset; perp markets must settle in it. */
    settlementMarketIndex: z.number().int().min(0).default(0),
    /** Symbol the settlement spot market must carry (USDC today; USDT announced for the relaunch). */
    settlementSymbol: z.string().min(1).default('USDC'),
    /** SDK version live trading was checked against; doctor refuses another one. */
    sdkVersion: z.string().min(1).default('2.145.0'),
    /** Subaccount traded in live mode. */
    subAccountId: z.number().int().min(0).max(65_535).default(0),
    /** Environment variable holding the keypair: a JSON/keypair file path or a base58 secret. */
    keypairEnv: z.string().min(1).default('DRIFT_KEYPAIR'),
    /** Wall ms a sent transaction may stay unconfirmed before its outcome counts as unknown. */
    confirmTimeoutMs: z.number().int().positive().default(30_000),
    /** Wall ms between user-account refreshes (collateral, margin, orders); the runtime reads the cache. */
    accountRefreshMs: z.number().int().positive().default(2_000),
    /** Wall ms before a dropped DLOB websocket is reconnected (doubles up to 30 s). */
    reconnectDelayMs: z.number().int().positive().default(1_000),
    /**
     * Drift takes limit orders here: a market order (hedge unwind, close) goes out as an IOC limit
     * this many bps through the best opposite price of the streamed book.
     */
    marketSlippageBps: z.number().positive().max(2_000).default(100),
    /** Book levels kept per side. */
    bookDepth: z.number().int().positive().max(100).default(20),
    priorityFee: priorityFee.default(priorityFee.parse({})),
    limits: driftLimits.default(driftLimits.parse({})),
    urls: driftUrlsSchema.default({}),
  })
  .strict();

export type DriftConfig = z.output<typeof driftConfigSchema>;

/** Drift's public endpoints per environment. */
export const DRIFT_PUBLIC_URLS = {
  'mainnet-beta': {
    rpc: 'https://api.mainnet-beta.solana.com',
    dlobHttp: 'https://dlob.drift.trade',
    dlobWs: 'wss://dlob.drift.trade/ws',
    data: 'https://data.api.drift.trade',
  },
  devnet: {
    rpc: 'https://api.devnet.solana.com',
    dlobHttp: 'https://master.dlob.drift.trade',
    dlobWs: 'wss://master.dlob.drift.trade/ws',
    data: 'https://data.api.drift.trade',
  },
} as const;

export interface DriftUrls {
  readonly rpc: string;
  readonly dlobHttp: string;
  readonly dlobWs: string;
  readonly data: string;
}

/** Endpoints for a run: config overrides, then DRIFT_RPC_URL for the RPC, then the public ones. */
export function driftUrls(c: DriftConfig, env: Readonly<Record<string, string | undefined>>): DriftUrls {
  const pub = DRIFT_PUBLIC_URLS[c.env];
  return {
    rpc: env['DRIFT_RPC_URL'] ?? c.urls.rpc ?? pub.rpc,
    dlobHttp: c.urls.dlobHttp ?? pub.dlobHttp,
    dlobWs: c.urls.dlobWs ?? pub.dlobWs,
    data: c.urls.data ?? pub.data,
  };
}
