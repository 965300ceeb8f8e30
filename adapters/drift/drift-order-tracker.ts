import type { Fill, Instrument } from '../../src/core/types.js';
import type { VenueOrder, VenueOrderStatus } from '../../src/core/venue.js';
import { fromDriftBase } from './drift-precision.js';
import type { RawAccountView, RawOrderEvent } from './drift-raw-client.js';
import type { DriftOrderRecord, UserOrderIdRing } from './user-order-id-ring.js';
import { PRICE_SCALE } from './drift-parse.js';

/** Wall/chain clock skew tolerated when matching a place event to a record by time (ms). */
const PLACE_MATCH_SLACK_MS = 30_000;
/** Fill keys remembered and fills kept for `fillsSince` (the oldest go first). */
const SEEN_FILLS_MAX = 10_000;
/** Orders whose events wait for their place event, at most (the oldest are dropped). */
const PARKED_ORDERS_MAX = 1_000;

/**
 * Turns Drift's order events into our fills and order states. Holds the orderId → client order id
 * map (durable through the ring's records), drops duplicate fills (market index + fill record id),
 * and parks fills of an order whose place event has not been seen yet.
 */
export class DriftOrderTracker {
  private readonly byOrderId = new Map<number, string>();
  private readonly seenFills = new Set<string>();
  private readonly fills: Fill[] = [];
  private readonly parked = new Map<number, RawOrderEvent[]>();

  constructor(
    private readonly ring: UserOrderIdRing,
    private readonly symbolOf: (marketIndex: number) => Instrument | undefined,
    private readonly emitFill: (f: Fill) => void,
    private readonly emitUpdate: (o: VenueOrder) => void,
    private readonly now: () => number,
  ) {
    for (const r of ring.all()) if (r.orderId !== null) this.byOrderId.set(r.orderId, r.clientOrderId);
  }

  /** Our fills with ts ≥ `ts`, oldest first. */
  fillsSince(ts: number): Fill[] {
    return this.fills.filter((f) => f.ts >= ts);
  }

  /** Applies events (live, from a transaction's logs, or a backfill), oldest first. */
  apply(events: readonly RawOrderEvent[]): void {
    for (const e of events) this.applyOne(e);
  }

  private applyOne(e: RawOrderEvent): void {
    if (e.type === 'place') {
      const coid = this.matchPlace(e);
      if (coid === null) return;
      const r = this.ring.update(coid, { orderId: e.orderId, state: this.ring.record(coid)?.state === 'done' ? 'done' : 'live' });
      if (r) this.emit(r);
      this.link(e.orderId, coid);
      return;
    }
    const coid = this.byOrderId.get(e.orderId);
    if (coid === undefined) {
      // A fill or cancel before its order's place event (events out of order across a reconnect).
      const list = this.parked.get(e.orderId) ?? [];
      list.push(e);
      this.parked.set(e.orderId, list);
      // Orders that are not ours (placed by hand on this subaccount) never get a place: bounded.
      if (this.parked.size > PARKED_ORDERS_MAX) this.parked.delete(this.parked.keys().next().value!);
      return;
    }
    const r = this.ring.record(coid);
    if (!r) return;
    if (e.type === 'fill') {
      const key = `${e.marketIndex}:${e.fillRecordId}`;
      if (this.seenFills.has(key)) return;
      this.seenFills.add(key);
      if (this.seenFills.size > SEEN_FILLS_MAX) this.seenFills.delete(this.seenFills.values().next().value!);
      const inst = this.symbolOf(e.marketIndex);
      const size = fromDriftBase(e.baseAssetAmountFilled);
      if (!inst || !(size > 0)) return;
      const fill: Fill = {
        tradeId: `drift-${key}`,
        clientOrderId: coid,
        venueOrderId: String(e.orderId),
        symbol: inst.symbol,
        side: e.direction === 'long' ? 'buy' : 'sell',
        price: e.quoteAssetAmountFilled / PRICE_SCALE / size,
        size,
        fee: e.fee / PRICE_SCALE,
        liquidity: e.liquidity,
        ts: e.ts,
      };
      this.fills.push(fill);
      if (this.fills.length > SEEN_FILLS_MAX) this.fills.splice(0, this.fills.length - SEEN_FILLS_MAX);
      // Booked into the record once, even when a restart's backfill replays it (the fill itself is
      // re-emitted: the OrderManager books by trade id, so a fill lost by a crash is booked now).
      const keys = r.fillKeys ?? [];
      const next = keys.includes(key) ? null : this.ring.update(coid, this.filledPatch(r, e.baseAssetAmountFilled, key));
      this.emitFill(fill);
      if (next) this.emit(next);
      return;
    }
    if (r.final === 'filled') return;
    const next = this.ring.update(coid, { state: 'done', final: e.type === 'cancel' ? 'canceled' : 'expired' });
    if (next) this.emit(next);
  }

