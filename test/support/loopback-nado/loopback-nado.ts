import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashTypedData, recoverTypedDataAddress, type Hex } from 'viem';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  assetsAnswer, loadNadoRecorded, loopbackProducts, pairsAnswer, symbolsAnswer, x18,
  type LoopbackProduct, type NadoRecorded,
} from './nado-fixtures.js';

type Obj = Record<string, unknown>;
const X = 10n ** 18n;
const CHAIN_ID = 57073; // Ink mainnet

export interface LoopOrder {
  readonly digest: string;
  readonly productId: number;
  readonly sender: string;
  readonly priceX18: string;
  /** Signed x18 (negative = sell). */
  readonly amount: bigint;
  unfilled: bigint;
  readonly nonce: string;
  readonly appendix: string;
  readonly expiration: string;
  readonly cid: number | null;
  readonly placedAt: number;
  status: 'open' | 'filled' | 'cancelled';
}

export type Fault = { readonly on: 'place' | 'query' | 'cancel' | 'archive'; readonly kind: '429' | '500' | 'lose_ack' | 'hang'; readonly retryAfterS?: number };

/**
 * A Nado test venue on 127.0.0.1 speaking Nado's wire format (gateway v1 queries and executes,
 * v2 pairs/assets, archive, the subscription stream), built from the recorded payloads in
 * ../shared/data/venues/nado. Orders are checked like Nado does: EIP-712 signature recovered to
 * the wallet, digest = the typed-data hash. Faults are injected per request kind.
 */
export class LoopbackNado {
  readonly products: LoopbackProduct[];
  readonly orders = new Map<string, LoopOrder>();
  /** Every place_order that reached the venue, by digest (a digest twice = an order placed twice). */
  readonly placed: string[] = [];
  /** Wall ms of every request that reached the venue, by kind. */
  readonly requests: { kind: string; at: number; weight: number }[] = [];
  readonly faults: Fault[] = [];
  readonly positions = new Map<number, { amount: bigint; vQuote: bigint }>();
  readonly matches: Obj[] = [];
  wallet: string | null = null;
  silent = false;
  /** How far the `time` query's answer is off the real clock (a machine whose clock is off by minus this). */
  timeOffsetMs = 0;
  /** The archive indexer lags: it knows no order and no match yet. */
  archiveLagging = false;
  /** The archive spells digests in upper-case hex (the stream in lower case). */
  archiveUpperHex = false;
  /** Bodies of the archive `matches` queries received. */
  readonly archiveQueries: Obj[] = [];
  /** A cancel_orders naming a digest no longer open fails whole (2020), cancelling none: the worst reading of undocumented behaviour. */
  batchCancelAllOrNothing = false;
  /** The next open-orders listing of this product still shows the orders filled or cancelled since (an indexer lag), once. */
  staleListingOnce: number | null = null;
  /** Gateway query types answered with a 500. */
  readonly failingQueries = new Set<string>();
  private readonly books = new Map<number, { bids: Map<number, number>; asks: Map<number, number>; lastMaxTs: bigint }>();
  private readonly sockets = new Set<WebSocket>();
  private readonly subs = new Map<WebSocket, Obj[]>();
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private nsCounter = 0n;
  private submission = 1000;
  readonly rec: NadoRecorded;
  port = 0;

