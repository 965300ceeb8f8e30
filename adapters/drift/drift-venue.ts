import { InputError, VenueRejectError, VenueUnknownOutcomeError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { AccountState, Fill, Instrument, OrderRequest, Position } from '../../src/core/types.js';
import type { FillListener, LiveVenue, OrderUpdateListener, VenueCapabilities, VenueMarginSource, VenueMarginView, VenueOrder } from '../../src/core/venue.js';
import { limiterClassOf, type LimiterClass, type WeightedLimiter } from '../../src/core/weighted-limiter.js';
import { RPC_COST, TX_COST } from './drift-quirks.js';
import { driftBase, driftPrice, fromDriftBase, fromDriftPrice } from './drift-precision.js';
import { RawTxError, type DriftRawClient, type RawMargin, type RawOrderEvent, type RawTxResult, type TxExpiry } from './drift-raw-client.js';
import { DriftOrderTracker } from './drift-order-tracker.js';
import type { DriftOrderRecord, UserOrderIdRing } from './user-order-id-ring.js';
import type { DriftClockGuard } from './drift-clock-guard.js';

export interface DriftVenueOptions {
  readonly raw: DriftRawClient;
  readonly ring: UserOrderIdRing;
  readonly subAccountId: number;
  readonly instruments: readonly Instrument[];
  /** Our symbol → perp market index. */
  readonly marketIndex: ReadonlyMap<string, number>;
  readonly wall: Clock;
  readonly logger: Logger;
  /** One limiter for the account: the `rpc` and `tx` budgets of drift-quirks.ts. */
  readonly limiter: WeightedLimiter;
  /** Wall ms the account cache is served before it is refreshed. */
  readonly accountRefreshMs: number;
  /** Best bid and ask of the streamed book: a market order is priced from them. */
  readonly top: (symbol: string) => { readonly bid: number | null; readonly ask: number | null } | null;
  /** How far through the book a market order's IOC limit goes (bps of the best opposite price). */
  readonly marketSlippageBps: number;
  /** The local clock against the chain's: an order is refused unsent when they disagree too far (absent: not checked). */
  readonly clock?: DriftClockGuard;
}

/** The venue's own margin view, from the SDK's User. */
export interface DriftMarginState extends AccountState {
  /** 0–100 (100 = no maintenance margin used; 0 = liquidatable). */
  readonly health: number;
  readonly leverage: number;
  readonly ts: number;
}

/** Where each position liquidates the account under Drift's own rules; null when it cannot. */
export interface DriftLiquidationPrice {
  readonly symbol: string;
  readonly size: number;
  readonly price: number | null;
}

/** Backfill looks this far before the last event seen (chain timestamps are in seconds). */
const BACKFILL_OVERLAP_MS = 60_000;

/**
 * Drift as a LiveVenue: limit orders with post-only, the IOC bit flag and reduce-only on one
 * subaccount; our client order ids ride the 1–255 `userOrderId` ring; a transaction sent but not
 * confirmed is an unknown outcome settled from the account and the order records, never resent.
 */
export class DriftVenue implements LiveVenue, VenueMarginSource {
  readonly name = 'drift';
  readonly capabilities: VenueCapabilities = { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 64 };
  private readonly o: DriftVenueOptions;
  private readonly bySymbol: Map<string, Instrument>;
  private readonly byIndex = new Map<number, Instrument>();
  private readonly tracker: DriftOrderTracker;
  private readonly fillListeners: FillListener[] = [];
  private readonly updateListeners: OrderUpdateListener[] = [];
  private margin: DriftMarginState | null = null;
  private marginInFlight: Promise<DriftMarginState> | null = null;
  private lastEventTs = 0;
  private subscribed = false;
  private catchingUp = false;
  private staleCancel: Promise<void> | null = null;
  /** Client order ids whose place transaction is queued, being signed or in flight in this process. */
  private readonly sending = new Set<string>();

  constructor(o: DriftVenueOptions) {
    this.o = o;
    this.bySymbol = new Map(o.instruments.map((i) => [i.symbol, i]));
    for (const i of o.instruments) {
      const idx = o.marketIndex.get(i.symbol);
      if (idx !== undefined) this.byIndex.set(idx, i);
    }
    this.tracker = new DriftOrderTracker(
      o.ring,
      (idx) => this.byIndex.get(idx),
      (f) => this.fillListeners.forEach((l) => l(f)),
      (u) => this.updateListeners.forEach((l) => l(u)),
      () => o.wall.now(),
    );
  }

  /** Starts the live order-event stream; after each interruption, missed events are backfilled. */
  start(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    // Fills before this run are the start-up reconciliation's (fillsSince); backfills start here.
    this.lastEventTs = this.o.wall.now();
    this.o.raw.subscribe(
      (e) => this.onEvents([e]),
      () => this.catchUp(),
    );
  }

  /**
   * Backfills the events missed since the last one seen, one backfill at a time; once one
   * succeeds, the next starts an overlap before it began (a quiet account is not re-read whole).
   */
  private catchUp(): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    const startedAt = this.o.wall.now();
    this.backfill(Math.max(0, this.lastEventTs - BACKFILL_OVERLAP_MS))
      .then(() => (this.lastEventTs = Math.max(this.lastEventTs, startedAt)))
      .catch((err: unknown) => this.o.logger.error({ err: String(err) }, 'drift: order-event backfill after reconnect failed'))
      .finally(() => (this.catchingUp = false));
  }

  async instruments(): Promise<readonly Instrument[]> {
    return this.o.instruments;
  }

  async placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const inst = this.instrument(req.symbol);
    const marketIndex = this.o.marketIndex.get(req.symbol)!;
    const limit = req.price ?? this.protectivePrice(req);
    let price: number;
    let base: number;
    try {
      price = driftPrice(limit, req.side, inst);
      base = driftBase(req.size, inst);
    } catch (e) {
      if (e instanceof InputError) throw new VenueRejectError(e.message, { reason: 'bad_params' });
      throw e;
    }
    if (fromDriftBase(base) < inst.minSize) throw new VenueRejectError(`size ${req.size} below ${inst.symbol} minimum ${inst.minSize}`, { reason: 'size_below_minimum' });
    const direction = req.side === 'buy' ? 'long' : 'short';
    await this.o.clock?.check(req.clientOrderId);
    const onAccount = await this.rpc('query', () => this.o.raw.openOrders());
    const uid = this.o.ring.allocate(
      { clientOrderId: req.clientOrderId, subAccountId: this.o.subAccountId, symbol: req.symbol, marketIndex, direction, baseAssetAmount: base, price, ts: this.o.wall.now() },
      new Set(onAccount.orders.map((x) => x.userOrderId).filter((u) => u > 0)),
    );
    const params = {
      marketIndex,
      direction,
      price,
      baseAssetAmount: base,
      userOrderId: uid,
      reduceOnly: req.reduceOnly,
      postOnly: req.tif === 'POST_ONLY',
      immediateOrCancel: req.tif === 'IOC' || req.type === 'market',
    } as const;
    let res: RawTxResult;
    this.sending.add(req.clientOrderId);
    try {
      res = await this.tx(limiterClassOf(req), () =>
        this.o.raw.placePerpOrder(params, (sent) =>
          this.o.ring.update(req.clientOrderId, { state: 'unknown', txSig: sent.txSig, sentTs: this.o.wall.now(), blockhash: sent.blockhash, lastValidBlockHeight: sent.lastValidBlockHeight }),
        ),
      );
    } catch (e) {
      if (e instanceof RawTxError && e.failure === 'rejected') {
        this.o.ring.update(req.clientOrderId, { state: 'done', final: 'rejected', rejectReason: e.message });
        throw new VenueRejectError(`drift refused the order: ${e.message}`, { reason: e.message });
      }
      const txSig = e instanceof RawTxError ? e.txSig : null;
      this.o.ring.update(req.clientOrderId, { state: 'unknown', ...(txSig !== null ? { txSig } : {}) });
      throw new VenueUnknownOutcomeError(`drift order outcome unknown: ${(e as Error).message}`, { clientOrderId: req.clientOrderId, userOrderId: uid });
    } finally {
      this.sending.delete(req.clientOrderId);
    }
    // Landed. The live stream may already have settled it (filled before the confirmation came back).
    const settled = this.o.ring.record(req.clientOrderId)?.state === 'done';
    this.o.ring.update(req.clientOrderId, { ...(settled ? {} : { state: 'live' as const }), txSig: res.txSig, landedSlot: res.slot });
    this.onEvents(res.events);
    try {
      return await this.settleLanded(req.clientOrderId);
    } catch (e) {
      // Placed for sure; only its current state is unknown: the lookup settles it from the record.
      throw new VenueUnknownOutcomeError(`drift order placed, its state unread: ${(e as Error).message}`, { clientOrderId: req.clientOrderId, userOrderId: uid });
    }
  }

  async cancelOrder(clientOrderId: string, symbol: string): Promise<void> {
    this.instrument(symbol);
    const r = this.o.ring.record(clientOrderId);
    if (!r) throw new VenueRejectError(`no drift order for ${clientOrderId}`, { reason: 'unknown_order' });
    // A released id may already ride another order: cancel by user order id only while we hold it.
    if (r.state === 'done' || this.o.ring.holder(r.userOrderId) !== clientOrderId) return;
    const res = await this.tx('cancel', () => this.o.raw.cancelOrderByUserId(r.userOrderId)).catch((e: unknown) => {
      if (e instanceof RawTxError && e.failure === 'rejected') throw new VenueRejectError(`drift refused the cancel: ${e.message}`, { reason: e.message });
      throw new VenueUnknownOutcomeError(`drift cancel outcome unknown: ${(e as Error).message}`, { clientOrderId });
    });
    this.onEvents(res.events);
  }

  async openOrders(): Promise<readonly VenueOrder[]> {
    const onAccount = await this.rpc('query', () => this.o.raw.openOrders());
    const out: VenueOrder[] = [];
    for (const a of onAccount.orders) {
      const coid = a.userOrderId > 0 ? this.o.ring.holder(a.userOrderId) : null;
      const r = coid === null ? null : this.o.ring.record(coid);
      if (!r || r.marketIndex !== a.marketIndex) continue; // not ours (placed by hand or by another tool)
      out.push(this.tracker.venueOrder(this.tracker.settleAgainstAccount(r, onAccount)));
    }
    return out;
  }

  /**
   * Settles one order: our record, then the account's resting orders, then the transaction's fate.
   * @throws VenueUnknownOutcomeError while a sent transaction may still land (the caller retries).
   */
  async lookupOrder(clientOrderId: string, symbol: string): Promise<VenueOrder | null> {
    this.instrument(symbol);
    let r = this.o.ring.record(clientOrderId);
    if (!r) return null;
    if (r.state === 'done') return this.tracker.venueOrder(r);
    if (r.state === 'live') {
      if (r.txSig !== null && (r.landedSlot === null || r.landedSlot === Number.MAX_SAFE_INTEGER)) {
        // Landed but its slot was not known when it was confirmed: learn it now.
        const st = await this.o.raw.txStatus(r.txSig, expiryOf(r));
        if (st.status === 'confirmed') {
          this.o.ring.update(clientOrderId, { landedSlot: st.slot });
          this.onEvents(st.events);
        }
      }
      return this.settleLanded(clientOrderId);
    }
    // sending or unknown: the account first (cheap and authoritative for a resting order).
    const onAccount = await this.rpc('query', () => this.o.raw.openOrders());
    if (onAccount.orders.some((a) => a.userOrderId === r!.userOrderId && a.marketIndex === r!.marketIndex)) {
      return this.tracker.venueOrder(this.tracker.settleAgainstAccount(r, onAccount));
    }
    if (r.txSig === null) {
      // Still queued or being signed in this process: not sent yet, but it may be any moment.
      if (this.sending.has(clientOrderId)) throw new VenueUnknownOutcomeError('drift order not sent yet', { clientOrderId });
      // Written ahead but the send never started (crash before signing): nothing reached the chain.
      this.o.ring.update(clientOrderId, { state: 'done', final: 'expired', rejectReason: 'never_sent' });
      return null;
    }
    const st = await this.o.raw.txStatus(r.txSig, expiryOf(r));
    switch (st.status) {
      case 'pending':
        throw new VenueUnknownOutcomeError('drift transaction not landed yet and still valid', { clientOrderId, txSig: r.txSig });
      case 'dropped':
        this.o.ring.update(clientOrderId, { state: 'done', final: 'expired', rejectReason: 'transaction_expired' });
        return null;
      case 'failed':
        r = this.o.ring.update(clientOrderId, { state: 'done', final: 'rejected', rejectReason: st.reason }) ?? r;
        return this.tracker.venueOrder(r);
      case 'confirmed':
        this.o.ring.update(clientOrderId, { state: 'live', landedSlot: st.slot });
        this.onEvents(st.events);
        return this.settleLanded(clientOrderId);
    }
  }

  async fillsSince(ts: number): Promise<readonly Fill[]> {
    await this.backfill(ts);
    return this.tracker.fillsSince(ts);
  }

  async positions(): Promise<readonly Position[]> {
    const raw = await this.rpc('query', () => this.o.raw.positions());
    const out: Position[] = [];
    for (const p of raw) {
      const inst = this.byIndex.get(p.marketIndex);
      if (!inst || p.baseAssetAmount === 0) continue;
      const size = fromDriftBase(p.baseAssetAmount);
      out.push({ symbol: inst.symbol, size, entryPrice: Math.abs(fromDriftPrice(p.quoteEntryAmount) / size), realizedPnl: fromDriftPrice(p.settledPnl) });
    }
    return out;
  }

  /** Served from a cache refreshed at most every `accountRefreshMs` (the runtime asks every second). */
  async account(): Promise<AccountState> {
    const m = await this.marginState();
    return { equity: m.equity, collateral: m.collateral, freeCollateral: m.freeCollateral, initialMargin: m.initialMargin, maintenanceMargin: m.maintenanceMargin };
  }

  /** Drift's own margin view (collateral, margin, health, leverage) from the SDK's User, cached. */
  async marginState(): Promise<DriftMarginState> {
    const now = this.o.wall.now();
    if (this.margin && now - this.margin.ts < this.o.accountRefreshMs) return this.margin;
    this.marginInFlight ??= this.rpc('query', () => this.o.raw.margin())
      .then((m) => (this.margin = toMarginState(m, this.o.wall.now())))
      .finally(() => (this.marginInFlight = null));
    return this.marginInFlight;
  }

  /** Drift's margin for the liquidation monitor: the SDK's maintenance margin and liquidation prices. */
  async venueMargin(): Promise<VenueMarginView> {
    const [m, prices] = await Promise.all([this.marginState(), this.liquidationPrices()]);
    return { maintenanceMargin: m.maintenanceMargin, liquidationPrices: new Map(prices.map((p) => [p.symbol, p.price])) };
  }

  /** Per-position liquidation prices computed by the SDK (Drift's margin rules, oracle prices). */
  async liquidationPrices(): Promise<readonly DriftLiquidationPrice[]> {
    const raw = await this.rpc('query', () => this.o.raw.positions());
    return raw.flatMap((p) => {
      const inst = this.byIndex.get(p.marketIndex);
      if (!inst || p.baseAssetAmount === 0) return [];
      return [{ symbol: inst.symbol, size: fromDriftBase(p.baseAssetAmount), price: p.liquidationPrice > 0 ? fromDriftPrice(p.liquidationPrice) : null }];
    });
  }

  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  onOrderUpdate(listener: OrderUpdateListener): void {
    this.updateListeners.push(listener);
  }

  /**
   * Cancels every order on the configured markets, one transaction per market; a market that fails
   * does not stop the others.
   * @throws VenueUnknownOutcomeError after trying them all when any failed.
   */
  async cancelAll(reason: string): Promise<void> {
    this.o.logger.info({ reason }, 'drift: cancelling every order on the configured markets');
    const failed: number[] = [];
    for (const idx of this.byIndex.keys()) {
      try {
        const res = await this.tx('cancel', () => this.o.raw.cancelOrders(idx));
        this.onEvents(res.events);
      } catch (e) {
        failed.push(idx);
        this.o.logger.error({ marketIndex: idx, err: (e as Error).message }, 'drift: cancel-all failed on a market');
      }
    }
    if (failed.length > 0) throw new VenueUnknownOutcomeError(`drift cancel-all failed on perp markets ${failed.join(', ')}`, { failed });
  }

  /**
   * The market stream went stale: Drift has no dead-man switch and our resting quotes are priced on
   * a book we no longer see, so every order is cancelled (one cancel-all at a time).
   */
  onStale(symbol: string, reason: string): void {
    if (this.staleCancel) return;
    this.o.logger.warn({ symbol, reason }, 'drift: market stream stale, cancelling open orders (no dead-man switch)');
    this.staleCancel = this.cancelAll(`stale stream: ${symbol}`)
      .catch((err: unknown) => this.o.logger.error({ err: (err as Error).message }, 'drift: cancel-all on a stale stream failed'))
      .finally(() => (this.staleCancel = null));
  }

  async close(): Promise<void> {
    await this.o.raw.close();
  }

  private onEvents(events: readonly RawOrderEvent[]): void {
    for (const e of events) this.lastEventTs = Math.max(this.lastEventTs, e.ts);
    this.tracker.apply(events);
  }

  /** The raw client paces the RPC calls inside a backfill itself (one per transaction). */
  private async backfill(since: number): Promise<void> {
    const events = await this.o.raw.eventsSince(since);
    this.onEvents(events);
  }

  /**
   * A landed order: resting on the account, or done. Off a fresh-enough account with no event
   * saying why, the missed events are backfilled first (a full fill must not read as a cancel).
   */
  private async settleLanded(clientOrderId: string): Promise<VenueOrder> {
    let r = this.o.ring.record(clientOrderId)!;
    if (r.state === 'done') return this.tracker.venueOrder(r);
    const view = await this.rpc('query', () => this.o.raw.openOrders());
    const resting = view.orders.some((a) => a.userOrderId === r.userOrderId && a.marketIndex === r.marketIndex);
    if (!resting && r.landedSlot !== null && view.slot >= r.landedSlot) {
      await this.backfill(Math.max(0, r.ts - BACKFILL_OVERLAP_MS));
      r = this.o.ring.record(clientOrderId)!;
      if (r.state === 'done') return this.tracker.venueOrder(r);
    }
    return this.tracker.venueOrder(this.tracker.settleAgainstAccount(r, view));
  }

  /** A market order (no price: hedge unwinds, closes) goes out as an IOC limit `marketSlippageBps` through the book. */
  private protectivePrice(req: OrderRequest): number {
    const t = this.o.top(req.symbol);
    const ref = req.side === 'buy' ? t?.ask : t?.bid;
    if (ref === null || ref === undefined) {
      throw new VenueRejectError(`drift: no ${req.side === 'buy' ? 'ask' : 'bid'} in the ${req.symbol} book to price a market order`, { reason: 'no_book' });
    }
    const k = this.o.marketSlippageBps / 10_000;
    return req.side === 'buy' ? ref * (1 + k) : ref * (1 - k);
  }

  private instrument(symbol: string): Instrument {
    const inst = this.bySymbol.get(symbol);
    if (!inst || !this.o.marketIndex.has(symbol)) throw new VenueRejectError(`drift does not trade ${symbol} in this run`, { reason: 'unknown_symbol' });
    return inst;
  }

  private rpc<T>(cls: LimiterClass, fn: () => Promise<T>): Promise<T> {
    return this.o.limiter.schedule(cls, RPC_COST, fn);
  }

  private tx<T>(cls: LimiterClass, fn: () => Promise<T>): Promise<T> {
    return this.o.limiter.schedule(cls, TX_COST, fn);
  }
}

/** The expiry persisted with a record's signature (older records carry only the send time). */
function expiryOf(r: DriftOrderRecord): TxExpiry {
  return { lastValidBlockHeight: r.lastValidBlockHeight ?? null, sentAt: r.sentTs ?? r.ts };
}

function toMarginState(m: RawMargin, ts: number): DriftMarginState {
  return {
    equity: fromDriftPrice(m.netUsdValue),
    collateral: fromDriftPrice(m.totalCollateral),
    freeCollateral: fromDriftPrice(m.freeCollateral),
    initialMargin: fromDriftPrice(m.initialMargin),
    maintenanceMargin: fromDriftPrice(m.maintenanceMargin),
    health: m.health,
    leverage: m.leverage / 1e4,
    ts,
  };
}