  /**
   * The record's fill counts after one more fill event. The account's count and the events' sum
   * are both lower bounds of the truth, so the larger stands (never their sum). A fill arriving
   * after the cancel still counts: the record's final status is upgraded.
   */
  private filledPatch(r: DriftOrderRecord, base: number, key: string) {
    const eventFilledBase = (r.eventFilledBase ?? 0) + base;
    const filledBase = Math.max(r.filledBase, eventFilledBase);
    const full = filledBase >= r.baseAssetAmount;
    return { eventFilledBase, filledBase, fillKeys: [...(r.fillKeys ?? []), key], ...(full ? { state: 'done' as const, final: 'filled' as const } : {}) };
  }

  /** Maps an order id to our order and applies the events parked while it was unknown. */
  private link(orderId: number, clientOrderId: string): void {
    this.byOrderId.set(orderId, clientOrderId);
    const waiting = this.parked.get(orderId);
    this.parked.delete(orderId);
    if (waiting) this.apply(waiting);
  }

  /** A place event belongs to the record holding its user order id: same tx, or close in time. */
  private matchPlace(e: Extract<RawOrderEvent, { type: 'place' }>): string | null {
    const known = this.byOrderId.get(e.orderId);
    if (known !== undefined) return known;
    if (e.userOrderId === 0) return null;
    const coid = this.ring.holder(e.userOrderId);
    if (coid === null) return null;
    const r = this.ring.record(coid);
    if (!r || r.orderId !== null) return null;
    if (r.txSig !== null && r.txSig === e.txSig) return coid;
    return e.ts >= r.ts - PLACE_MATCH_SLACK_MS ? coid : null;
  }

  /**
   * Settles a record against the account's resting orders: resting = working. Off the account is
   * conclusive only when the account state is at least as recent as the slot the order landed in
   * (a lagging subscription must not turn a fresh order into a cancel).
   */
  settleAgainstAccount(r: DriftOrderRecord, view: RawAccountView): DriftOrderRecord {
    const rest = view.orders.find((o) => o.userOrderId === r.userOrderId && o.marketIndex === r.marketIndex && o.direction === r.direction);
    if (rest && r.final === null) {
      this.ring.update(r.clientOrderId, { orderId: rest.orderId });
      // Fills parked while the order id was unknown are booked before the account's count is read.
      this.link(rest.orderId, r.clientOrderId);
      const cur = this.ring.record(r.clientOrderId) ?? r;
      if (cur.final !== null) return cur;
      return this.ring.update(r.clientOrderId, { state: 'live', filledBase: Math.max(cur.filledBase, rest.baseAssetAmountFilled) }) ?? cur;
    }
    if (r.final !== null || r.landedSlot === null || view.slot < r.landedSlot) return r;
    // Landed, no longer resting, no event saying why: the remainder was canceled (IOC remainder,
    // post-only that would cross, canceled elsewhere); its fills are booked from the order records.
    return this.ring.update(r.clientOrderId, { state: 'done', final: r.filledBase >= r.baseAssetAmount ? 'filled' : 'canceled' }) ?? r;
  }

  /** Our view of a record as the venue contract's order. */
  venueOrder(r: DriftOrderRecord): VenueOrder {
    const filledSize = fromDriftBase(r.filledBase);
    let status: VenueOrderStatus;
    if (r.final !== null) status = r.final;
    else status = r.filledBase > 0 ? 'partially_filled' : 'open';
    return {
      clientOrderId: r.clientOrderId,
      venueOrderId: r.orderId === null ? `uid-${r.subAccountId}-${r.userOrderId}` : String(r.orderId),
      symbol: r.symbol,
      status,
      filledSize,
      ...(r.rejectReason !== null ? { rejectReason: r.rejectReason } : {}),
      ts: this.now(),
    };
  }

  private emit(r: DriftOrderRecord): void {
    if (r.state === 'sending' || r.state === 'unknown') return;
    this.emitUpdate(this.venueOrder(r));
  }
}
