/**
 * Raw Coinbase Advanced Trade REST client, named after the venue's endpoints. ccxt's `coinbase`
 * instance builds each URL and its ES256 JWT (`sign`); we send the request ourselves so status
 * codes, Retry-After and timeouts are ours to interpret (ccxt's throttler is never used).
 * Every request goes through the account's limiter (private 30/s, public 10/s).
 */
import type { Clock } from '../../src/core/clock.js';
import { DnbotError, ErrorCodes, VenueRejectError, VenueUnknownOutcomeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { RequestClass, VenueLimiter } from '../../src/core/venue-limiter.js';

type Json = Record<string, unknown>;

/** The one ccxt method we use: request signing (URL + JWT bearer) against `urls.api.rest`. */
export interface CoinbaseSigner {
  sign(path: string, api: string[], method: string, params: Json): { url: string; method: string; body?: string | undefined; headers?: Record<string, string> | undefined };
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface CoinbaseRestOptions {
  readonly signer: CoinbaseSigner;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly privateLimiter: VenueLimiter;
  readonly publicLimiter: VenueLimiter;
  readonly timeoutMs: number;
  readonly queryRetries: number;
  readonly fetch?: FetchLike;
}

/** An HTTP answer that is not 2xx. */
export class CoinbaseHttpError extends DnbotError {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | null,
    readonly body: string,
    path: string,
  ) {
    super(status === 429 ? ErrorCodes.VENUE_RATE_LIMITED : ErrorCodes.VENUE_REJECTED, `coinbase ${path}: HTTP ${status} ${body.slice(0, 160)}`, { status });
  }
}

/** Pages read at most from one list request (a bound on a cursor that never ends). */
const MAX_PAGES = 20;

/** The request never got an answer (timeout, dropped socket). */
class CoinbaseNoAnswer extends Error {}

function retryAfter(h: string | null): number | null {
  if (h === null) return null;
  const s = Number(h);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : null;
}

export class CoinbaseRest {
  private readonly fetchImpl: FetchLike;

  constructor(private readonly o: CoinbaseRestOptions) {
    this.fetchImpl = o.fetch ?? ((url, init) => fetch(url, init));
  }

  private async once(api: 'public' | 'private', method: 'GET' | 'POST', path: string, params: Json): Promise<unknown> {
    const signed = this.o.signer.sign(path, ['v3', api], method, params);
    const ctrl = new AbortController();
    const timer = this.o.clock.setTimer(this.o.timeoutMs, () => ctrl.abort());
    let res;
    let text: string;
    try {
      const init = { method, headers: { ...(signed.headers ?? {}), 'content-type': 'application/json' }, signal: ctrl.signal };
      res = await this.fetchImpl(signed.url, signed.body !== undefined ? { ...init, body: signed.body } : init);
      text = await res.text();
    } catch (e) {
      throw new CoinbaseNoAnswer(`coinbase ${path}: no answer (${e instanceof Error ? e.message : String(e)})`);
    } finally {
      this.o.clock.cancelTimer(timer);
    }
    if (res.status < 200 || res.status >= 300) {
      const err = new CoinbaseHttpError(res.status, retryAfter(res.headers.get('retry-after')), text, path);
      if (res.status === 429) (api === 'private' ? this.o.privateLimiter : this.o.publicLimiter).backoff(err.retryAfterMs ?? 1000);
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CoinbaseHttpError(res.status, null, text, path);
    }
  }

  /**
   * An idempotent request (a read, a cancel): retried after 429 (waiting Retry-After via the
   * limiter), 5xx or no answer, at most queryRetries times; still no answer is an unknown outcome.
   */
  private async retried(api: 'public' | 'private', method: 'GET' | 'POST', path: string, params: Json, cls: RequestClass): Promise<unknown> {
    const limiter = api === 'private' ? this.o.privateLimiter : this.o.publicLimiter;
    for (let attempt = 0; ; attempt++) {
      try {
        return await limiter.schedule(cls, () => this.once(api, method, path, params));
      } catch (e) {
        const retriable = e instanceof CoinbaseNoAnswer || (e instanceof CoinbaseHttpError && (e.status === 429 || e.status >= 500));
        if (!retriable || attempt >= this.o.queryRetries) throw e instanceof CoinbaseNoAnswer ? new VenueUnknownOutcomeError(e.message) : e;
        this.o.logger.warn({ path, attempt: attempt + 1, err: e instanceof Error ? e.message : String(e) }, 'coinbase request retried');
        if (!(e instanceof CoinbaseHttpError && e.status === 429)) await this.o.clock.sleep(250 * 2 ** attempt);
      }
    }
  }

  private query(api: 'public' | 'private', path: string, params: Json = {}): Promise<unknown> {
    return this.retried(api, 'GET', path, params, 'query');
  }

  time(): Promise<unknown> {
    return this.query('public', 'brokerage/time');
  }

  products(productType?: 'FUTURE'): Promise<unknown> {
    return this.query('public', 'brokerage/market/products', productType ? { product_type: productType } : {});
  }

  productBook(productId: string, limit: number): Promise<unknown> {
    return this.query('public', 'brokerage/market/product_book', { product_id: productId, limit });
  }

  candles(productId: string, startS: number, endS: number): Promise<unknown> {
    return this.query('public', 'brokerage/market/products/{product_id}/candles', { product_id: productId, start: String(startS), end: String(endS), granularity: 'ONE_MINUTE' });
  }

  /**
   * POST /orders. Sent once, never retried: a 429, 5xx, timeout or dropped socket is an unknown
   * outcome (settled by lookup of the client order id); a refusal is a {@link VenueRejectError}.
   */
  async createOrder(body: Json, cls: RequestClass): Promise<{ orderId: string }> {
    let res: unknown;
    try {
      res = await this.o.privateLimiter.schedule(cls, () => this.once('private', 'POST', 'brokerage/orders', body));
    } catch (e) {
      if (e instanceof CoinbaseHttpError && e.status !== 429 && e.status < 500) throw new VenueRejectError(e.message, { status: e.status });
      throw new VenueUnknownOutcomeError(e instanceof Error ? e.message : String(e), { clientOrderId: body['client_order_id'] });
    }
    const r = (res ?? {}) as Json;
    if (r['success'] === true) {
      const ok = (r['success_response'] ?? {}) as Json;
      const orderId = typeof ok['order_id'] === 'string' ? ok['order_id'] : typeof r['order_id'] === 'string' ? r['order_id'] : '';
      if (orderId === '') throw new VenueUnknownOutcomeError('coinbase create: success without an order id');
      return { orderId };
    }
    const er = (r['error_response'] ?? {}) as Json;
    const reason = String(er['new_order_failure_reason'] ?? er['error'] ?? r['failure_reason'] ?? 'UNKNOWN_FAILURE_REASON');
    throw new VenueRejectError(`coinbase refused the order: ${reason}${er['message'] ? ` (${String(er['message'])})` : ''}`, { reason });
  }

  /** POST /orders/batch_cancel; retried after 429/5xx (a cancel is idempotent). Per id: cancelled or why not. */
  async batchCancel(orderIds: readonly string[]): Promise<{ orderId: string; success: boolean; reason: string }[]> {
    const res = (await this.retried('private', 'POST', 'brokerage/orders/batch_cancel', { order_ids: [...orderIds] }, 'cancel')) as Json;
    const results = Array.isArray(res['results']) ? (res['results'] as Json[]) : [];
    return results.map((x) => ({ orderId: String(x['order_id']), success: x['success'] === true, reason: String(x['failure_reason'] ?? '') }));
  }

  /** GET /orders/historical/{order_id}; null when the venue does not know it (404). */
  async order(orderId: string): Promise<unknown | null> {
    try {
      return await this.query('private', 'brokerage/orders/historical/{order_id}', { order_id: orderId });
    } catch (e) {
      if (e instanceof CoinbaseHttpError && e.status === 404) return null;
      throw e;
    }
  }

  /** GET /orders/historical/batch (filters: status, product ids, order ids). */
  orders(filter: { status?: string[]; productIds?: string[]; orderIds?: string[]; startIso?: string }): Promise<unknown> {
    const p: Json = { limit: 250 };
    if (filter.status) p['order_status'] = filter.status;
    if (filter.productIds) p['product_ids'] = filter.productIds;
    if (filter.orderIds) p['order_ids'] = filter.orderIds;
    if (filter.startIso) p['start_date'] = filter.startIso;
    return this.paged('brokerage/orders/historical/batch', p, 'orders');
  }

  /**
   * Every page of a list endpoint (`cursor`; orders also say `has_next`), items concatenated in
   * the venue's order: a list longer than one page is never cut short.
   */
  private async paged(path: string, params: Json, key: string): Promise<Json> {
    const items: unknown[] = [];
    let cursor = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = (await this.query('private', path, cursor === '' ? params : { ...params, cursor })) as Json;
      if (!Array.isArray(res[key])) return res; // the caller's parser reports it
      items.push(...(res[key] as unknown[]));
      const next = typeof res['cursor'] === 'string' ? res['cursor'] : '';
      if (next === '' || next === cursor || res['has_next'] === false || (res[key] as unknown[]).length === 0) break;
      cursor = next;
    }
    return { [key]: items };
  }

  /** GET /orders/historical/fills since an ISO time (newest first on the wire). */
  fills(filter: { sinceIso: string; productIds?: string[]; orderIds?: string[] }): Promise<unknown> {
    const p: Json = { start_sequence_timestamp: filter.sinceIso, limit: 1000 };
    if (filter.productIds) p['product_ids'] = filter.productIds;
    if (filter.orderIds) p['order_ids'] = filter.orderIds;
    return this.paged('brokerage/orders/historical/fills', p, 'fills');
  }

  cfmPositions(): Promise<unknown> {
    return this.query('private', 'brokerage/cfm/positions');
  }

  cfmBalanceSummary(): Promise<unknown> {
    return this.query('private', 'brokerage/cfm/balance_summary');
  }

  /** GET /transaction_summary: the account's fee tier (maker and taker rates) for a product type. */
  transactionSummary(productType: 'SPOT' | 'FUTURE'): Promise<unknown> {
    return this.query('private', 'brokerage/transaction_summary', { product_type: productType });
  }

  /** GET /key_permissions: what the CDP key may do (view, trade, transfer). */
  keyPermissions(): Promise<unknown> {
    return this.query('private', 'brokerage/key_permissions');
  }

  accounts(): Promise<unknown> {
    return this.query('private', 'brokerage/accounts', { limit: 250 });
  }
}
