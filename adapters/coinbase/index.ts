/**
 * Opens Coinbase Advanced Trade for a run: products → instruments, warm-up candles, the market
 * stream; in live mode the execution venue (CDP key from the environment, never logged).
 */
import { ConfigError } from '../../src/core/errors.js';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Candle } from '../../src/core/types.js';
import type { VenueBundle, VenueOpenOptions } from '../../src/core/venue.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { COINBASE_KEY_ENV, COINBASE_PAPER_FEES, COINBASE_SECRET_ENV, type CoinbaseConfig } from './coinbase-config.js';
import { CoinbaseMarkets } from './coinbase-instruments.js';
import { parseCandles, parseProduct, parseTransactionSummary, obj, arr, type CoinbaseFees, type CoinbaseProduct } from './coinbase-parse.js';
import { coinbaseQuirks } from './coinbase-quirks.js';
import { CoinbaseHttpError, CoinbaseRest, type CoinbaseSigner, type FetchLike } from './coinbase-rest.js';
import { CoinbaseMarketSource } from './coinbase-market-source.js';
import { CoinbaseStream } from './coinbase-stream.js';
import { CoinbaseUserStream } from './coinbase-user-stream.js';
import { CoinbaseVenue } from './coinbase-venue.js';

export const COINBASE_REST_URL = 'https://api.coinbase.com';
export const COINBASE_WS_URL = 'wss://advanced-trade-ws.coinbase.com';
/** Coinbase's endpoint for the authenticated user channel. */
export const COINBASE_WS_USER_URL = 'wss://advanced-trade-ws-user.coinbase.com';

export interface CoinbaseKeys {
  readonly apiKey: string;
  readonly secret: string;
}

/** The CDP key from the environment; a missing variable is a ConfigError naming it (never a value). */
export function coinbaseKeys(env: Readonly<Record<string, string | undefined>>): CoinbaseKeys {
  const apiKey = env[COINBASE_KEY_ENV];
  const secret = env[COINBASE_SECRET_ENV];
  if (!apiKey) throw new ConfigError(COINBASE_KEY_ENV, 'missing: set it to the CDP API key name (organizations/…/apiKeys/…) for live trading');
  if (!secret) throw new ConfigError(COINBASE_SECRET_ENV, 'missing: set it to the CDP API key\'s EC private key (PEM) for live trading');
  // A PEM pasted into one line of an env file keeps its newlines as "\n".
  return { apiKey, secret: secret.includes('\\n') ? secret.replace(/\\n/g, '\n') : secret };
}

export const UNUSABLE_SECRET = "cannot sign requests: it must be the CDP API key's EC private key in PEM form (-----BEGIN EC PRIVATE KEY----- …), newlines kept or written as \\n";

/** ccxt's coinbase instance: URL building and ES256 JWT signing only (its throttler is off). */
export async function coinbaseSigner(cfg: CoinbaseConfig, keys: CoinbaseKeys | null): Promise<CoinbaseSigner & { wsJwt(seconds: number): string }> {
  const { default: ccxt } = await import('ccxt');
  const ex = new ccxt.coinbase({ enableRateLimit: false, options: { ...coinbaseQuirks.ccxtOptions }, ...(keys ? { apiKey: keys.apiKey, secret: keys.secret } : {}) });
  if (cfg.urls.rest !== undefined) (ex.urls['api'] as Record<string, string>)['rest'] = cfg.urls.rest;
  const raw = ex as unknown as CoinbaseSigner & { createAuthToken(seconds: number): string };
  if (keys !== null) {
    try {
      raw.createAuthToken(120);
    } catch {
      // The signing library's message may quote part of the secret: never passed on.
      throw new ConfigError(COINBASE_SECRET_ENV, UNUSABLE_SECRET);
    }
  }
  return {
    sign: (path, api, method, params) => raw.sign(path, api, method, params),
    // A JWT without a URI: what Coinbase's WebSocket subscribe messages carry.
    wsJwt: (seconds) => raw.createAuthToken(seconds),
  };
}

/** Share of a published limit we spend: the venue counts arrivals, we count grants (network jitter). */
export const LIMIT_HEADROOM = 0.9;

/**
 * A limiter that never grants more than 90 % of `perSecond` in any second: a token bucket whose
 * burst (a fifth) plus one second of sustained rate stays within it.
 */
export function limiterFor(wall: Clock, perSecond: number): VenueLimiter {
  const budget = perSecond * LIMIT_HEADROOM;
  const burst = Math.max(1, Math.floor(budget * 0.2));
  return new VenueLimiter({ clock: wall, ratePerSecond: Math.max(0.5, budget - burst), burst, concurrency: 8 });
}

