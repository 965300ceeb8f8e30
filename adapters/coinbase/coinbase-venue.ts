/**
 * Coinbase Advanced Trade execution venue (live mode). Orders over REST with our client order id
 * in `client_order_id`, written to the VenueStateStore before the create is sent and completed
 * with the venue order id on the ack, so lookups, cancels, fills and reduce-only reservations
 * survive restarts. Fills and order changes are polled at a bounded rate (Coinbase's user stream
 * carries no fills); a fill whose order is not yet mapped (lost create ack) is kept and delivered
 * once the order is recognised by its client id. Reduce-only is enforced here.
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import { DnbotError, ErrorCodes, VenueRejectError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { AccountState, Fill, Instrument, OrderRequest, Position } from '../../src/core/types.js';
import type { FillListener, LiveVenue, OrderUpdateListener, VenueAlert, VenueAlertSource, VenueCapabilities, VenueOrder, VenueStateStore } from '../../src/core/venue.js';
import { requestClassOf } from '../../src/core/venue-limiter.js';
import { orderBody, type CoinbaseMarkets } from './coinbase-instruments.js';
import { arr, obj, parseBalanceSummary, parseFill, parseOrder, parsePosition, parseSpotAccount } from './coinbase-parse.js';
import type { CoinbaseRest } from './coinbase-rest.js';
import { CoinbaseFillPoller } from './coinbase-fill-poller.js';

export interface CoinbaseVenueOptions {
  readonly rest: CoinbaseRest;
  readonly markets: CoinbaseMarkets;
  readonly wall: Clock;
  readonly logger: Logger;
  readonly state: VenueStateStore;
  readonly pollMs: number;
  readonly accountRefreshMs: number;
  /** Global reduce-only switch. */
  readonly reduceOnly: boolean;
}

interface Tracked {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly reduceOnly: boolean;
  readonly size: number;
  last: VenueOrder | null;
  /** Lookups that found no trace of it (while it was never seen on the venue). */
  misses: number;
}

/** What survives a restart per client order id (`cid:<id>`); orderId null until the venue acks. */
interface Stored {
  readonly orderId: string | null;
  readonly productId: string;
  readonly reduceOnly: boolean;
  readonly size: number;
  /** Wall ms the create was written ahead (absent in older entries): lookups list orders from a little before it. */
  readonly createdTs?: number;
}

const TERMINAL = new Set(['filled', 'canceled', 'rejected', 'expired']);
/**
 * Lookups by client order id list orders created from this long before ours was written ahead:
 * Coinbase has no filter by client order id, so the listing is filtered here, and `start_date`
 * keeps it from paging through the whole history (clock skew and queueing covered).
 */
const LOOKUP_START_MARGIN_MS = 10 * 60_000;
/** Empty lookups after which an unseen create counts as never placed (the order manager's default). */
const FORGET_AFTER_MISSES = 3;

export class CoinbaseVenue implements LiveVenue, VenueAlertSource {
  readonly name = 'coinbase';
  readonly capabilities: VenueCapabilities = { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 64 };
  private readonly fillListeners: FillListener[] = [];
  private readonly updateListeners: OrderUpdateListener[] = [];
  private readonly alertListeners: ((a: VenueAlert) => void)[] = [];
  private readonly clientByOrder = new Map<string, string>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly fills: CoinbaseFillPoller;
  private pollTimer: TimerHandle | null = null;
  private polling = false;
  private again = false;
  private readonly closers: (() => void)[] = [];
  private closed = false;
  private accountCache: { at: number; value: AccountState } | null = null;
  private accountRefresh: Promise<AccountState> | null = null;

