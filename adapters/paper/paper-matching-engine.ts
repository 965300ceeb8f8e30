/**
 * The synchronous core of the paper venue: order arrival (validation, post-only, reduce-only,
 * margin, taking liquidity, resting), trade-through fills of resting orders, funding and
 * liquidation. Latency lives in {@link PaperVenue}; this class acts the instant it is called and
 * stamps everything with `clock.now()`.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type {
  AccountState,
  Fill,
  Instrument,
  MarketEvent,
  OrderRequest,
  Position,
  Side,
  Trade,
} from '../../src/core/types.js';
import type { VenueOrder } from '../../src/core/venue.js';
import { checkArrivalGate } from './arrival-gate.js';
import { FundingSchedule } from './funding-schedule.js';
import { planLiquidation } from './liquidation-plan.js';
import { checkOrderRequest, type PaperRejectReason } from './order-request-check.js';
import { PaperAccount, type OrderExposure, type PriceOf } from './paper-account.js';
import type { PaperConfig } from './paper-config.js';
import { SymbolView } from './paper-market-state.js';
import { toVenueOrder, type PaperOrder } from './paper-order.js';
import { RestingOrders, visibleSizeAt } from './paper-order-book-state.js';
import { PaperOrderLifecycle, type PaperEngineSink } from './paper-order-lifecycle.js';
import { ConsumedLiquidity, effectiveTop, walkDepth } from './taker-fill.js';
import { emptyObjectList } from '../../src/core/object-list.js';

/** Venues whose prints are candle points (the replay adapter's instruments): `restingFill: auto` is `through` there. */
const CANDLE_VENUES: ReadonlySet<string> = new Set(['replay']);
/**
 * Venues whose taker fee on an order taking less than the minimum size is charged on the minimum
 * size (Nado's fee schedule: docs.nado.xyz, fees).
 */
const MIN_SIZE_TAKER_FEE_VENUES: ReadonlySet<string> = new Set(['nado']);

/**
 * What the engine knows and reads of one symbol on every market event, found with one lookup by
 * name: the market view itself (one object, not a view behind a slot: one load less an event).
 */
class SymbolSlot extends SymbolView {
  /** The account's `markWeight` of this symbol when the mark budget was set (∞ until then). */
  weight = Number.POSITIVE_INFINITY;

  constructor(
    readonly symbol: string,
    readonly inst: Instrument | undefined,
    /** The trade-through rule applies to this symbol's resting orders (false without an instrument). */
    readonly throughOnly: boolean,
  ) {
    super();
  }
}

/** Up to this many symbols, a slot is found by comparing names in a list, faster than a map. */
const SLOT_SCAN = 8;

/** Outcome of an order's arrival at the engine. */
export type ArrivalResult =
  | { readonly ok: true; readonly order: VenueOrder }
  | { readonly ok: false; readonly reason: PaperRejectReason; readonly order: VenueOrder | null };

/** Running totals of the paper account. */
export interface PaperStats {
  /** Funding paid (positive) or received (negative) since start. */
  readonly fundingPaid: number;
  /** Trading plus liquidation fees paid since start (negative = net rebates). */
  readonly feesPaid: number;
  readonly liquidations: number;
  /** Negative balance absorbed by flooring collateral at 0 after liquidations. */
  readonly bankruptcyShortfall: number;
  readonly fills: number;
}

/** Collaborators of the engine; `restore` replaces `config.startingCollateral`. */
export interface PaperMatchingEngineOptions {
  readonly clock: Clock;
  readonly instruments: readonly Instrument[];
  readonly config: PaperConfig;
  readonly logger: Logger;
  readonly sink: PaperEngineSink;
  readonly restore?: { readonly collateral: number; readonly positions: readonly Position[] };
  /** Prefix of every id the engine makes (venue order, trade, liquidation ids); unique per run. */
  readonly idPrefix?: string;
}

