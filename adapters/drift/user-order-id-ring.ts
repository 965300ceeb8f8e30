import { VenueRejectError } from '../../src/core/errors.js';
import type { VenueStateStore } from '../../src/core/venue.js';

/** Drift's `userOrderId` is a u8: 1–255 (0 means none). */
export const USER_ORDER_ID_MAX = 255;

/**
 * What we remember about one of our orders, durable across restarts (the OrderManager's rows say
 * what we wanted; this says which Drift handle it rides on and how far sending got).
 */
export interface DriftOrderRecord {
  readonly clientOrderId: string;
  readonly subAccountId: number;
  readonly userOrderId: number;
  readonly symbol: string;
  readonly marketIndex: number;
  readonly direction: 'long' | 'short';
  /** Base 1e9 and price 1e6, as sent. */
  readonly baseAssetAmount: number;
  readonly price: number;
  /** Wall ms the record was written (just before sending). */
  readonly ts: number;
  /**
   * sending: written ahead of the send; unknown: sent, outcome not known; live: landed and placed;
   * done: terminal and off the account (its user order id is free again).
   */
  readonly state: 'sending' | 'unknown' | 'live' | 'done';
  readonly txSig: string | null;
  /** Wall ms the transaction was signed; absent in older records. */
  readonly sentTs?: number;
  /** The blockhash the place transaction was signed with and its last valid block height; absent in older records. */
  readonly blockhash?: string;
  readonly lastValidBlockHeight?: number;
  /** Slot the place transaction landed in, once known. */
  readonly landedSlot: number | null;
  /** Drift's own order id (u32, unique per user) once known. */
  readonly orderId: number | null;
  /** The final venue status once done. */
  readonly final: 'filled' | 'canceled' | 'rejected' | 'expired' | null;
  /** Base filled (1e9): the larger of the fills booked from events and the account's own count. */
  readonly filledBase: number;
  /** Base filled by the fill events booked into this record (1e9); absent in older records. */
  readonly eventFilledBase?: number;
  /** Fill keys (market:fillRecordId) booked into this record: a replay after a restart adds nothing. */
  readonly fillKeys?: readonly string[];
  readonly rejectReason: string | null;
}

/**
 * Maps our client order ids onto the 1–255 `userOrderId` ring of one subaccount, through the
 * durable venue state so a restart never hands out an id still in use. An id is held from the
 * moment it is written ahead of a send until its order is known terminal; it is never handed out
 * while its order's outcome is unknown, nor while an order on the account carries it (ours from a
 * lost record, or one placed by hand).
 */
export class UserOrderIdRing {
  constructor(
    private readonly store: VenueStateStore,
    private readonly subAccountId: number,
  ) {}

  private holdKey(uid: number): string {
    return `uid:${this.subAccountId}:${String(uid).padStart(3, '0')}`;
  }

  private recordKey(clientOrderId: string): string {
    return `coid:${clientOrderId}`;
  }

  /** The record of one of our orders, or null when we never sent it. */
  record(clientOrderId: string): DriftOrderRecord | null {
    const raw = this.store.get(this.recordKey(clientOrderId));
    return raw === null ? null : (JSON.parse(raw) as DriftOrderRecord);
  }

  /** The client order id holding `uid`, or null when free. */
  holder(uid: number): string | null {
    // The state port has no delete: a released id is stored as the empty string.
    const v = this.store.get(this.holdKey(uid));
    return v === null || v === '' ? null : v;
  }

  /** Records currently holding an id (sending, unknown or live), by user order id. */
  held(): DriftOrderRecord[] {
    const out: DriftOrderRecord[] = [];
    for (const { value } of this.store.list(`uid:${this.subAccountId}:`)) {
      if (value === '') continue;
      const r = this.record(value);
      if (r) out.push(r);
    }
    return out;
  }

  /** Every record we keep (held or done). */
  all(): DriftOrderRecord[] {
    return this.store.list('coid:').map(({ value }) => JSON.parse(value) as DriftOrderRecord);
  }

  /**
   * Picks the next free id after the last one handed out (round-robin, so a just-freed id is the
   * last to come back) and writes the record ahead of the send.
   * @param busyOnAccount user order ids of orders resting on the account right now.
   * @throws VenueRejectError when all 255 are taken (nothing was sent).
   */
  allocate(r: Omit<DriftOrderRecord, 'userOrderId' | 'state' | 'txSig' | 'landedSlot' | 'orderId' | 'final' | 'filledBase' | 'eventFilledBase' | 'fillKeys' | 'sentTs' | 'blockhash' | 'lastValidBlockHeight' | 'rejectReason'>, busyOnAccount: ReadonlySet<number>): number {
    if (this.record(r.clientOrderId) !== null) throw new VenueRejectError(`client order id ${r.clientOrderId} was already sent`, { reason: 'duplicate_client_order_id' });
    const cursorKey = `cursor:${this.subAccountId}`;
    const last = Number(this.store.get(cursorKey) ?? '0');
    for (let step = 1; step <= USER_ORDER_ID_MAX; step++) {
      const uid = ((last + step - 1) % USER_ORDER_ID_MAX) + 1;
      if (busyOnAccount.has(uid) || this.holder(uid) !== null) continue;
      this.store.set(cursorKey, String(uid));
      this.store.set(this.holdKey(uid), r.clientOrderId);
      this.write({ ...r, userOrderId: uid, state: 'sending', txSig: null, landedSlot: null, orderId: null, final: null, filledBase: 0, rejectReason: null });
      return uid;
    }
    throw new VenueRejectError('all 255 Drift user order ids are in use on this subaccount', { reason: 'user_order_ids_exhausted' });
  }

  /** Updates a record; when it becomes done, its id is released. */
  update(clientOrderId: string, patch: Partial<Pick<DriftOrderRecord, 'state' | 'txSig' | 'sentTs' | 'blockhash' | 'lastValidBlockHeight' | 'landedSlot' | 'orderId' | 'final' | 'filledBase' | 'eventFilledBase' | 'fillKeys' | 'rejectReason'>>): DriftOrderRecord | null {
    const r = this.record(clientOrderId);
    if (!r) return null;
    const next = { ...r, ...patch };
    this.write(next);
    if (next.state === 'done' && this.holder(r.userOrderId) === clientOrderId) this.store.set(this.holdKey(r.userOrderId), '');
    return next;
  }

  private write(r: DriftOrderRecord): void {
    this.store.set(this.recordKey(r.clientOrderId), JSON.stringify(r));
  }
}