  constructor(private readonly o: CoinbaseVenueOptions) {
    this.fills = new CoinbaseFillPoller({
      rest: o.rest, markets: o.markets, wall: o.wall, logger: o.logger, clientOf: this.clientOf, readFill: (raw) => this.readFill(raw),
      isOurs: (clientOrderId) => this.stored(clientOrderId) !== null,
      adopt: (clientOrderId, orderId, productId) => this.remember(clientOrderId, orderId, productId),
      onFill: (f) => {
        for (const l of this.fillListeners) l(f);
      },
      onAlert: (a) => this.alert(a),
    });
    for (const { key, value } of o.state.list('cid:')) {
      const orderId = (JSON.parse(value) as Stored).orderId;
      if (orderId !== null) this.clientByOrder.set(orderId, key.slice(4));
    }
  }

  async instruments(): Promise<readonly Instrument[]> {
    return this.o.markets.all().map((m) => m.instrument);
  }

  onFill(l: FillListener): void {
    this.fillListeners.push(l);
  }

  onOrderUpdate(l: OrderUpdateListener): void {
    this.updateListeners.push(l);
  }

  onVenueAlert(l: (a: VenueAlert) => void): void {
    this.alertListeners.push(l);
  }

  /** Delivers a venue alert (fill adjustments from the fill poll); a failing listener is logged. */
  private alert(a: VenueAlert): void {
    for (const l of this.alertListeners) {
      try {
        l(a);
      } catch (e) {
        this.o.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'coinbase: alert listener failed');
      }
    }
  }

  /** After a restart: our orders still open on the venue are tracked again (updates, reduce-only reservations). */
  async trackOpen(): Promise<void> {
    for (const vo of await this.openOrders()) {
      const s = this.stored(vo.clientOrderId);
      if (s === null) continue; // not placed by us
      this.tracked.set(vo.clientOrderId, { clientOrderId: vo.clientOrderId, symbol: vo.symbol, reduceOnly: s.reduceOnly ?? false, size: s.size ?? vo.filledSize, last: vo, misses: 0 });
      // Sent before the process died, its ack lost: the venue's id completes the written-ahead entry.
      if (s.orderId === null) this.remember(vo.clientOrderId, vo.venueOrderId, this.o.markets.bySym(vo.symbol).product.productId);
    }
  }

  /** Starts the bounded-rate poll of fills and working orders. */
  start(): void {
    this.schedulePoll();
  }

  private remember(clientOrderId: string, orderId: string, productId: string): void {
    this.clientByOrder.set(orderId, clientOrderId);
    const t = this.tracked.get(clientOrderId);
    const prev = this.stored(clientOrderId);
    const createdTs = prev?.createdTs;
    this.store(clientOrderId, { orderId, productId, reduceOnly: t?.reduceOnly ?? prev?.reduceOnly ?? false, size: t?.size ?? prev?.size ?? 0, ...(createdTs !== undefined ? { createdTs } : {}) });
  }

  private store(clientOrderId: string, s: Stored): void {
    this.o.state.set(`cid:${clientOrderId}`, JSON.stringify(s));
  }

  private stored(clientOrderId: string): Partial<Stored> & { orderId: string | null } | null {
    const v = this.o.state.get(`cid:${clientOrderId}`);
    return v === null ? null : (JSON.parse(v) as Partial<Stored> & { orderId: string | null });
  }

  private orderIdOf(clientOrderId: string): string | null {
    return this.stored(clientOrderId)?.orderId ?? null;
  }

  private readonly clientOf = (orderId: string): string | null => this.clientByOrder.get(orderId) ?? null;

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const m = this.o.markets.bySym(req.symbol);
    const reduceOnly = req.reduceOnly || this.o.reduceOnly;
    if (reduceOnly) await this.checkReduceOnly(req);
    const body = orderBody(req, m.product);
    const config = Object.values(body['order_configuration'] as Record<string, { base_size: string; limit_price?: string }>)[0];
    const contracts = Number(config?.base_size);
    if (!(contracts > 0)) throw new VenueRejectError(`coinbase: ${req.size} ${req.symbol} is below one contract step`, { clientOrderId: req.clientOrderId });
    const limit = Number(config?.limit_price);
    if (req.price !== undefined && !(Number.isFinite(limit) && limit > 0)) {
      throw new VenueRejectError(`coinbase: price ${req.price} for ${req.symbol} is not a positive price on the ${m.product.tick} grid`, { clientOrderId: req.clientOrderId });
    }
    const cls = requestClassOf({ ...req, reduceOnly });
    this.tracked.set(req.clientOrderId, { clientOrderId: req.clientOrderId, symbol: req.symbol, reduceOnly, size: req.size, last: null, misses: 0 });
    // Written ahead: a restart after a lost ack still knows the order is ours and what it reserves.
    this.store(req.clientOrderId, { orderId: null, productId: m.product.productId, reduceOnly, size: req.size, createdTs: this.o.wall.now() });
    try {
      const { orderId } = await this.o.rest.createOrder(body, cls);
      this.remember(req.clientOrderId, orderId, m.product.productId);
      const vo: VenueOrder = { clientOrderId: req.clientOrderId, venueOrderId: orderId, symbol: req.symbol, status: 'open', filledSize: 0, ts: this.o.wall.now() };
      this.tracked.get(req.clientOrderId)!.last = vo;
      return vo;
    } catch (e) {
      if (e instanceof VenueRejectError) this.tracked.delete(req.clientOrderId);
      throw e; // an unknown outcome stays tracked: the poll and the lookup settle it
    }
  }

  /** Refuses an order that would open or grow a position (our positions plus working reduce-only orders). */
  private async checkReduceOnly(req: OrderRequest): Promise<void> {
    const pos = (await this.positions()).find((p) => p.symbol === req.symbol)?.size ?? 0;
    const reducing = req.side === 'sell' ? pos > 0 : pos < 0;
    let reserved = 0;
    for (const t of this.tracked.values()) {
      if (t.symbol === req.symbol && t.reduceOnly && (t.last === null || !TERMINAL.has(t.last.status))) reserved += t.size - (t.last?.filledSize ?? 0);
    }
    const lot = this.o.markets.bySym(req.symbol).instrument.lotSize;
    if (!reducing || req.size + reserved > Math.abs(pos) + lot / 2) {
      throw new VenueRejectError(`coinbase: reduce-only ${req.side} ${req.size} ${req.symbol} would increase the position (${pos}, ${reserved} already working)`, { reason: 'REDUCE_ONLY' });
    }
  }

  async cancelOrder(clientOrderId: string, symbol: string): Promise<void> {
    let orderId = this.orderIdOf(clientOrderId);
    if (orderId === null) orderId = (await this.lookupOrder(clientOrderId, symbol))?.venueOrderId ?? null;
    if (orderId === null) throw new VenueRejectError(`coinbase: no order ${clientOrderId} to cancel`, { clientOrderId });
    const [r] = await this.o.rest.batchCancel([orderId]);
    if (r && !r.success) this.o.logger.info({ clientOrderId, reason: r.reason }, 'coinbase cancel: order already done');
  }

  /** The venue's open orders on our products, as it sent them. */
  private async openOrdersRaw(): Promise<unknown[]> {
    return arr(obj(await this.o.rest.orders({ status: ['OPEN'], productIds: this.o.markets.productIds() }), 'orders response')['orders'], 'orders');
  }

  async openOrders(): Promise<readonly VenueOrder[]> {
    return this.parseOrders(await this.openOrdersRaw());
  }

  /** Orders we can read; one we cannot (an unknown status, a bad field) is logged and skipped, never fatal. */
  private parseOrders(list: readonly unknown[]): VenueOrder[] {
    const out: VenueOrder[] = [];
    for (const raw of list) {
      try {
        const vo = parseOrder(raw, this.o.markets.symbolOf);
        if (vo) out.push(vo);
      } catch (e) {
        this.o.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'coinbase order skipped (unreadable)');
      }
    }
    return out;
  }

  /** A fill we can read, null when it is not ours; an unreadable one is logged and skipped. */
  private readFill(raw: unknown): Fill | null {
    try {
      return parseFill(raw, this.o.markets.symbolOf, this.clientOf);
    } catch (e) {
      this.o.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'coinbase fill skipped (unreadable)');
      return null;
    }
  }

  async lookupOrder(clientOrderId: string, symbol: string): Promise<VenueOrder | null> {
    const known = this.orderIdOf(clientOrderId);
    if (known !== null) {
      const res = await this.o.rest.order(known);
      return res === null ? null : parseOrder(obj(res, 'order response')['order'], this.o.markets.symbolOf);
    }
    const m = this.o.markets.bySym(symbol);
    const createdTs = this.stored(clientOrderId)?.createdTs;
    const startIso = createdTs === undefined ? undefined : new Date(createdTs - LOOKUP_START_MARGIN_MS).toISOString();
    // Open orders are asked for by name first: whether the unfiltered history lists them is not
    // something a missing order may depend on (it would be expired while it rests).
    for (const status of [['OPEN'], undefined]) {
      const filter = { productIds: [m.product.productId], ...(status ? { status } : {}), ...(startIso !== undefined ? { startIso } : {}) };
      const res = obj(await this.o.rest.orders(filter), 'orders response');
      const mine = arr(res['orders'], 'orders').filter((raw) => typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['client_order_id'] === clientOrderId);
      for (const vo of this.parseOrders(mine)) {
        this.remember(clientOrderId, vo.venueOrderId, m.product.productId);
        return vo;
      }
      if (mine.length > 0) throw new DnbotError(ErrorCodes.MARKET_BAD_EVENT, `coinbase: order ${clientOrderId} found but unreadable`);
    }
    this.missed(clientOrderId);
    return null;
  }

  /**
   * A create whose outcome was unknown and that lookups keep not finding was never placed: after
   * as many misses as the order manager waits for, it stops reserving position for reduce-only orders.
   */
  private missed(clientOrderId: string): void {
    const t = this.tracked.get(clientOrderId);
    if (t === undefined || t.last !== null) return;
    t.misses++;
    if (t.misses >= FORGET_AFTER_MISSES) this.tracked.delete(clientOrderId);
  }

  async fillsSince(ts: number): Promise<readonly Fill[]> {
    const res = obj(await this.o.rest.fills({ sinceIso: new Date(ts).toISOString(), productIds: this.o.markets.productIds() }), 'fills response');
    const out: Fill[] = [];
    for (const raw of arr(res['fills'], 'fills')) {
      const f = this.readFill(raw);
      if (f && f.ts >= ts) out.push(f);
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  async positions(): Promise<readonly Position[]> {
    const out: Position[] = [];
    const markets = this.o.markets.all();
    if (markets.some((m) => m.product.kind === 'future')) {
      const res = obj(await this.o.rest.cfmPositions(), 'positions response');
      for (const raw of arr(res['positions'], 'positions')) {
        const p = parsePosition(raw, this.o.markets.symbolOf);
        if (p && p.size !== 0) out.push(p);
      }
    }
    const spot = markets.filter((m) => m.product.kind === 'spot');
    if (spot.length > 0) {
      const res = obj(await this.o.rest.accounts(), 'accounts response');
      const held = new Map<string, number>();
      for (const raw of arr(res['accounts'], 'accounts')) {
        const a = obj(raw, 'account');
        const avail = Number(obj(a['available_balance'], 'available_balance')['value']);
        const hold = a['hold'] ? Number(obj(a['hold'], 'hold')['value']) : 0;
        held.set(String(a['currency']), (Number.isFinite(avail) ? avail : 0) + (Number.isFinite(hold) ? hold : 0));
      }
      for (const m of spot) {
        const size = held.get(m.product.base) ?? 0;
        if (size > 0) out.push({ symbol: m.symbol, size, entryPrice: 0, realizedPnl: 0 });
      }
    }
    return out;
  }

  /** Served from a cache refreshed at most every accountRefreshMs (the runtime asks every second). */
  async account(): Promise<AccountState> {
    const c = this.accountCache;
    const now = this.o.wall.now();
    if (c !== null && now - c.at < this.o.accountRefreshMs) return c.value;
    const futures = this.o.markets.all().some((m) => m.product.kind === 'future');
    this.accountRefresh ??= (futures ? this.o.rest.cfmBalanceSummary() : this.o.rest.accounts())
      .then((raw) => {
        const value = futures ? parseBalanceSummary(raw) : parseSpotAccount(raw);
        this.accountCache = { at: this.o.wall.now(), value };
        return value;
      })
      .finally(() => {
        this.accountRefresh = null;
      });
    if (c !== null) {
      this.accountRefresh.catch((e: unknown) => this.o.logger.warn({ err: String(e) }, 'coinbase account refresh failed'));
      return c.value;
    }
    return this.accountRefresh;
  }

  async cancelAll(reason: string): Promise<void> {
    // Ids straight from the wire: an order we cannot otherwise read is still cancelled.
    const ids = (await this.openOrdersRaw()).flatMap((raw) => {
      const id = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['order_id'] : undefined;
      return typeof id === 'string' && id !== '' ? [id] : [];
    });
    this.o.logger.info({ reason, open: ids.length }, 'coinbase cancel-all');
    for (let i = 0; i < ids.length; i += 100) await this.o.rest.batchCancel(ids.slice(i, i + 100));
  }

  /** Runs `fn` when the venue closes (its private stream). */
  onClose(fn: () => void): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fn of this.closers.splice(0)) fn();
    if (this.pollTimer) this.o.wall.cancelTimer(this.pollTimer);
    this.pollTimer = null;
  }

  /** Poll now (a user-stream update, a reconnect); a poll in progress runs once more right after. */
  nudge(): void {
    if (this.closed) return;
    this.again = true;
    if (!this.polling) this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.closed) return;
    if (this.pollTimer) this.o.wall.cancelTimer(this.pollTimer);
    const delay = this.again ? 0 : this.o.pollMs;
    this.again = false;
    this.pollTimer = this.o.wall.setTimer(delay, () => {
      this.pollTimer = null;
      void this.pollOnce().finally(() => this.schedulePoll());
    });
  }

  /** One poll: new fills since the watermark, then the state of our working orders. */
  async pollOnce(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      // Orders are read before fills and reported after them: every fill an order's status
      // reflects has been delivered by the time that status is (no 'filled' without its fills).
      const orders = await this.fetchTrackedOrders();
      await this.fills.poll();
      this.applyOrders(orders);
    } catch (e) {
      this.o.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'coinbase poll failed');
    } finally {
      this.polling = false;
    }
  }

  private async fetchTrackedOrders(): Promise<VenueOrder[]> {
    const ids: string[] = [];
    for (const t of this.tracked.values()) {
      const id = this.orderIdOf(t.clientOrderId);
      if (id !== null) ids.push(id);
    }
    if (ids.length === 0) return [];
    const res = obj(await this.o.rest.orders({ orderIds: ids }), 'orders response');
    return this.parseOrders(arr(res['orders'], 'orders'));
  }

  private applyOrders(orders: readonly VenueOrder[]): void {
    for (const vo of orders) {
      const t = this.tracked.get(vo.clientOrderId);
      if (!t) continue;
      const changed = t.last === null || t.last.status !== vo.status || t.last.filledSize !== vo.filledSize;
      t.last = vo;
      if (TERMINAL.has(vo.status)) this.tracked.delete(vo.clientOrderId);
      if (changed) for (const l of this.updateListeners) l(vo);
    }
  }
}