/** Deterministic matching and account engine behind {@link PaperVenue}; callers own the clock. */
export class PaperMatchingEngine {
  private readonly config: PaperConfig;
  private readonly logger: Logger;
  private readonly instrumentBySymbol: ReadonlyMap<string, Instrument>;
  private readonly account: PaperAccount;
  private readonly consumed = new ConsumedLiquidity();
  private readonly resting = new RestingOrders();
  private readonly funding = new FundingSchedule();
  private readonly lifecycle: PaperOrderLifecycle;
  private nextLiquidationId = 1;
  private readonly idPrefix: string;
  private liquidations = 0;
  private shortfall = 0;
  /** Market time of the next funding boundary of any instrument (-∞ before the first event). */
  private nextFundingTs = Number.NEGATIVE_INFINITY;
  /** The account revision at which the last liquidation check found the account safe (-1: none yet). */
  private safeAtRevision = -1;
  /**
   * Mark moves the account can take with the liquidation check's answer still "safe" (the
   * account's `safeMarkDrift`), set at revision {@link budgetRevision} (-1: none), and the moves
   * taken since: Σ weight × |mark move| over mark events.
   */
  private markBudget = 0;
  private markDrift = 0;
  private budgetRevision = -1;
  /** Instruments whose symbol has had no mark event yet. */
  private unmarkedInstruments: number;
  private readonly markOf: PriceOf = (s) => this.slot(s).markPrice();
  /** Every symbol's slot, made on first use; an empty slot answers as nothing known (no book, no mark, rate 0). */
  private readonly slots = new Map<string, SymbolSlot>();
  /** The first {@link SLOT_SCAN} slots, in the order made. */
  private readonly slotList: SymbolSlot[] = emptyObjectList();

  /** @throws InputError (`E_INPUT_INVALID`) when `restore` names an unknown symbol. */
  constructor(opts: PaperMatchingEngineOptions) {
    this.config = opts.config;
    this.logger = opts.logger;
    this.instrumentBySymbol = new Map(opts.instruments.map((i) => [i.symbol, i]));
    this.account = new PaperAccount({
      instruments: opts.instruments,
      collateral: opts.restore?.collateral ?? opts.config.startingCollateral,
      positions: opts.restore?.positions ?? [],
    });
    this.lifecycle = new PaperOrderLifecycle({
      clock: opts.clock,
      account: this.account,
      resting: this.resting,
      sink: opts.sink,
      logger: opts.logger,
      ...(opts.idPrefix !== undefined ? { idPrefix: opts.idPrefix } : {}),
    });
    this.idPrefix = opts.idPrefix ?? '';
    for (const symbol of this.instrumentBySymbol.keys()) this.slot(symbol);
    this.unmarkedInstruments = this.instrumentBySymbol.size;
  }

  /** Processes an order the instant it reaches the venue. */
  arrive(req: OrderRequest): ArrivalResult {
    if (this.lifecycle.get(req.clientOrderId) !== undefined) {
      // No status update: the stream for this id describes the original order.
      return { ok: false, reason: 'duplicate_client_order_id', order: null };
    }
    const inst = this.instrumentBySymbol.get(req.symbol);
    const o = this.lifecycle.create(req);
    const reason: PaperRejectReason | null =
      inst === undefined ? 'unknown_symbol' : (checkOrderRequest(req, inst, this.markOf(req.symbol)) ?? this.gate(req, inst));
    if (reason !== null || inst === undefined) {
      this.lifecycle.reject(o, reason ?? 'unknown_symbol');
      return { ok: false, reason: reason ?? 'unknown_symbol', order: toVenueOrder(o) };
    }
    const clipped = req.tif === 'POST_ONLY' ? false : this.take(o, inst);
    if (o.status === 'filled') return { ok: true, order: toVenueOrder(o) };
    if (req.type === 'market' || req.tif === 'IOC' || clipped || req.price === undefined) {
      this.lifecycle.terminate(o, o.filledSize > 0 ? 'canceled' : 'expired');
    } else {
      const queueAhead = this.config.queue ? visibleSizeAt(this.slots.get(req.symbol)?.book, req.side, req.price, inst.tickSize) : 0;
      this.lifecycle.rest(o, req.price, queueAhead);
    }
    return { ok: true, order: toVenueOrder(o) };
  }

  /** Cancels a resting order; a no-op when it is unknown or already terminal. */
  cancel(clientOrderId: string, symbol: string): void {
    const entry = this.resting.get(clientOrderId);
    if (entry !== undefined && entry.order.req.symbol === symbol) this.lifecycle.cancel(entry.order);
  }

