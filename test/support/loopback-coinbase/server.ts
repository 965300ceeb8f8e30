/**
 * A loopback Coinbase Advanced Trade venue on 127.0.0.1: the REST paths ccxt's `coinbase` class
 * calls (v3 brokerage), JWT (ES256, CDP key) checked on private paths, and the level2 /
 * heartbeats / market_trades WebSocket (see ./stream.ts). Faults are queued per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { readAdvanced } from './recordings.js';
import { LoopbackStream } from './stream.js';
import { LoopbackVenueState, type LoopbackOrder } from './venue-state.js';

type Json = Record<string, unknown>;

export type FaultKind = 'status_429' | 'status_500' | 'drop_after_create' | 'drop_before' | 'stall';

interface Fault {
  readonly method: string;
  readonly pathPrefix: string;
  readonly kind: FaultKind;
  remaining: number;
  readonly retryAfterS: number;
}

export interface RequestRecord {
  readonly ts: number;
  readonly method: string;
  readonly path: string;
  readonly private: boolean;
}

const API = '/api/v3/brokerage';

export class LoopbackCoinbase {
  readonly state: LoopbackVenueState;
  readonly stream: LoopbackStream;
  readonly requests: RequestRecord[] = [];
  /** The CDP key pair the venue trusts: give `apiKeyName` and `privateKeyPem` to the adapter. */
  readonly apiKeyName = 'organizations/loopback-org/apiKeys/loopback-key';
  readonly privateKeyPem: string;
  /** Added to the venue's clock (clock-skew checks). */
  serverTimeOffsetMs = 0;
  /** What GET /key_permissions says about the key's trade permission. */
  keyCanTrade = true;
  private readonly publicKey: KeyObject;
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly now: () => number = () => Date.now()) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    this.privateKeyPem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    this.publicKey = publicKey;
    this.state = new LoopbackVenueState(now);
    this.stream = new LoopbackStream(this.state, now, (t) => this.verifyJwt(t) !== null);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.stream.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  async stop(): Promise<void> {
    this.stream.closeAll();
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  /** The next `count` requests matching method and path prefix (below /api/v3/brokerage) fail this way. */
  inject(method: string, pathPrefix: string, kind: FaultKind, count = 1, retryAfterS = 1): void {
    this.faults.push({ method, pathPrefix: API + pathPrefix, kind, remaining: count, retryAfterS });
  }

  /** Fills a resting order (maker) by `contracts` at its limit price; pushes nothing on the stream. */
  fillResting(clientOrderId: string, contracts?: number): void {
    const o = this.state.byClient.get(clientOrderId);
    if (!o || o.status !== 'OPEN') throw new Error(`no open order ${clientOrderId}`);
    this.state.fill(o, contracts ?? o.size - o.filled, o.price, false);
    this.stream.userUpdate(o);
  }

  private takeFault(method: string, path: string): Fault | null {
    const f = this.faults.find((x) => x.remaining > 0 && x.method === method && path.startsWith(x.pathPrefix));
    if (!f) return null;
    f.remaining--;
    return f;
  }

  /** The claims of a JWT signed by the trusted key for our key name, unexpired; else null. */
  verifyJwt(token: string): Json | null {
    const [head, payload, sig] = token.split('.');
    if (!head || !payload || !sig) return null;
    const ok = verify('sha256', Buffer.from(`${head}.${payload}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
    const nowS = Math.floor(this.now() / 1000);
    return claims['sub'] === this.apiKeyName && Number(claims['exp']) >= nowS - 5 ? claims : null;
  }

  private authorized(req: IncomingMessage, method: string, path: string): boolean {
    const h = req.headers['authorization'];
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return false;
    const claims = this.verifyJwt(h.slice(7));
    const uri = String(claims?.['uri'] ?? '');
    return claims !== null && uri.startsWith(`${method} `) && uri.endsWith(path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const isPrivate = !path.startsWith(`${API}/market/`) && path !== `${API}/time`;
    this.requests.push({ ts: this.now(), method, path, private: isPrivate });
    const body = await readBody(req);
    const fault = this.takeFault(method, path);
    if (fault?.kind === 'drop_before') return void req.socket.destroy();
    if (fault?.kind === 'stall') return; // never answers
    if (fault?.kind === 'status_429') return send(res, 429, { error: 'rate_limit_exceeded', message: 'Too many requests' }, { 'retry-after': String(fault.retryAfterS) });
    if (fault?.kind === 'status_500') return send(res, 503, { error: 'internal', message: 'upstream unavailable' });
    if (isPrivate && !this.authorized(req, method, path)) return send(res, 401, { error: 'unauthorized', message: 'invalid JWT' });
    const out = this.route(method, path, url.searchParams, body);
    if (fault?.kind === 'drop_after_create') return void req.socket.destroy(); // the venue acted; the ack is lost
    send(res, out.status, out.body);
  }

  private route(method: string, path: string, q: URLSearchParams, body: Json): { status: number; body: unknown } {
    const ok = (b: unknown) => ({ status: 200, body: b });
    const s = this.state;
    if (method === 'GET' && path === `${API}/time`) {
      const t = this.now() + this.serverTimeOffsetMs;
      return ok({ iso: new Date(t).toISOString(), epochSeconds: String(Math.floor(t / 1000)), epochMillis: String(t) });
    }
    if (method === 'GET' && path === `${API}/market/products`) {
      const type = q.get('product_type');
      const list = [...s.products.values()].filter((p) => (type ? p['product_type'] === type : p['product_type'] !== 'FUTURE'));
      return ok({ products: list, num_products: list.length });
    }
    const candles = new RegExp(`^${API}/market/products/([^/]+)/candles$`).exec(path);
    if (method === 'GET' && candles) return ok(readAdvanced('http_candles.json'));
    if (method === 'GET' && path === `${API}/market/product_book`) {
      const id = q.get('product_id') ?? '';
      if (!s.product(id)) return { status: 404, body: { error: 'NOT_FOUND', message: 'product not found' } };
      const lv = (ls: { price: number; size: number }[]) => ls.map((l) => ({ price: String(l.price), size: String(l.size) }));
      return ok({ pricebook: { product_id: id, bids: lv(s.bids.get(id) ?? []), asks: lv(s.asks.get(id) ?? []), time: new Date(this.now()).toISOString() } });
    }
    if (method === 'POST' && path === `${API}/orders`) return ok(this.create(body));
    if (method === 'POST' && path === `${API}/orders/batch_cancel`) {
      const ids = Array.isArray(body['order_ids']) ? (body['order_ids'] as string[]) : [];
      const results = ids.map((id) => {
        const o = s.orders.get(id);
        if (!o || o.status !== 'OPEN') return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
        o.status = 'CANCELLED';
        this.stream.userUpdate(o);
        return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
      });
      return ok({ results });
    }
    if (method === 'GET' && path === `${API}/orders/historical/batch`) {
      const status = q.getAll('order_status');
      const products = q.getAll('product_ids');
      const list = [...s.orders.values()].filter((o) => (status.length === 0 || status.includes(o.status)) && (products.length === 0 || products.includes(o.productId)));
      return ok({ orders: list.map((o) => s.orderJson(o)), sequence: '0', has_next: false, cursor: '' });
    }
    if (method === 'GET' && path === `${API}/orders/historical/fills`) {
      const ids = q.getAll('order_ids');
      const since = q.get('start_sequence_timestamp');
      const sinceMs = since ? Date.parse(since) : 0;
      const list = s.fills.filter((f) => (ids.length === 0 || ids.includes(String(f['order_id']))) && Date.parse(String(f['sequence_timestamp'])) >= sinceMs);
      return ok({ fills: [...list].reverse(), cursor: '' });
    }
    const one = new RegExp(`^${API}/orders/historical/([^/]+)$`).exec(path);
    if (method === 'GET' && one) {
      const o = s.orders.get(decodeURIComponent(one[1]!));
      return o ? ok({ order: s.orderJson(o) }) : { status: 404, body: { error: 'NOT_FOUND', message: 'order not found' } };
    }
    if (method === 'GET' && path === `${API}/cfm/positions`) return ok({ positions: s.positionsJson() });
    if (method === 'GET' && path === `${API}/cfm/balance_summary`) return ok(readAdvanced('http_cfm_balance_summary.json'));
    if (method === 'GET' && path === `${API}/accounts`) return ok(readAdvanced('http_accounts.json'));
    if (method === 'GET' && path === `${API}/key_permissions`) return ok({ can_view: true, can_trade: this.keyCanTrade, can_transfer: false, portfolio_uuid: 'loopback-portfolio', portfolio_type: 'DEFAULT' });
    return { status: 404, body: { error: 'NOT_FOUND', message: `no route ${method} ${path}` } };
  }

  /** POST /orders: Coinbase returns the existing order when a client_order_id is reused. */
  private create(body: Json): Json {
    const s = this.state;
    s.createsReceived++;
    const clientOrderId = String(body['client_order_id'] ?? '');
    const productId = String(body['product_id'] ?? '');
    const side = body['side'] === 'SELL' ? 'SELL' : 'BUY';
    const config = (body['order_configuration'] ?? {}) as Json;
    const fail = (error: string, message: string): Json => ({
      success: false,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: '',
      error_response: { error, message, error_details: '', new_order_failure_reason: error },
      order_configuration: config,
    });
    const existing = s.byClient.get(clientOrderId);
    if (existing) return success(existing);
    if (!s.product(productId)) return fail('INVALID_PRODUCT_ID', 'unknown product');
    const [kind, params] = Object.entries(config)[0] ?? [];
    const p = (params ?? {}) as Json;
    const size = Number(p['base_size']);
    const price = Number(p['limit_price']);
    if (!(size > 0) || !(price > 0)) return fail('INVALID_ORDER_CONFIGURATION', 'base_size and limit_price required');
    if ('reduce_only' in body || 'reduceOnly' in body) return fail('UNSUPPORTED_ORDER_CONFIGURATION', 'reduce_only is not accepted here');
    const bestBid = s.bids.get(productId)?.[0]?.price ?? 0;
    const bestAsk = s.asks.get(productId)?.[0]?.price ?? Infinity;
    const crosses = side === 'BUY' ? price >= bestAsk : price <= bestBid;
    if (kind === 'limit_limit_gtc' && p['post_only'] === true && crosses) return fail('INVALID_LIMIT_PRICE_POST_ONLY', 'post-only order would cross');
    if (kind !== 'limit_limit_gtc' && kind !== 'sor_limit_ioc') return fail('UNSUPPORTED_ORDER_CONFIGURATION', `unsupported ${String(kind)}`);
    const o: LoopbackOrder = { orderId: s.newOrderId(), clientOrderId, productId, side, config, size, price, status: 'OPEN', filled: 0, createdMs: this.now(), lastFillMs: null };
    s.orders.set(o.orderId, o);
    s.byClient.set(clientOrderId, o);
    if (kind === 'sor_limit_ioc') {
      if (crosses) s.fill(o, size, side === 'BUY' ? bestAsk : bestBid, true);
      if (o.status === 'OPEN') o.status = 'CANCELLED';
    }
    this.stream.userUpdate(o);
    return success(o);
  }
}

function success(o: LoopbackOrder): Json {
  return {
    success: true,
    failure_reason: 'UNKNOWN_FAILURE_REASON',
    order_id: o.orderId,
    success_response: { order_id: o.orderId, product_id: o.productId, side: o.side, client_order_id: o.clientOrderId },
    order_configuration: o.config,
  };
}

function readBody(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      try {
        resolve(text ? (JSON.parse(text) as Json) : {});
      } catch {
        resolve({});
      }
    });
    req.on('error', () => resolve({}));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