  constructor() {
    this.rec = loadNadoRecorded();
    this.products = loopbackProducts(this.rec);
    for (const p of this.products) {
      const bids = new Map<number, number>();
      const asks = new Map<number, number>();
      for (let i = 1; i <= 10; i++) {
        bids.set(round(p.mid - i * p.tick * 5, p.tick), 1 + i);
        asks.set(round(p.mid + i * p.tick * 5, p.tick), 1 + i);
      }
      this.books.set(p.productId, { bids, asks, lastMaxTs: this.ns() });
      this.positions.set(p.productId, { amount: 0n, vQuote: 0n });
    }
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.http(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/v1/subscribe' });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss?.close();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  /** Config `urls` pointing the adapter here. */
  urls(): Record<string, string> {
    const b = `http://127.0.0.1:${this.port}`;
    return { gateway: `${b}/v1`, gatewayV2: `${b}/v2`, archive: `${b}/archive`, archiveV2: `${b}/archive/v2`, trigger: `${b}/trigger`, subscribe: `ws://127.0.0.1:${this.port}/v1/subscribe` };
  }

  product(symbol: string): LoopbackProduct {
    return this.products.find((p) => p.symbol === symbol)!;
  }

  /** Publishes one chained book_depth frame (a level changes) on every product. */
  tick(): void {
    for (const p of this.products) this.publishBook(p.productId, [[round(p.mid - p.tick * 5, p.tick), 1 + Math.random()]], []);
  }

  publishBook(pid: number, bids: [number, number][], asks: [number, number][], breakChain = false): void {
    const b = this.books.get(pid)!;
    for (const [px, q] of bids) q > 0 ? b.bids.set(px, q) : b.bids.delete(px);
    for (const [px, q] of asks) q > 0 ? b.asks.set(px, q) : b.asks.delete(px);
    const max = this.ns();
    const frame = {
      type: 'book_depth', last_max_timestamp: (breakChain ? b.lastMaxTs + 1n : b.lastMaxTs).toString(), min_timestamp: max.toString(),
      max_timestamp: max.toString(), product_id: pid, bids: bids.map(([px, q]) => [x18(px), x18(q)]), asks: asks.map(([px, q]) => [x18(px), x18(q)]),
    };
    b.lastMaxTs = max;
    this.broadcast(frame, (s) => s['type'] === 'book_depth' && s['product_id'] === pid);
  }

  /** Books an order placed by someone else on `sender` (by hand, another bot). Returns its digest. */
  placeForeign(pid: number, sender: string, price: number, amount: number): string {
    const digest = '0x' + (this.submission++).toString(16).padStart(64, 'f');
    this.orders.set(digest, {
      digest, productId: pid, sender, priceX18: x18(price), amount: BigInt(x18(amount)), unfilled: BigInt(x18(amount)), nonce: '1',
      appendix: '1', expiration: '4294967295', cid: null, placedAt: Math.floor(Date.now() / 1000), status: 'open',
    });
    return digest;
  }

  /** Publishes one public trade (Nado's `trade` stream shape). */
  publishTrade(pid: number, price: number, qty: number, takerBuys: boolean): void {
    const t = { type: 'trade', timestamp: this.ns().toString(), product_id: pid, price: x18(price), taker_qty: x18(qty), maker_qty: x18(qty), is_taker_buyer: takerBuys };
    this.broadcast(t, (s) => s['type'] === 'trade' && s['product_id'] === pid);
  }

  /** Sends raw text to every socket (malformed-message tests). */
  sendRaw(text: string): void {
    for (const s of this.sockets) s.send(text);
  }

  dropSockets(): void {
    for (const s of this.sockets) s.terminate();
  }

  /**
   * Several matches of one order in one submission (a taker sweeping levels): one fill and one
   * order update per match, all under the same `submission_idx`.
   */
  sweep(digest: string, qtys: readonly number[], isTaker = true): void {
    const idx = String(this.submission++);
    for (const q of qtys) this.fill(digest, q, isTaker, idx);
  }

  /** Fills `qty` (base) of a resting order as maker; emits fill and order_update. `submissionIdx`: the submission it is part of (a new one when absent). */
  fill(digest: string, qty: number, isTaker = false, submissionIdx?: string): void {
    const o = this.orders.get(digest)!;
    const q = BigInt(x18(qty));
    const sign = o.amount < 0n ? -1n : 1n;
    const take = q > sign * o.unfilled ? sign * o.unfilled : q;
    o.unfilled -= sign * take;
    if (o.unfilled === 0n) o.status = 'filled';
    const price = BigInt(o.priceX18);
    const quote = (take * price) / X;
    const pos = this.positions.get(o.productId)!;
    pos.amount += sign * take;
    pos.vQuote -= sign * quote;
    const p = this.products.find((x) => x.productId === o.productId)!;
    const fee = (quote * BigInt(x18(isTaker ? p.takerFee : p.makerFee))) / X;
    const idx = submissionIdx ?? String(this.submission++);
    const ts = this.ns();
    this.matches.push({
      digest, order: { sender: o.sender, priceX18: o.priceX18, amount: o.amount.toString(), expiration: o.expiration, nonce: o.nonce },
      // quote_filled includes the fee (negative for buys), as the archive reports it.
      base_filled: (sign * take).toString(), quote_filled: (-sign * quote - fee).toString(), fee: fee.toString(), submission_idx: idx, is_taker: isTaker,
      cumulative_base_filled: (o.amount - o.unfilled).toString(), // signed like base_filled
      _tx: { submission_idx: idx, product_id: o.productId, timestamp: String(ts / 1_000_000_000n) },
    });
    const fill: Obj = {
      type: 'fill', timestamp: ts.toString(), product_id: o.productId, subaccount: o.sender, order_digest: digest, appendix: o.appendix,
      filled_qty: take.toString(), remaining_qty: (sign * o.unfilled).toString(), original_qty: (sign * o.amount).toString(), price: o.priceX18,
      is_taker: isTaker, is_bid: sign > 0n, fee: fee.toString(), submission_idx: Number(idx),
    };
    if (o.cid !== null) fill['id'] = o.cid;
    this.broadcast(fill, (s) => s['type'] === 'fill' && s['product_id'] === o.productId);
    // Nado sends reason "filled" on every match, amount = the size still open.
    this.orderUpdate(o, 'filled');
  }

  private orderUpdate(o: LoopOrder, reason: string): void {
    const u: Obj = { type: 'order_update', timestamp: this.ns().toString(), product_id: o.productId, digest: o.digest, amount: o.unfilled.toString(), reason };
    if (o.cid !== null) u['id'] = o.cid;
    this.broadcast(u, (s) => s['type'] === 'order_update' && s['product_id'] === o.productId);
  }

  private ns(): bigint {
    this.nsCounter += 1000n;
    return BigInt(Date.now()) * 1_000_000n + this.nsCounter;
  }

  private broadcast(msg: Obj, want: (sub: Obj) => boolean): void {
    if (this.silent) return;
    const text = JSON.stringify(msg);
    for (const [ws, subs] of this.subs) if (subs.some(want)) ws.send(text);
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    this.subs.set(ws, []);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.subs.delete(ws);
    });
    let authed = false;
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Obj;
      if (m['method'] === 'authenticate') authed = true;
      if (m['method'] === 'subscribe') {
        const stream = m['stream'] as Obj;
        if ((stream['type'] === 'fill' || stream['type'] === 'order_update') && !authed) {
          ws.send(JSON.stringify({ error: 'not authenticated', id: m['id'] }));
          return;
        }
        this.subs.get(ws)?.push(stream);
      }
      ws.send(JSON.stringify({ result: null, id: m['id'] }));
    });
  }

  private fault(on: Fault['on']): Fault | null {
    const i = this.faults.findIndex((f) => f.on === on);
    return i < 0 ? null : this.faults.splice(i, 1)[0]!;
  }

  private async http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    for await (const c of req) body += String(c);
    const json = (code: number, v: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(v));
    };
    const path = url.pathname;
    const q = Object.fromEntries(url.searchParams);
    const kind = path === '/v1/execute' ? (body.includes('place_order') ? 'place' : 'cancel') : path.startsWith('/archive') ? 'archive' : 'query';
    this.requests.push({ kind, at: Date.now(), weight: 1 });
    const f = this.fault(kind as Fault['on']);
    if (f?.kind === '429') return json(429, { status: 'failure', error: 'rate limited' }, { 'retry-after': String(f.retryAfterS ?? 1) });
    if (f?.kind === '500') return json(500, { error: 'internal' });
    if (f?.kind === 'hang') return; // never answers: the client times out
    if (path === '/v1/symbols') return json(200, symbolsAnswer(this.products));
    if (path === '/v2/pairs') return json(200, pairsAnswer(this.products));
    if (path === '/v2/assets') return json(200, assetsAnswer(this.rec, this.products));
    // Nado's `time` query (ccxt fetchTime: the gateway's edge query), on the venue's clock.
    if (path === '/v1/edge/query' && q['type'] === 'time') return json(200, { status: 'success', method: 'time', server_time: String(Date.now() + this.timeOffsetMs) });
    if (path === '/v1/query') return this.failingQueries.has(q['type'] ?? '') ? json(500, { error: 'internal' }) : json(200, this.query(q));
    if (path === '/archive/v2/contracts') return json(200, this.contracts());
    if (path === '/archive') return json(200, this.archive(JSON.parse(body || '{}') as Obj));
    if (path === '/v1/execute') {
      const out = await this.execute(JSON.parse(body) as Obj);
      if (f?.kind === 'lose_ack') {
        res.socket?.destroy(); // processed, but the answer never arrives
        return;
      }
      return json(200, out);
    }
    json(404, { error: 'not found' });
  }

  private query(q: Record<string, string>): Obj {
    switch (q['type']) {
      case 'status':
        return this.rec.http['fetchStatus']!.httpResponse as Obj;
      case 'contracts':
        return { status: 'success', data: { chain_id: String(CHAIN_ID), endpoint_addr: String(this.rec.deployment['endpoint']).toLowerCase() }, request_type: 'query_contracts' };
      case 'market_liquidity': {
        const b = this.books.get(Number(q['product_id']))!;
        const lv = (m: Map<number, number>, desc: boolean): string[][] =>
          [...m.entries()].sort((a, c) => (desc ? c[0] - a[0] : a[0] - c[0])).map(([px, s]) => [x18(px), x18(s)]);
        return { status: 'success', data: { bids: lv(b.bids, true), asks: lv(b.asks, false), timestamp: b.lastMaxTs.toString() }, request_type: 'query_market_liquidity' };
      }
      case 'order': {
        const o = this.orders.get(String(q['digest']));
        if (!o || o.status !== 'open') return { status: 'failure', error_code: 2020, error: 'Order with the provided digest could not be found', request_type: 'query_order' };
        return { status: 'success', data: this.orderJson(o), request_type: 'query_order' };
      }
      case 'subaccount_orders': {
        const pid = Number(q['product_id']);
        const stale = this.staleListingOnce === pid;
        if (stale) this.staleListingOnce = null;
        const orders = [...this.orders.values()].filter((o) => (stale || o.status === 'open') && o.productId === pid && o.sender === q['sender']);
        return { status: 'success', data: { sender: q['sender'], product_id: pid, orders: orders.map((o) => this.orderJson(o)) }, request_type: 'query_subaccount_orders' };
      }
      case 'subaccount_info': {
        const perp = [...this.positions.entries()].map(([pid, p]) => ({ product_id: pid, balance: { amount: p.amount.toString(), v_quote_balance: p.vQuote.toString(), last_cumulative_funding_x18: '0' } }));
        const h = (v: number): Obj => ({ assets: x18(v), liabilities: '0', health: x18(v) });
        return {
          status: 'success',
          data: { subaccount: q['subaccount'], exists: true, healths: [h(9000), h(9500), h(10_000)], spot_balances: [{ product_id: 0, balance: { amount: x18(10_000) } }], perp_balances: perp, perp_products: [] },
          request_type: 'query_subaccount_info',
        };
      }
      default:
        return { status: 'failure', error_code: 1005, error: `unknown query ${q['type']}` };
    }
  }

  /** archive v2 `contracts`: keyed by ticker id; funding_rate is a 24-hour rate. */
  private contracts(): Obj {
    return Object.fromEntries(this.products.map((p) => [`${p.symbol}_USDT0`, {
      ticker_id: `${p.symbol}_USDT0`, product_id: p.productId, base_currency: p.base, quote_currency: 'USDT0', product_type: 'perpetual',
      mark_price: p.mid + p.tick, index_price: p.mid, funding_rate: 0.0024, next_funding_rate_timestamp: Math.floor(Date.now() / 1000) + 3600,
    }]));
  }

  private archive(b: Obj): Obj {
    if (b['candlesticks']) {
      // Newest first, as the archive answers; closes step up by one tick a minute.
      const c = b['candlesticks'] as Obj;
      const p = this.products.find((x) => x.productId === Number(c['product_id']))!;
      const n = Math.min(Number(c['limit'] ?? 100), 30);
      const now = Math.floor(Date.now() / 60_000) * 60;
      return {
        candlesticks: Array.from({ length: n }, (_, i) => {
          const close = p.mid - i * p.tick;
          return {
            product_id: p.productId, granularity: 60, submission_idx: String(i), timestamp: String(now - 60 * (i + 1)),
            open_x18: x18(close - p.tick), high_x18: x18(close + p.tick), low_x18: x18(close - 2 * p.tick), close_x18: x18(close), volume: x18(5),
          };
        }),
      };
    }
    if (this.archiveLagging && (b['orders'] || b['matches'])) return b['orders'] ? { orders: [] } : { matches: [], txs: [] };
    if (b['orders']) {
      const digests = ((b['orders'] as Obj)['digests'] ?? []) as string[];
      const orders = digests
        .map((d) => this.orders.get(d))
        .filter((o): o is LoopOrder => o !== undefined && o.status !== 'open')
        .map((o) => ({ digest: o.digest, product_id: o.productId, amount: o.amount.toString(), base_filled: (o.amount - o.unfilled).toString(), price_x18: o.priceX18 }));
      return { orders };
    }
    if (b['matches']) {
      const spell = (m: Obj): Obj => (this.archiveUpperHex ? { ...m, digest: `0x${String(m['digest']).slice(2).toUpperCase()}` } : m);
      // Newest first; `limit` rows at most; `idx` is an inclusive submission_idx cursor.
      const q = b['matches'] as Obj;
      const limit = Number(q['limit'] ?? 100);
      const idx = q['idx'] === undefined ? null : BigInt(String(q['idx']));
      const page = [...this.matches].reverse().filter((m) => idx === null || BigInt(String(m['submission_idx'])) <= idx).slice(0, limit);
      this.archiveQueries.push(q);
      return { matches: page.map(({ _tx, ...m }) => spell(m)), txs: page.map((m) => m['_tx']) };
    }
    return {};
  }

  private async execute(b: Obj): Promise<Obj> {
    if (b['place_order']) return this.place(b['place_order'] as Obj);
    if (b['cancel_orders']) {
      const tx = (b['cancel_orders'] as Obj)['tx'] as Obj;
      const named = (tx['digests'] ?? []) as string[];
      const cancelled = named.map((d) => this.orders.get(d)).filter((o): o is LoopOrder => o?.status === 'open');
      if (cancelled.length === 0 || (this.batchCancelAllOrNothing && cancelled.length < named.length)) return { status: 'failure', error_code: 2020, error: 'order not found', request_type: 'execute_cancel_orders' };
      for (const o of cancelled) this.cancel(o);
      return { status: 'success', data: { cancelled_orders: cancelled.map((o) => this.orderJson(o)) }, request_type: 'execute_cancel_orders' };
    }
    if (b['cancel_product_orders']) {
      const tx = (b['cancel_product_orders'] as Obj)['tx'] as Obj;
      const pids = (tx['productIds'] ?? []) as number[];
      const cancelled = [...this.orders.values()].filter((o) => o.status === 'open' && o.sender === tx['sender'] && pids.includes(o.productId));
      for (const o of cancelled) this.cancel(o);
      return { status: 'success', data: { cancelled_orders: cancelled.map((o) => this.orderJson(o)) }, request_type: 'execute_cancel_product_orders' };
    }
    return { status: 'failure', error_code: 1005, error: 'unknown execute' };
  }

  private cancel(o: LoopOrder): void {
    o.status = 'cancelled';
    this.orderUpdate(o, 'cancelled');
  }

  private async place(p: Obj): Promise<Obj> {
    const pid = Number(p['product_id']);
    const order = p['order'] as Record<string, string>;
    const typed = {
      domain: { name: 'Nado', version: '0.0.1', chainId: CHAIN_ID, verifyingContract: ('0x' + pid.toString(16).padStart(40, '0')) as Hex },
      types: { Order: [
        { name: 'sender', type: 'bytes32' }, { name: 'priceX18', type: 'int128' }, { name: 'amount', type: 'int128' },
        { name: 'expiration', type: 'uint64' }, { name: 'nonce', type: 'uint64' }, { name: 'appendix', type: 'uint128' },
      ] },
      primaryType: 'Order' as const,
      message: {
        sender: order['sender'] as Hex, priceX18: BigInt(order['priceX18']!), amount: BigInt(order['amount']!),
        expiration: BigInt(order['expiration']!), nonce: BigInt(order['nonce']!), appendix: BigInt(order['appendix']!),
      },
    };
    const signer = await recoverTypedDataAddress({ ...typed, signature: p['signature'] as Hex });
    if (this.wallet && signer.toLowerCase() !== this.wallet.toLowerCase()) {
      return { status: 'failure', error_code: 2028, error: 'invalid signature', request_type: 'execute_place_order' };
    }
    const digest = hashTypedData(typed);
    this.placed.push(digest);
    if (this.orders.has(digest)) return { status: 'failure', error_code: 2013, error: 'duplicate order', request_type: 'execute_place_order' };
    const recvTime = Number(BigInt(order['nonce']!) >> 20n);
    if (recvTime < Date.now()) return { status: 'failure', error_code: 2011, error: 'recv time passed', request_type: 'execute_place_order' };
    const amount = BigInt(order['amount']!);
    const appendix = BigInt(order['appendix']!);
    const type = Number((appendix >> 9n) & 3n);
    const o: LoopOrder = {
      digest, productId: pid, sender: order['sender']!, priceX18: order['priceX18']!, amount, unfilled: amount, nonce: order['nonce']!,
      appendix: order['appendix']!, expiration: order['expiration']!, cid: typeof p['id'] === 'number' ? p['id'] : null, placedAt: Math.floor(Date.now() / 1000), status: 'open',
    };
    const book = this.books.get(pid)!;
    const px = Number(BigInt(order['priceX18']!)) / 1e18;
    const crosses = amount > 0n ? px >= Math.min(...book.asks.keys()) : px <= Math.max(...book.bids.keys());
    if (crosses && type === 3) return { status: 'failure', error_code: 2008, error: 'post-only order crosses the book', request_type: 'execute_place_order' };
    if (((appendix >> 11n) & 1n) === 1n) {
      const pos = this.positions.get(pid)!.amount;
      if (pos === 0n || (pos > 0n) === (amount > 0n) || (amount < 0n ? -amount : amount) > (pos < 0n ? -pos : pos)) {
        return { status: 'failure', error_code: 2064, error: 'reduce-only order increases position', request_type: 'execute_place_order' };
      }
    }
    this.orders.set(digest, o);
    this.orderUpdate(o, 'placed');
    if (crosses) this.fill(digest, Math.abs(Number(amount)) / 1e18, true);
    else if (type === 1 || type === 2) this.cancel(o);
    return { status: 'success', signature: p['signature'], data: { digest }, request_type: 'execute_place_order', ...(p['id'] !== undefined ? { id: p['id'] } : {}) };
  }

  private orderJson(o: LoopOrder): Obj {
    return {
      product_id: o.productId, sender: o.sender, price_x18: o.priceX18, amount: o.amount.toString(), expiration: o.expiration, nonce: o.nonce,
      unfilled_amount: o.unfilled.toString(), digest: o.digest, placed_at: o.placedAt, appendix: o.appendix, order_type: 'default',
    };
  }
}

function round(v: number, tick: number): number {
  return Math.round(v / tick) * tick;
}