  /**
   * Whether the print `ev` would change nothing here (see the print case of {@link onMarketEvent}):
   * every instrument has a mark, no order rests, the account is as the last liquidation test found
   * it safe, and no funding boundary is due by its time.
   */
  ignoresPrint(ev: MarketEvent): boolean {
    return ev.ts < this.nextFundingTs && this.unmarkedInstruments === 0 && this.resting.count === 0 && this.account.revision === this.safeAtRevision;
  }

  /** Applies one market event: funding boundaries, then the event, then the liquidation check. */
  onMarketEvent(ev: MarketEvent): void {
    if (ev.ts >= this.nextFundingTs) this.settleFunding(ev.ts);
    // Prints first: half of all events. Each kind ends with its own liquidation test, so the kind
    // is read once. With no order resting, no book can move a queue and no print can fill: that
    // work is skipped.
    const kind = ev.kind;
    if (kind === 'trade') {
      // Once every instrument has a mark, with no order resting and the account as the last
      // liquidation test found it safe, a print changes nothing: its symbol's last print is read
      // only as the mark's fallback, which a marked symbol never uses again and a symbol without
      // an instrument never needs (orders on it are rejected before any price is read; positions,
      // funding and margin are of instruments only); no order can fill; and the test would find
      // the account safe again (same account, marks within the proven budget). The symbol is not
      // even looked up.
      if (this.unmarkedInstruments === 0 && this.resting.count === 0 && this.account.revision === this.safeAtRevision) return;
      const slot = this.slot(ev.trade.symbol);
      slot.applyTrade(ev.trade);
      if (slot.inst !== undefined && this.resting.count > 0) this.matchTrade(ev.trade, slot.inst, slot.throughOnly);
      this.checkLiquidationIfMoved(slot);
    } else if (kind === 'book') {
      const symbol = ev.book.symbol;
      const slot = this.slot(symbol);
      slot.book = ev.book;
      this.consumed.clear(symbol);
      // A candle replay's book is synthetic: it says nothing about cancellations ahead of us, so
      // only prints through our price move the queue there.
      if (slot.inst !== undefined && !slot.throughOnly && this.resting.count > 0) this.resting.onBook(ev.book, slot.inst);
      this.checkLiquidationIfMoved(slot);
    } else {
      const slot = this.slot(ev.mark.symbol);
      if (slot.hasMark && this.account.revision === this.safeAtRevision) {
        // Marks moved only by mark events since the account was last found safe. Within the
        // budget the check would find it safe again; past it, a fresh budget at these marks
        // answers too (a positive one: the check's own sums come out safe).
        const before = slot.mark;
        slot.applyMark(ev.mark);
        if (this.budgetRevision === this.safeAtRevision) {
          this.markDrift += slot.weight * Math.abs(slot.mark - before);
          if (this.markDrift < this.markBudget) return;
        }
        if (this.setMarkBudget() > 0) return;
      } else {
        const first = !slot.hasMark;
        slot.applyMark(ev.mark);
        if (first && slot.hasMark && slot.inst !== undefined) this.unmarkedInstruments--;
      }
      this.checkLiquidation();
    }
  }

  /** Signed position and resting buy size minus resting sell size in `symbol` (base units). */
  exposure(symbol: string): { position: number; restingNet: number } {
    let restingNet = 0;
    for (const e of this.resting.values()) {
      if (e.order.req.symbol === symbol) restingNet += e.order.req.side === 'buy' ? e.order.remaining : -e.order.remaining;
    }
    return { position: this.account.positionSize(symbol), restingNet };
  }

  openOrders(): VenueOrder[] {
    return this.resting.all().map((e) => toVenueOrder(e.order));
  }

  lookup(clientOrderId: string, symbol: string): VenueOrder | null {
    const o = this.lifecycle.get(clientOrderId);
    return o === undefined || o.req.symbol !== symbol ? null : toVenueOrder(o);
  }

  fillsSince(ts: number): Fill[] {
    return this.lifecycle.fillsSince(ts);
  }

  positions(): Position[] {
    return this.account.positions();
  }

  accountState(): AccountState {
    return this.account.state(this.markOf, this.openExposure());
  }