export interface CoinbaseWiring {
  readonly rest: CoinbaseRest;
  readonly signer: CoinbaseSigner & { wsJwt(seconds: number): string };
  readonly privateLimiter: VenueLimiter;
  readonly publicLimiter: VenueLimiter;
}

export async function coinbaseRest(cfg: CoinbaseConfig, keys: CoinbaseKeys | null, wall: Clock, logger: Logger, fetchImpl?: FetchLike): Promise<CoinbaseWiring> {
  const privateLimiter = limiterFor(wall, cfg.limits.privatePerSecond);
  const publicLimiter = limiterFor(wall, cfg.limits.publicPerSecond);
  const signer = await coinbaseSigner(cfg, keys);
  const rest = new CoinbaseRest({
    signer,
    clock: wall,
    logger,
    privateLimiter,
    publicLimiter,
    timeoutMs: cfg.requestTimeoutMs,
    queryRetries: cfg.queryRetries,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return { rest, signer, privateLimiter, publicLimiter };
}

/** Spot and futures products; a product we cannot parse is skipped (logged), never half-used. */
export async function loadCoinbaseProducts(rest: CoinbaseRest, logger: Logger): Promise<CoinbaseProduct[]> {
  const out: CoinbaseProduct[] = [];
  let skipped = 0;
  for (const res of [await rest.products(), await rest.products('FUTURE')]) {
    for (const raw of arr(obj(res, 'products response')['products'], 'products')) {
      try {
        out.push(parseProduct(raw));
      } catch {
        skipped++;
      }
    }
  }
  if (skipped > 0) logger.warn({ skipped }, 'coinbase products skipped (unparseable)');
  return out;
}

/**
 * The fee rates a run books: a configured rate wins; else, with a key, the account's own tier from
 * GET /brokerage/transaction_summary (read once at start); else (paper, or the summary unreadable:
 * logged loudly) COINBASE_PAPER_FEES.
 */
export async function resolveCoinbaseFees(
  configured: { readonly makerFeeRate?: number | undefined; readonly takerFeeRate?: number | undefined },
  rest: Pick<CoinbaseRest, 'transactionSummary'> | null,
  productType: 'SPOT' | 'FUTURE',
  logger: Logger,
): Promise<CoinbaseFees> {
  let base: CoinbaseFees = COINBASE_PAPER_FEES;
  if (rest !== null && (configured.makerFeeRate === undefined || configured.takerFeeRate === undefined)) {
    try {
      base = parseTransactionSummary(await rest.transactionSummary(productType));
      logger.info({ ...base, productType }, 'coinbase: fee rates read from the account (transaction_summary)');
    } catch (e) {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'coinbase: the account fee tier could not be read; booking the default rates (set coinbase.fees to override)');
    }
  }
  return { makerFeeRate: configured.makerFeeRate ?? base.makerFeeRate, takerFeeRate: configured.takerFeeRate ?? base.takerFeeRate };
}

/**
 * Live mode refuses to start with a key Coinbase rejects or one without the trade permission
 * (a ConfigError naming the variable: exit code 2), before any order could be attempted.
 */
export async function requireTradingKey(rest: CoinbaseRest): Promise<void> {
  let perms: Record<string, unknown>;
  try {
    perms = (await rest.keyPermissions()) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof CoinbaseHttpError && (e.status === 401 || e.status === 403)) {
      throw new ConfigError(COINBASE_KEY_ENV, `Coinbase refused the key (HTTP ${e.status}): check ${COINBASE_KEY_ENV}, ${COINBASE_SECRET_ENV} and the system clock (dnbot doctor --venue coinbase)`);
    }
    throw e;
  }
  if (perms['can_trade'] !== true) throw new ConfigError(COINBASE_KEY_ENV, 'the key has no trade permission: create a CDP key that can trade');
}

