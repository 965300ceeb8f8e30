import type { Clock } from '../../src/core/clock.js';
import { VenueRejectError, VenueUnknownOutcomeError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { roundDown, roundPriceForSide } from '../../src/core/tick-rounding.js';
import type { AccountState, Fill, Instrument, OrderRequest, Position } from '../../src/core/types.js';
import type { FillListener, LiveVenue, OrderUpdateListener, VenueCapabilities, VenueOrder, VenueOrderStatus } from '../../src/core/venue.js';
import { limiterClassOf } from '../../src/core/weighted-limiter.js';
import type { PrivateFeedListener, StreamedMarket } from './nado-market-source.js';
import type { NadoFillFrame, NadoOrderUpdateFrame } from './nado-parse.js';
import { NadoOrderMap, type NadoOrderRef } from './nado-order-map.js';
import { classifyError, type NadoRest, type PreparedPlace } from './nado-rest.js';
import type { VenueQuirks } from '../ccxt-common/venue-quirks.js';
import { fromX18 } from './x18.js';
import { archiveFill, archiveRowKey, cancelledOrder, openOrder, orderUpdate, streamFill } from './nado-order-updates.js';
import { ARCHIVE_PAGE } from './nado-quirks.js';
import type { NadoClockGuard } from './nado-clock-guard.js';

export interface NadoVenueDeps {
  readonly rest: NadoRest;
  readonly quirks: VenueQuirks;
  readonly instruments: readonly Instrument[];
  /** Our symbol ↔ ccxt symbol ↔ product id. */
  readonly markets: readonly (StreamedMarket & { readonly ccxtSymbol: string })[];
  readonly orders: NadoOrderMap;
  /** 0x address + 12-byte subaccount name, hex (Nado's `sender`). */
  readonly sender: string;
  readonly wall: Clock;
  readonly logger: Logger;
  /** Global reduce-only switch: every order must reduce a position. */
  readonly reduceOnlyAll: boolean;
  readonly accountRefreshMs: number;
  /** Best bid/ask from the streamed books: market orders go out as IOC limits this far through them. */
  readonly top: (symbol: string) => { readonly bid: number | null; readonly ask: number | null } | null;
  readonly marketSlippageBps: number;
  /** Wall ms the archive may lag: "never seen" is final only this long after an order's recv window. */
  readonly archiveLagMs: number;
  /** The local clock against the venue's: an order is refused unsent when they disagree too far (absent: not checked). */
  readonly clock?: NadoClockGuard;
}

type Obj = Record<string, unknown>;

/** Orders on the subaccount that we did not place are reported as `nado:<digest>`. */
const FOREIGN_PREFIX = 'nado:';
const FOREIGN = { cid: 0, side: 'buy', size: Infinity, recvBy: 0 } as const;

/** Archive pages a fill backfill reads at most (500 matches each). */
const MAX_ARCHIVE_PAGES = 20;

/** Tries per market before cancel-all gives up on it. */
const CANCEL_ALL_ATTEMPTS = 3;
/** Open orders on a market from which one cancel of product orders (weight 5 per product id) is no dearer than cancels by digest (1 each). */
const CANCEL_ALL_BY_PRODUCT_FROM = 5;

function foreignDigest(clientOrderId: string): string | null {
  return clientOrderId.startsWith(FOREIGN_PREFIX) ? clientOrderId.slice(FOREIGN_PREFIX.length) : null;
}

/**
 * Nado's account as a LiveVenue. Prices are rounded by us (bids down, asks up) and sizes down to
 * lots before ccxt sees them. Each order is signed first and its digest and numeric client id
 * persisted, then sent once: a timeout, 5xx, 429 or dropped socket throws VenueUnknownOutcomeError
 * and the OrderManager settles it with `lookupOrder` (by digest) — a create is never retried.
 */
export class NadoVenue implements LiveVenue, PrivateFeedListener {
  readonly name: string;
  readonly capabilities: VenueCapabilities = { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 64 };
  private readonly fillListeners: FillListener[] = [];
  private readonly updateListeners: OrderUpdateListener[] = [];
  private readonly seenFills = new Set<string>();
  /** Base filled per order digest (lower case), from the fills delivered: what a cancel update reports as filled. */
  private readonly filledByDigest = new Map<string, number>();
  /** Receive-side time of the newest fill seen (open time before any): gap backfills start a minute before it. */
  private lastFillTs: number;
  private accountCache: { at: number; value: AccountState } | null = null;
  private accountPending: Promise<AccountState> | null = null;
  private staleCancel: Promise<void> | null = null;

  constructor(private readonly d: NadoVenueDeps) {
    this.name = d.quirks.venue;
    this.lastFillTs = d.wall.now();
  }

  async instruments(): Promise<readonly Instrument[]> {
    return this.d.instruments;
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const m = this.market(req.symbol);
    const inst = this.d.instruments.find((i) => i.symbol === req.symbol)!;
    const reduceOnly = req.reduceOnly || this.d.reduceOnlyAll;
    const limit = req.price ?? this.protectivePrice(req);
    const price = roundPriceForSide(limit, inst.tickSize, req.side);
    const size = roundDown(req.size, inst.lotSize);
    if (!(size > 0)) throw new VenueRejectError(`${this.name}: size ${req.size} is below one lot`, { clientOrderId: req.clientOrderId });
    if (!(price > 0) || !Number.isFinite(price)) {
      throw new VenueRejectError(`${this.name}: price ${limit} is not a positive price on the ${inst.tickSize} tick`, { clientOrderId: req.clientOrderId });
    }
    if (reduceOnly) await this.checkReduces(req, size);
    if (this.d.orders.byClientOrderId(req.clientOrderId)) {
      throw new VenueRejectError(`${this.name}: client order id ${req.clientOrderId} was already sent`, { clientOrderId: req.clientOrderId });
    }
    await this.d.clock?.check(req.clientOrderId);
    const cid = this.d.orders.nextCid();
    const call = this.d.quirks.orderCall({ ...req, price, size, reduceOnly }, String(cid));
    const cls = limiterClassOf({ ...req, reduceOnly });
    let ref: NadoOrderRef | null = null;
    let prepared: PreparedPlace;
    let res: Obj;
    try {
      ({ prepared, res } = await this.d.rest.place(
        cls,
        () => this.d.rest.preparePlace(m.ccxtSymbol, req.side, size, price, call.params),
        (p) => {
          ref = {
            clientOrderId: req.clientOrderId, cid, digest: p.digest, productId: m.productId, symbol: req.symbol,
            side: req.side, size, recvBy: Number(BigInt(p.nonce) >> 20n),
          };
          this.d.orders.save(ref); // write-ahead: a lost ack can still be looked up by digest
        },
      ));
    } catch (err) {
      const kind = classifyError(err);
      if (ref !== null && (kind === 'network' || kind === 'rate_limited')) {
        throw new VenueUnknownOutcomeError(`${this.name}: create outcome unknown (${(err as Error).message.slice(0, 120)})`, {
          clientOrderId: req.clientOrderId,
        });
      }
      throw new VenueRejectError(`${this.name}: ${(err as Error).message.slice(0, 200)}`, { clientOrderId: req.clientOrderId });
    }
    const data = (res['data'] ?? {}) as Obj;
    const digest = typeof data['digest'] === 'string' ? data['digest'] : prepared.digest;
    if (digest.toLowerCase() !== prepared.digest.toLowerCase()) {
      this.d.logger.warn({ ours: prepared.digest, venue: digest }, 'nado: digest differs from ours; keeping the venue one');
      this.d.orders.save({ ...this.d.orders.byClientOrderId(req.clientOrderId)!, digest });
    }
    return { clientOrderId: req.clientOrderId, venueOrderId: digest, symbol: req.symbol, status: 'open', filledSize: 0, ts: this.d.wall.now() };
  }

  async cancelOrder(clientOrderId: string, symbol: string): Promise<void> {
    const digest = this.d.orders.byClientOrderId(clientOrderId)?.digest ?? foreignDigest(clientOrderId);
    if (digest === null) return; // never sent: nothing to cancel
    const m = this.market(symbol);
    try {
      await this.d.rest.call('cancel', 'cancel', () => this.d.rest.ex.cancelOrders([digest], m.ccxtSymbol));
    } catch (err) {
      if (classifyError(err) === 'not_found') return; // already filled or canceled
      throw err;
    }
  }

  /**
   * Cancels every order on every market (shutdown): one cancel-all by product each. Nado has no
   * dead-man switch, so one failing market never stops the others, and a failed market is retried
   * (a cancel is safe to repeat); throws at the end naming the markets that still failed.
   */
  async cancelAll(reason: string): Promise<void> {
    return this.cancelEverywhere(reason, 'by_product');
  }

  private async cancelEverywhere(reason: string, how: 'by_product' | 'listed'): Promise<void> {
    this.d.logger.warn({ reason }, `${this.name}: cancelling all orders`);
    const failed: string[] = [];
    for (const m of this.d.markets) {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.cancelMarket(m, how);
          break;
        } catch (err) {
          const msg = (err as Error).message.slice(0, 200);
          this.d.logger.warn({ symbol: m.symbol, attempt, err: msg }, `${this.name}: cancel-all failed`);
          if (attempt >= CANCEL_ALL_ATTEMPTS) {
            failed.push(`${m.symbol} (${msg})`);
            break;
          }
          await this.d.wall.sleep(250 * attempt);
        }
      }
    }
    if (failed.length > 0) throw new Error(`${this.name}: cancel-all failed for ${failed.join(', ')}`);
  }

  async openOrders(): Promise<readonly VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const m of this.d.markets) {
      const res = await this.d.rest.query('open_orders', { type: 'subaccount_orders', sender: this.d.sender, product_id: m.productId });
      const orders = ((res['data'] as Obj | undefined)?.['orders'] ?? []) as Obj[];
      for (const o of orders) out.push(this.toVenueOrder(o, m.symbol));
    }
    return out;
  }

  async lookupOrder(clientOrderId: string, symbol: string): Promise<VenueOrder | null> {
    const foreign = foreignDigest(clientOrderId);
    const ref =
      this.d.orders.byClientOrderId(clientOrderId) ??
      (foreign === null ? undefined : { ...FOREIGN, clientOrderId, digest: foreign, productId: this.market(symbol).productId, symbol });
    if (!ref) return null;
    try {
      const res = await this.d.rest.query('order_lookup', { type: 'order', product_id: ref.productId, digest: ref.digest });
      return this.toVenueOrder((res['data'] ?? {}) as Obj, symbol);
    } catch (err) {
      if (classifyError(err) !== 'not_found') throw err;
    }
    // Not open: the archive knows filled and cancelled orders.
    const arch = await this.d.rest.archive('order_lookup', { orders: { digests: [ref.digest] } });
    const hist = ((arch['orders'] ?? []) as Obj[])[0];
    if (hist) {
      const filled = Math.abs(fromX18(hist['base_filled']) ?? 0);
      const total = Math.abs(fromX18(hist['amount']) ?? ref.size);
      const status: VenueOrderStatus = filled + 1e-12 >= total ? 'filled' : 'canceled';
      return { clientOrderId, venueOrderId: ref.digest, symbol, status, filledSize: filled, ts: this.d.wall.now() };
    }
    // Never seen: once its recv window passed it can never arrive — but an order filled or cancelled
    // at once is neither open nor archived until the indexer catches up.
    if (this.d.wall.now() > ref.recvBy + this.d.archiveLagMs) return null;
    throw new VenueUnknownOutcomeError(`${this.name}: ${clientOrderId} not visible yet`, { clientOrderId });
  }

  /**
   * Our fills since `ts` from the archive's matches, newest page first, paging back by
   * `submission_idx` (the `idx` cursor is inclusive) until a page reaches before `ts`, runs short,
   * or MAX_ARCHIVE_PAGES were read (logged: older fills are then missing).
   */
  async fillsSince(ts: number): Promise<readonly Fill[]> {
    const out = new Map<string, Fill>();
    const seenRows = new Set<string>();
    let idx: string | null = null;
    for (let page = 1; ; page++) {
      const q: Obj = { subaccounts: [this.d.sender], limit: ARCHIVE_PAGE, ...(idx !== null ? { idx } : {}) };
      const res = await this.d.rest.archive('fills', { matches: q });
      const matches = (res['matches'] ?? []) as Obj[];
      const txs = new Map(((res['txs'] ?? []) as Obj[]).map((t) => [String(t['submission_idx']), t]));
      let fresh = 0;
      let oldestTs = Infinity;
      let oldestIdx: bigint | null = null;
      for (const mt of matches) {
        // Rows already read (the cursor is inclusive): two matches of one order in one submission may
        // have the same size and quote, never the same cumulative filled size.
        const key = archiveRowKey(mt);
        if (seenRows.has(key)) continue;
        seenRows.add(key);
        fresh++;
        const tsMs = Number(txs.get(String(mt['submission_idx']))?.['timestamp'] ?? 0) * 1000;
        oldestTs = Math.min(oldestTs, tsMs);
        const sidx = /^\d+$/.test(String(mt['submission_idx'])) ? BigInt(String(mt['submission_idx'])) : null;
        if (sidx !== null && (oldestIdx === null || sidx < oldestIdx)) oldestIdx = sidx;
        const f = archiveFill(mt, tsMs, this.d.orders.byOrderDigest(String(mt['digest']).toLowerCase()));
        if (f && f.ts >= ts) out.set(`${f.tradeId}:${key}`, f);
      }
      const more = matches.length >= ARCHIVE_PAGE && fresh > 0 && oldestTs >= ts && oldestIdx !== null;
      if (!more) break;
      if (page >= MAX_ARCHIVE_PAGES) {
        this.d.logger.warn({ since: ts, pages: page }, `${this.name}: fill backfill stopped after ${page} archive pages; older fills were not read`);
        break;
      }
      idx = String(oldestIdx); // inclusive: rows of that submission already read are skipped above
    }
    return [...out.values()].sort((a, b) => a.ts - b.ts);
  }

  async positions(): Promise<readonly Position[]> {
    const data = await this.subaccountInfo('positions');
    const out: Position[] = [];
    for (const p of (data['perp_balances'] ?? []) as Obj[]) {
      const m = this.d.markets.find((x) => x.productId === Number(p['product_id']));
      const bal = (p['balance'] ?? {}) as Obj;
      const size = fromX18(bal['amount']);
      const vq = fromX18(bal['v_quote_balance']);
      if (!m || size === null || size === 0) continue;
      out.push({ symbol: m.symbol, size, entryPrice: vq === null ? 0 : Math.abs(vq / size), realizedPnl: 0 });
    }
    return out;
  }

  /** Served from a cache refreshed at most every `accountRefreshMs` (the runtime asks every second). */
  async account(): Promise<AccountState> {
    const now = this.d.wall.now();
    if (this.accountCache && now - this.accountCache.at < this.d.accountRefreshMs) return this.accountCache.value;
    this.accountPending ??= this.fetchAccount().finally(() => {
      this.accountPending = null;
    });
    return this.accountPending;
  }

  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  onOrderUpdate(listener: OrderUpdateListener): void {
    this.updateListeners.push(listener);
  }

  async close(): Promise<void> {
    /* the stream is owned by the market source */
  }

  // --- private stream (PrivateFeedListener, and onGap from adapters/nado/nado-stream.ts) ---

  onPrivateFill(x: NadoFillFrame): void {
    const ref = this.d.orders.byOrderDigest(x.digest) ?? (x.clientId !== null ? this.d.orders.byClientId(x.clientId) : undefined);
    if (!ref) return; // not ours (another client on the same subaccount)
    this.emitFill(streamFill(x, ref));
  }

  /** An order update as our order state (adapters/nado/nado-order-updates.ts: the filled size comes from the fills seen). */
  onPrivateOrderUpdate(x: NadoOrderUpdateFrame): void {
    const ref = this.d.orders.byOrderDigest(x.digest) ?? (x.clientId !== null ? this.d.orders.byClientId(x.clientId) : undefined);
    if (!ref) return;
    const upd = orderUpdate(x, ref, this.filledByDigest.get(ref.digest.toLowerCase()) ?? 0);
    for (const l of this.updateListeners) l(upd);
  }

  /** The private streams were (re)subscribed after a gap: fills since the last one seen are backfilled over REST. */
  onGap(reason: string): void {
    const since = Math.max(0, this.lastFillTs - 60_000);
    this.d.logger.info({ reason, since }, `${this.name}: backfilling fills after a stream gap`);
    this.fillsSince(since).then(
      (fills) => fills.forEach((f) => this.emitFill(f)),
      (err: Error) => this.d.logger.warn({ err: err.message }, `${this.name}: fill backfill failed`),
    );
  }

  /** Cancels what rests (no dead-man switch); resolves once done (errors are logged). */
  onStale(symbol: string, reason: string): Promise<void> {
    if (this.staleCancel) return this.staleCancel; // one cancel-all at a time
    this.d.logger.warn({ symbol, reason }, `${this.name}: stream stale, cancelling open orders (no dead-man switch)`);
    this.staleCancel = this.cancelEverywhere(`stale stream: ${symbol}`, 'listed')
      .catch((err: Error) => this.d.logger.error({ err: err.message }, 'cancel-all on stale failed'))
      .finally(() => {
        this.staleCancel = null;
      });
    return this.staleCancel;
  }

  /** Backfills on open (restart with orders open): fills since `ts` not seen yet. */
  async backfill(ts: number): Promise<void> {
    for (const f of await this.fillsSince(ts)) this.emitFill(f);
  }

  private emitFill(f: Fill): void {
    if (this.seenFills.has(f.tradeId)) return;
    this.seenFills.add(f.tradeId);
    this.filledByDigest.set(f.venueOrderId, (this.filledByDigest.get(f.venueOrderId) ?? 0) + f.size);
    this.lastFillTs = Math.max(this.lastFillTs, f.ts);
    for (const l of this.fillListeners) l(f);
  }

  /**
   * Cancels every open order on one market. Nado weighs a cancel 1 per order and a cancel of
   * product orders 5 per product id. While trading goes on (a stale stream) the open orders are
   * listed (a query) and cancelled by digest, so a cancel with little or nothing resting does not
   * spend the order budget a hedge may need next; 5 or more, or a shutdown, go out as one cancel of
   * the product's orders.
   */
  private async cancelMarket(m: NadoVenueDeps['markets'][number], how: 'by_product' | 'listed'): Promise<void> {
    const ex = this.d.rest.ex;
    if (how === 'by_product') {
      const all = await this.d.rest.call('cancel_all', 'cancel', () => ex.cancelAllOrders(m.ccxtSymbol));
      return this.reportCancelled(all.map((c) => c.info as Obj));
    }
    const digests = await this.restingDigests(m);
    if (digests.length === 0) return;
    if (digests.length >= CANCEL_ALL_BY_PRODUCT_FROM) {
      const all = await this.d.rest.call('cancel_all', 'cancel', () => ex.cancelAllOrders(m.ccxtSymbol));
      return this.reportCancelled(all.map((c) => c.info as Obj));
    }
    try {
      const cancelled = await this.d.rest.call('cancel', 'cancel', () => ex.cancelOrders(digests, m.ccxtSymbol), digests.length);
      return this.reportCancelled(cancelled.map((c) => c.info as Obj));
    } catch (err) {
      if (classifyError(err) !== 'not_found') throw err;
    }
    // One digest gone since the listing (filled, cancelled) may fail the whole batch: whether the
    // others were cancelled is undocumented, so look again and never assume.
    const still = await this.restingDigests(m);
    if (still.length === 0) return;
    this.d.logger.warn({ symbol: m.symbol, resting: still.length }, `${this.name}: a batch cancel failed on a missing order; cancelling the product's orders`);
    const all = await this.d.rest.call('cancel_all', 'cancel', () => ex.cancelAllOrders(m.ccxtSymbol));
    this.reportCancelled(all.map((c) => c.info as Obj));
  }

  /** Digests of the orders resting on one market now (a query in the cancel class). */
  private async restingDigests(m: NadoVenueDeps['markets'][number]): Promise<string[]> {
    const res = await this.d.rest.query('open_orders', { type: 'subaccount_orders', sender: this.d.sender, product_id: m.productId }, 'cancel');
    return (((res['data'] as Obj | undefined)?.['orders'] ?? []) as Obj[]).map((o) => String(o['digest']));
  }

  /**
   * Our orders a cancel-all took off the book, reported as canceled: the stream's order updates for
   * them are lost when it is down or stale, which is when cancel-all runs.
   */
  private reportCancelled(orders: readonly Obj[]): void {
    for (const o of orders) {
      const ref = typeof o['digest'] === 'string' ? this.d.orders.byOrderDigest(o['digest']) : undefined;
      if (!ref) continue;
      const upd = cancelledOrder(o, ref, this.d.wall.now());
      for (const l of this.updateListeners) l(upd);
    }
  }

  /** Nado takes limit orders only: a market order without a price crosses the book by `marketSlippageBps`. */
  private protectivePrice(req: OrderRequest): number {
    const t = this.d.top(req.symbol);
    const ref = req.side === 'buy' ? t?.ask : t?.bid;
    if (ref === null || ref === undefined) {
      throw new VenueRejectError(`${this.name}: no ${req.side === 'buy' ? 'ask' : 'bid'} in the ${req.symbol} book to price a market order`, { clientOrderId: req.clientOrderId });
    }
    const k = this.d.marketSlippageBps / 10_000;
    return req.side === 'buy' ? ref * (1 + k) : ref * (1 - k);
  }

  private async checkReduces(req: OrderRequest, size: number): Promise<void> {
    const pos = (await this.positions()).find((p) => p.symbol === req.symbol)?.size ?? 0;
    const reduces = (req.side === 'buy' && pos < 0) || (req.side === 'sell' && pos > 0);
    if (!reduces || size > Math.abs(pos) + 1e-12) {
      throw new VenueRejectError(`${this.name}: reduce-only ${req.side} ${size} would increase the ${req.symbol} position (${pos})`, {
        clientOrderId: req.clientOrderId,
      });
    }
  }

  private async subaccountInfo(kind: 'positions' | 'account'): Promise<Obj> {
    const res = await this.d.rest.query(kind, { type: 'subaccount_info', subaccount: this.d.sender });
    return (res['data'] ?? {}) as Obj;
  }

  private async fetchAccount(): Promise<AccountState> {
    const data = await this.subaccountInfo('account');
    const healths = (data['healths'] ?? []) as Obj[];
    const h = (i: number): number => fromX18(healths[i]?.['health']) ?? 0;
    const quote = ((data['spot_balances'] ?? []) as Obj[]).find((b) => Number(b['product_id']) === 0);
    const collateral = fromX18((quote?.['balance'] as Obj | undefined)?.['amount']) ?? 0;
    const equity = healths.length >= 3 ? h(2) : collateral;
    const value: AccountState = {
      equity,
      collateral,
      freeCollateral: healths.length >= 1 ? Math.max(0, h(0)) : collateral,
      initialMargin: healths.length >= 3 ? Math.max(0, h(2) - h(0)) : 0,
      maintenanceMargin: healths.length >= 3 ? Math.max(0, h(2) - h(1)) : 0,
    };
    this.accountCache = { at: this.d.wall.now(), value };
    return value;
  }

  private toVenueOrder(o: Obj, symbol: string): VenueOrder {
    return openOrder(o, symbol, this.d.orders.byOrderDigest(String(o['digest'])), FOREIGN_PREFIX);
  }

  private market(symbol: string): NadoVenueDeps['markets'][number] {
    const m = this.d.markets.find((x) => x.symbol === symbol);
    if (!m) throw new VenueRejectError(`${this.name}: unknown symbol ${symbol}`, { symbol });
    return m;
  }
}