  /** The account's collateral (what `accountState().collateral` reports). */
  collateral(): number {
    return this.account.collateral;
  }

  stats(): PaperStats {
    return {
      fundingPaid: this.account.fundingPaid,
      feesPaid: this.account.feesPaid,
      liquidations: this.liquidations,
      bankruptcyShortfall: this.shortfall,
      fills: this.lifecycle.fillCount,
    };
  }

  private gate(req: OrderRequest, inst: Instrument): PaperRejectReason | null {
    const book = this.slots.get(req.symbol)?.book;
    const bookSide = req.side === 'buy' ? 'asks' : 'bids';
    return checkArrivalGate(req, inst, {
      reducible: this.reducible(req.symbol, req.side),
      oppositeTop: book && effectiveTop(book[bookSide], (p) => this.consumed.at(req.symbol, bookSide, p)),
      restingCount: this.resting.count,
      maxOpenOrders: this.config.maxOpenOrders,
      initialMarginWithOrder: () =>
        this.account.initialMargin(this.markOf, [
          ...this.openExposure(),
          { symbol: req.symbol, size: req.size, price: req.price },
        ]),
      equity: this.account.equity(this.markOf),
    });
  }

  /** Takes liquidity up to the order's limit. Returns true when reduce-only clipping stopped it. */
  private take(o: PaperOrder, inst: Instrument): boolean {
    const symbol = o.req.symbol;
    const book = this.slots.get(symbol)?.book;
    if (book === undefined) return false;
    const bookSide = o.req.side === 'buy' ? 'asks' : 'bids';
    const slices = walkDepth({
      levels: book[bookSide],
      side: o.req.side,
      size: o.remaining,
      limit: o.req.price,
      lotSize: inst.lotSize,
      consumedAt: (p) => this.consumed.at(symbol, bookSide, p),
    });
    const rate = this.config.takerFeeRate ?? inst.takerFeeRate;
    // Plan the fills first (reduce-only clips against the position as it shrinks), so the last
    // one is known: a venue that charges a small taker as its minimum size books that on it.
    let room = o.req.reduceOnly ? this.reducible(symbol, o.req.side) : Infinity;
    const plan: { price: number; size: number }[] = [];
    let clipped = false;
    for (const s of slices) {
      const size = Math.min(s.size, room);
      if (size <= 0) {
        clipped = true;
        break;
      }
      plan.push({ price: s.price, size });
      room -= size;
      if (size < s.size) {
        clipped = true;
        break;
      }
    }
    const taken = plan.reduce((sum, x) => sum + x.size, 0);
    const shortfall = MIN_SIZE_TAKER_FEE_VENUES.has(inst.venue) && taken > 0 ? Math.max(0, inst.minSize - taken) : 0;
    plan.forEach((x, k) => {
      this.consumed.add(symbol, bookSide, x.price, x.size);
      const surcharge = k === plan.length - 1 ? x.price * shortfall * rate : 0;
      this.lifecycle.fill(o, inst, x.price, x.size, 'taker', x.price * x.size * rate + surcharge);
    });
    return clipped;
  }

  /** Fills resting orders the trade went through (see the queue model in RestingOrders). */
  private matchTrade(trade: Trade, inst: Instrument, throughOnly: boolean): void {
    const rate = this.config.makerFeeRate ?? inst.makerFeeRate;
    for (const { entry, size } of this.resting.allocateTrade(trade, inst, throughOnly, this.config.queue)) {
      const o = entry.order;
      const cap = o.req.reduceOnly ? this.reducible(o.req.symbol, o.req.side) : size;
      const fillSize = Math.min(size, cap);
      if (fillSize > 0) this.lifecycle.fill(o, inst, entry.price, fillSize, 'maker', entry.price * fillSize * rate);
      if (fillSize < size && o.status !== 'filled') this.lifecycle.cancel(o);
    }
  }

  /** The slot of `symbol`, made on first use (an empty slot answers as nothing known: no book, no mark, rate 0). */
  private slot(symbol: string): SymbolSlot {
    const list = this.slotList;
    for (let i = 0; i < list.length; i++) {
      const slot = list[i]!;
      if (slot.symbol === symbol) return slot;
    }
    let slot = this.slots.get(symbol);
    if (slot === undefined) {
      const inst = this.instrumentBySymbol.get(symbol);
      slot = new SymbolSlot(symbol, inst, inst !== undefined && this.throughOnly(inst));
      this.slots.set(symbol, slot);
      if (list.length < SLOT_SCAN) list.push(slot);
    }
    return slot;
  }