export async function openCoinbaseVenue(o: VenueOpenOptions<CoinbaseConfig>, fetchImpl?: FetchLike): Promise<VenueBundle> {
  const cfg = o.config;
  const keys = o.mode === 'live' ? coinbaseKeys(o.env) : null;
  const { rest, signer } = await coinbaseRest(cfg, keys, o.wall, o.logger, fetchImpl);
  if (keys !== null) await requireTradingKey(rest);
  const products = await loadCoinbaseProducts(rest, o.logger);
  // Which products the symbols map to decides the fee tier asked for (futures or spot).
  const futures = CoinbaseMarkets.build(o.symbols, cfg.symbols, products, COINBASE_PAPER_FEES).all().some((m) => m.product.kind === 'future');
  const fees = await resolveCoinbaseFees(cfg.fees, keys === null ? null : rest, futures ? 'FUTURE' : 'SPOT', o.logger);
  const markets = CoinbaseMarkets.build(o.symbols, cfg.symbols, products, fees);
  const candles = new Map<string, readonly Candle[]>();
  const endS = Math.floor(o.wall.now() / 1000);
  for (const m of markets.all()) {
    try {
      candles.set(m.symbol, parseCandles(await rest.candles(m.product.productId, endS - cfg.historyBars * 60, endS)));
    } catch (e) {
      o.logger.warn({ symbol: m.symbol, err: e instanceof Error ? e.message : String(e) }, 'coinbase warm-up candles unavailable');
    }
  }
  const productOf = new Map(markets.all().map((m) => [m.symbol, m.product.productId]));
  const source = new CoinbaseMarketSource(markets.all().map((m) => m.instrument), candles, o.wall, productOf);
  let onHealth = (): void => undefined;
  const stream = new CoinbaseStream({
    url: cfg.urls.ws ?? COINBASE_WS_URL,
    productIds: markets.productIds(),
    symbols: { symbolOf: markets.symbolOf },
    wall: o.wall,
    logger: o.logger,
    staleAfterMs: cfg.staleAfterMs,
    bookStallMs: cfg.bookStallMs,
    reconnectDelayMs: cfg.reconnectDelayMs,
    depth: cfg.bookDepth,
    onEvent: (ev) => source.push(ev),
    onHealth: () => onHealth(),
  });
  source.attach(stream);
  stream.start();
  if (o.mode !== 'live') return { source, live: null };
  const venue = new CoinbaseVenue({ rest, markets, wall: o.wall, logger: o.logger, state: o.state, pollMs: cfg.pollMs, accountRefreshMs: cfg.accountRefreshMs, reduceOnly: cfg.reduceOnly });
  try {
    await venue.trackOpen();
  } catch (e) {
    // Nobody will get the bundle to close: the stream started above must not keep the process alive.
    await source.close();
    throw e;
  }
  venue.start();
  const user = new CoinbaseUserStream({
    url: cfg.urls.wsUser ?? cfg.urls.ws ?? COINBASE_WS_USER_URL,
    productIds: markets.productIds(),
    jwt: () => signer.wsJwt(Math.floor(o.wall.now() / 1000)),
    wall: o.wall,
    logger: o.logger,
    reconnectDelayMs: cfg.reconnectDelayMs,
    staleAfterMs: cfg.staleAfterMs,
    onActivity: () => venue.nudge(),
  });
  user.start();
  venue.onClose(() => user.close());
  if (cfg.cancelOnStale) {
    const guard = staleGuard(stream, venue, o.logger, o.wall);
    onHealth = guard.onHealth;
    venue.onClose(guard.close);
  }
  return { source, live: venue };
}

/** Wait between cancel-all attempts while a stale episode's cancel keeps failing (wall ms). */
export const STALE_CANCEL_RETRY_MS = 2_000;

/**
 * Coinbase offers no dead-man switch: when a sound stream goes stale (gap, drop, silence), our
 * resting quotes are priced on a book we no longer see, so every open order is cancelled once
 * per stale episode; a cancel-all that fails (the blip that dropped the stream often hits REST
 * too) is retried every STALE_CANCEL_RETRY_MS until it succeeds or the stream is sound again.
 * Entries pause meanwhile (feedHealth) and resume after the resync.
 */
export function staleGuard(
  stream: { health(): { readonly stale: ReadonlySet<string>; readonly reason: string | null } },
  venue: { cancelAll(reason: string): Promise<void> },
  logger: Logger,
  wall: Clock,
): { onHealth: () => void; close: () => void } {
  let sound = stream.health().stale.size === 0;
  let retry: TimerHandle | null = null;
  let closed = false;
  const stopRetry = (): void => {
    if (retry) wall.cancelTimer(retry);
    retry = null;
  };
  const attempt = (): void => {
    retry = null;
    const h = stream.health();
    if (closed || h.stale.size === 0) return;
    venue.cancelAll(`stale stream: ${h.reason ?? 'stale'}`).catch((e: unknown) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'coinbase cancel-all on a stale stream failed; retrying');
      if (!closed && !sound && retry === null) retry = wall.setTimer(STALE_CANCEL_RETRY_MS, attempt);
    });
  };
  return {
    onHealth: () => {
      if (stream.health().stale.size === 0) {
        sound = true;
        stopRetry();
        return;
      }
      if (!sound) return;
      sound = false;
      attempt();
    },
    close: () => {
      closed = true;
      stopRetry();
    },
  };
}
