import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex } from '@noble/hashes/utils';
import type { Exchange } from 'ccxt';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { LimiterClass, WeightedLimiter } from '../../src/core/weighted-limiter.js';
import type { VenueQuirks, VenueRequestKind } from '../ccxt-common/venue-quirks.js';
import { archiveWeight } from './nado-quirks.js';

export type ErrorKind = 'rate_limited' | 'network' | 'not_found' | 'rejected';

/** Class names of an error and its ancestors (ccxt is loaded lazily, so its classes are read by name). */
function classChain(err: unknown): Set<string> {
  const out = new Set<string>();
  for (let p = err instanceof Error ? Object.getPrototypeOf(err) : null; p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    out.add((p as { constructor: { name: string } }).constructor.name);
  }
  return out;
}

/**
 * Classifies a thrown ccxt error. ccxt's OperationFailed family (network errors, timeouts, 5xx,
 * bad or empty responses, cancel pending) means the request may or may not have executed: a
 * create's outcome is unknown.
 */
export function classifyError(err: unknown): ErrorKind {
  const chain = classChain(err);
  const name = err instanceof Error ? err.constructor.name : '';
  if (chain.has('RateLimitExceeded') || chain.has('DDoSProtection')) return 'rate_limited';
  if (chain.has('OrderNotFound')) return 'not_found';
  if (chain.has('OperationFailed')) return 'network';
  // ccxt's fallback for an answer it cannot classify (an unknown error code, a 5xx body with an
  // `error` field): for a create that is an unknown outcome, settled by lookup.
  if (name === 'ExchangeError') return 'network';
  if (err instanceof Error && /timed out|ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(err.message)) return 'network';
  return 'rejected';
}

/** Nado's signed place_order payload, before it is sent. */
export interface PreparedPlace {
  readonly request: Record<string, unknown>;
  readonly digest: string;
  readonly nonce: string;
}

/**
 * Nado's REST surface through a ccxt instance: every request goes through the account's weighted
 * limiter (ccxt's own throttler is off), a 429 backs the limiter off for Retry-After.
 */
export class NadoRest {
  constructor(
    readonly ex: Exchange,
    private readonly limiter: WeightedLimiter,
    private readonly quirks: VenueQuirks,
    private readonly wall: Clock,
    private readonly logger: Logger,
  ) {
    // Every HTTP answer passes here with its status and headers: a 429 backs the whole account
    // off for Retry-After, whatever error class ccxt makes of the body afterwards.
    const hook = ex as unknown as { onRestResponse(status: number, ...rest: unknown[]): string };
    const orig = hook.onRestResponse.bind(ex);
    hook.onRestResponse = (status: number, ...rest: unknown[]) => {
      if (status === 429) {
        const ms = retryAfterMs(rest[3] as Record<string, unknown> | undefined, this.wall.now());
        this.logger.warn({ retryAfterMs: ms }, 'nado: 429, backing off');
        this.limiter.backoff(ms);
      }
      return orig(status, ...rest);
    };
  }

  /** One request of `kind`; `times` scales its weight (a cancel of n orders weighs n cancels). */
  async call<T>(kind: VenueRequestKind, cls: LimiterClass, fn: () => Promise<T>, times = 1): Promise<T> {
    const cost = this.quirks.cost(kind);
    await this.limiter.acquire(cls, times === 1 ? cost : cost.map((c) => ({ ...c, weight: c.weight * times })));
    try {
      return await fn();
    } catch (err) {
      if (classifyError(err) === 'rate_limited') this.limiter.backoff(1_000); // Nado's own rate-limit codes
      throw err;
    }
  }

  /** GET /query?type=… (Nado's gateway queries). */
  query(kind: VenueRequestKind, params: Record<string, unknown>, cls: LimiterClass = 'query'): Promise<Record<string, unknown>> {
    const ex = this.ex as unknown as { gatewayPublicGetQuery(p: object): Promise<Record<string, unknown>> };
    return this.call(kind, cls, () => ex.gatewayPublicGetQuery(params));
  }