  /** The trade-through rule applies (see `restingFill` in the paper config). */
  private throughOnly(inst: Instrument): boolean {
    const rule = this.config.restingFill;
    return rule === 'through' || (rule === 'auto' && CANDLE_VENUES.has(inst.venue));
  }

  /** Charges the funding boundaries crossed up to `ts`; the caller may skip it before {@link nextFundingTs}. */
  private settleFunding(ts: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const inst of this.instrumentBySymbol.values()) {
      const periods = this.funding.crossings(inst.symbol, inst.fundingIntervalMs, ts);
      next = Math.min(next, this.funding.nextBoundary(inst.symbol, inst.fundingIntervalMs));
      const mark = this.markOf(inst.symbol);
      if (periods <= 0 || mark === undefined) continue;
      this.account.payFunding(inst.symbol, mark, this.slots.get(inst.symbol)?.fundingRate() ?? 0, periods);
    }
    this.nextFundingTs = next;
  }

  /**
   * Sets the mark budget at the marks and account as they are now, and returns it. The caller
   * holds that every symbol the account values moves its mark by mark events alone until the
   * check runs again: a book or a print moving a symbol's fallback mark runs the check, which
   * drops the budget.
   */
  private setMarkBudget(): number {
    this.markBudget = this.account.safeMarkDrift(this.markOf);
    this.markDrift = 0;
    this.budgetRevision = this.account.revision;
    if (this.markBudget > 0) for (const slot of this.slots.values()) slot.weight = this.account.markWeight(slot.symbol);
    return this.markBudget;
  }

  /**
   * The liquidation test after a book or a print of `slot`'s symbol. Its answer can change only
   * with the account or a mark, and a book or a print moves the mark of a symbol only until its
   * first mark event: otherwise it is still the last test's "safe".
   */
  private checkLiquidationIfMoved(slot: SymbolSlot): void {
    if (this.account.revision !== this.safeAtRevision || !slot.hasMark) this.checkLiquidation();
  }

  /** Equity below maintenance: cancel everything, close every position at mark, floor at 0. */
  private checkLiquidation(): void {
    this.budgetRevision = -1;
    if (!this.account.isLiquidatable(this.markOf)) {
      this.safeAtRevision = this.account.revision;
      return;
    }
    const before = this.account.state(this.markOf);
    this.logger.warn(
      { equity: before.equity, maintenanceMargin: before.maintenanceMargin, positions: this.account.positions() },
      'paper account liquidated: equity below maintenance margin',
    );
    for (const e of this.resting.all()) this.lifecycle.cancel(e.order);
    for (const leg of planLiquidation(this.account.positions(), this.markOf, this.config.liquidationFeeRate)) {
      const inst = this.instrumentBySymbol.get(leg.symbol);
      if (inst === undefined) continue;
      const o = this.lifecycle.create({
        clientOrderId: `liq-${this.idPrefix}${this.nextLiquidationId++}`,
        symbol: leg.symbol,
        side: leg.side,
        type: 'market',
        tif: 'IOC',
        size: leg.size,
        reduceOnly: true,
      });
      this.lifecycle.fill(o, inst, leg.price, leg.size, 'taker', leg.fee);
    }
    this.liquidations++;
    this.shortfall += this.account.absorbShortfall();
  }

  /** Base size an order on `side` can reduce the current position by (0 if it would increase it). */
  private reducible(symbol: string, side: Side): number {
    const pos = this.account.positionSize(symbol);
    if (side === 'sell' && pos > 0) return pos;
    if (side === 'buy' && pos < 0) return -pos;
    return 0;
  }

  private openExposure(): OrderExposure[] {
    const out: OrderExposure[] = [];
    for (const e of this.resting.values()) {
      if (!e.order.req.reduceOnly) out.push({ symbol: e.order.req.symbol, size: e.order.remaining, price: e.price });
    }
    return out;
  }
}