  /** POST to the archive indexer (matches, orders, candlesticks), weighed by its body (archiveWeight). */
  async archive(_kind: VenueRequestKind, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ex = this.ex as unknown as { archivePost(p: object): Promise<Record<string, unknown>> };
    await this.limiter.acquire('query', [{ budget: 'queries', weight: archiveWeight(body) }]);
    try {
      return await ex.archivePost(body);
    } catch (err) {
      if (classifyError(err) === 'rate_limited') this.limiter.backoff(1_000);
      throw err;
    }
  }

  async contracts(): Promise<{ chainId: string; endpoint: string }> {
    const ex = this.ex as unknown as { queryContracts(): Promise<Record<string, unknown>> };
    const c = await this.call('time', 'query', () => ex.queryContracts());
    return { chainId: String(c['chain_id']), endpoint: String(c['endpoint_addr']) };
  }

  /**
   * Builds and signs a place_order with ccxt (no request yet) and computes its digest — the
   * EIP-712 hash Nado identifies the order by — so the order can be looked up even if the
   * acknowledgement is lost.
   */
  async preparePlace(symbol: string, side: 'buy' | 'sell', size: number, price: number, params: Record<string, unknown>): Promise<PreparedPlace> {
    await this.contracts(); // cached by ccxt after the first call
    const ex = this.ex as unknown as {
      createOrderRequest(s: string, t: string, sd: string, a: number, p: number, pr: object): Promise<Record<string, unknown>>;
      options: Record<string, unknown>;
      ethEncodeStructuredData(d: object, t: object, m: object): Uint8Array;
      orderVerifyingContract(id: number): string;
    };
    const request = await ex.createOrderRequest(symbol, 'limit', side, size, price, params);
    const place = request['place_order'] as { product_id: number; order: Record<string, string> };
    const chainId = String((ex.options['gatewayContracts'] as Record<string, unknown>)['chain_id']);
    const domain = { name: 'Nado', version: '0.0.1', chainId, verifyingContract: ex.orderVerifyingContract(place.product_id) };
    const types = {
      Order: [
        { name: 'sender', type: 'bytes32' },
        { name: 'priceX18', type: 'int128' },
        { name: 'amount', type: 'int128' },
        { name: 'expiration', type: 'uint64' },
        { name: 'nonce', type: 'uint64' },
        { name: 'appendix', type: 'uint128' },
      ],
    };
    // The EIP-712 digest (Keccak-256, Ethereum's padding), known before sending so a lost
    // acknowledgement can be settled by looking the digest up.
    const digest = `0x${bytesToHex(keccak_256(ex.ethEncodeStructuredData(domain, types, place.order)))}`;
    return { request, digest, nonce: String(place.order['nonce']) };
  }

  /**
   * Places an order: waits for the limiter FIRST, then signs (the signature's recv window starts
   * now, not before a wait), hands the prepared order to `beforeSend` (persist the digest), and
   * sends it once. Never retried here.
   */
  async place(
    cls: LimiterClass,
    prepare: () => Promise<PreparedPlace>,
    beforeSend: (p: PreparedPlace) => void,
  ): Promise<{ prepared: PreparedPlace; res: Record<string, unknown> }> {
    await this.limiter.acquire(cls, this.quirks.cost('place'));
    const prepared = await prepare();
    beforeSend(prepared);
    const ex = this.ex as unknown as { gatewayPrivatePostExecute(p: object): Promise<Record<string, unknown>> };
    try {
      return { prepared, res: await ex.gatewayPrivatePostExecute(prepared.request) };
    } catch (err) {
      if (classifyError(err) === 'rate_limited') this.limiter.backoff(1_000);
      throw err;
    }
  }

  now(): number {
    return this.wall.now();
  }
}

/** Retry-After (seconds or an HTTP date) → ms; 1 s when absent. */
export function retryAfterMs(headers: Record<string, unknown> | undefined, nowMs = 0): number {
  const raw = headers?.['Retry-After'] ?? headers?.['retry-after'];
  if (typeof raw === 'string' || typeof raw === 'number') {
    const s = Number(raw);
    if (Number.isFinite(s) && s >= 0) return Math.min(60_000, s * 1000);
    const at = Date.parse(String(raw));
    if (Number.isFinite(at) && nowMs > 0) return Math.max(0, Math.min(60_000, at - nowMs));
  }
  return 1000;
}
