import {
  RawTxError,
  type DriftRawClient,
  type RawAccountOrder,
  type RawAccountView,
  type RawMargin,
  type RawOrderEvent,
  type RawOrderParams,
  type RawPerpPosition,
  type RawTxResult,
  type RawTxStatus,
  type SentTx,
  type TxExpiry,
} from '../../../../adapters/drift/drift-raw-client.js';

type SendMode = 'ok' | 'never-confirm' | 'reject' | 'network';

interface PendingTx {
  readonly params: RawOrderParams;
  status: 'pending' | 'dropped' | 'confirmed';
  slot: number;
  events: RawOrderEvent[];
}

/**
 * A hand-written Drift: one subaccount's resting orders, its order-event log, transactions that can
 * be made to hang, land late or drop, and an event stream that can be cut and restored.
 */
export class FakeDriftRaw implements DriftRawClient {
  readonly sent: RawOrderParams[] = [];
  readonly cancels: number[] = [];
  readonly log: RawOrderEvent[] = [];
  orders: RawAccountOrder[] = [];
  mode: SendMode = 'ok';
  /** Confirmed, but the landing slot is not known to the sender (RPC lag after confirmation). */
  hideLandedSlot = false;
  slot = 100;
  /** The chain's block height (a blockhash signed now is valid 150 blocks more). */
  blockHeight = 90;
  /** Chain time (ms) stamped on events. */
  ts = 1_700_000_000_000;
  connected = true;
  private nextOrderId = 1;
  private nextFillId = 1;
  private nextSig = 1;
  private readonly txs = new Map<string, PendingTx>();
  private onEvent: ((e: RawOrderEvent) => void) | null = null;
  private onReconnect: (() => void) | null = null;

  async openOrders(): Promise<RawAccountView> {
    return { slot: this.slot, orders: this.orders.map((o) => ({ ...o })) };
  }

  async placePerpOrder(p: RawOrderParams, onSent: (sent: SentTx) => void): Promise<RawTxResult> {
    if (this.mode === 'reject') throw new RawTxError('rejected', 'simulation failed: PostOnly would cross');
    this.sent.push(p);
    const sig = `sig${this.nextSig++}`;
    onSent({ txSig: sig, blockhash: `bh${sig}`, lastValidBlockHeight: this.blockHeight + 150 });
    if (this.mode === 'network') throw new RawTxError('network', 'socket hang up', sig);
    if (this.mode === 'never-confirm') {
      this.txs.set(sig, { params: p, status: 'pending', slot: 0, events: [] });
      throw new RawTxError('unconfirmed', 'not confirmed within 30000 ms', sig);
    }
    const { slot, events } = this.land(p, sig);
    this.txs.set(sig, { params: p, status: 'confirmed', slot, events });
    return { txSig: sig, slot: this.hideLandedSlot ? Number.MAX_SAFE_INTEGER : slot, events: this.hideLandedSlot ? [] : events };
  }

  /** A hanging transaction finally lands. */
  landLate(sig: string): void {
    const tx = this.txs.get(sig)!;
    const { slot, events } = this.land(tx.params, sig);
    tx.status = 'confirmed';
    tx.slot = slot;
    tx.events = events;
  }

  /** A hanging transaction's blockhash expires: it never lands. */
  drop(sig: string): void {
    this.txs.get(sig)!.status = 'dropped';
  }

  /** Places an order by hand (another tool): it rests on the account with `userOrderId`. */
  placeByHand(userOrderId: number, marketIndex = 0): RawAccountOrder {
    const o: RawAccountOrder = { orderId: this.nextOrderId++, userOrderId, marketIndex, direction: 'long', price: 1, baseAssetAmount: 1e9, baseAssetAmountFilled: 0, reduceOnly: false, postOnly: true };
    this.orders.push(o);
    return o;
  }

  /** A filler fills `base` of a resting order at `price` (1e6). Delivered live only while connected. */
  fill(orderId: number, base: number, price: number, liquidity: 'maker' | 'taker' = 'maker'): RawOrderEvent {
    const o = this.orders.find((x) => x.orderId === orderId);
    const direction = o?.direction ?? 'long';
    if (o) {
      const filled = o.baseAssetAmountFilled + base;
      this.orders = filled >= o.baseAssetAmount ? this.orders.filter((x) => x !== o) : this.orders.map((x) => (x === o ? { ...x, baseAssetAmountFilled: filled } : x));
    }
    this.slot++;
    const e: RawOrderEvent = {
      type: 'fill',
      fillRecordId: this.nextFillId++,
      orderId,
      marketIndex: o?.marketIndex ?? 0,
      direction,
      baseAssetAmountFilled: base,
      quoteAssetAmountFilled: Math.round((base / 1e9) * price),
      fee: liquidity === 'maker' ? -Math.round((base / 1e9) * price * 0.0002) : Math.round((base / 1e9) * price * 0.00035),
      liquidity,
      ts: this.tick(),
      txSig: `fill${this.nextFillId}`,
    };
    this.emit(e);
    return e;
  }

  /** Delivers an event live (as if late), without changing the account. */
  deliver(e: RawOrderEvent): void {
    this.onEvent?.(e);
  }

  disconnect(): void {
    this.connected = false;
  }

  reconnect(): void {
    this.connected = true;
    this.onReconnect?.();
  }

  async cancelOrderByUserId(userOrderId: number): Promise<RawTxResult> {
    const o = this.orders.find((x) => x.userOrderId === userOrderId);
    if (!o) throw new RawTxError('rejected', `no order with user order id ${userOrderId}`);
    this.cancels.push(userOrderId);
    this.orders = this.orders.filter((x) => x !== o);
    this.slot++;
    const e: RawOrderEvent = { type: 'cancel', orderId: o.orderId, marketIndex: o.marketIndex, ts: this.tick(), explanation: 'none', txSig: `cancel${o.orderId}` };
    this.log.push(e);
    return { txSig: e.txSig, slot: this.slot, events: [e] };
  }

  async cancelOrders(marketIndex: number | null): Promise<RawTxResult> {
    const gone = this.orders.filter((o) => marketIndex === null || o.marketIndex === marketIndex);
    this.orders = this.orders.filter((o) => !gone.includes(o));
    this.slot++;
    const events: RawOrderEvent[] = gone.map((o) => ({ type: 'cancel', orderId: o.orderId, marketIndex: o.marketIndex, ts: this.tick(), explanation: 'none', txSig: 'cancelAll' }));
    this.log.push(...events);
    return { txSig: 'cancelAll', slot: this.slot, events };
  }

  async txStatus(txSig: string, _expiry?: TxExpiry): Promise<RawTxStatus> {
    const tx = this.txs.get(txSig);
    if (!tx) return { status: 'dropped' };
    if (tx.status === 'confirmed') return { status: 'confirmed', slot: tx.slot, events: tx.events };
    return { status: tx.status };
  }

  async eventsSince(ts: number): Promise<readonly RawOrderEvent[]> {
    return this.log.filter((e) => e.ts >= ts);
  }

  subscribe(onEvent: (e: RawOrderEvent) => void, onReconnect: () => void): void {
    this.onEvent = onEvent;
    this.onReconnect = onReconnect;
  }

  async margin(): Promise<RawMargin> {
    return { totalCollateral: 1_000e6, freeCollateral: 800e6, initialMargin: 200e6, maintenanceMargin: 100e6, netUsdValue: 1_010e6, health: 90, leverage: 20_000 };
  }

  async positions(): Promise<readonly RawPerpPosition[]> {
    return [{ marketIndex: 0, baseAssetAmount: -2e9, quoteEntryAmount: 300e6, settledPnl: 0, liquidationPrice: 480e6 }];
  }

  async close(): Promise<void> {}

  private land(p: RawOrderParams, sig: string): { slot: number; events: RawOrderEvent[] } {
    this.slot++;
    const orderId = this.nextOrderId++;
    const place: RawOrderEvent = { type: 'place', orderId, userOrderId: p.userOrderId, marketIndex: p.marketIndex, ts: this.tick(), txSig: sig };
    this.log.push(place);
    const events: RawOrderEvent[] = [place];
    if (p.immediateOrCancel) {
      // Nothing to match against in the fake: an IOC's remainder is canceled in the same transaction.
      const cancel: RawOrderEvent = { type: 'cancel', orderId, marketIndex: p.marketIndex, ts: this.ts, explanation: 'none', txSig: sig };
      this.log.push(cancel);
      events.push(cancel);
    } else {
      this.orders.push({ orderId, userOrderId: p.userOrderId, marketIndex: p.marketIndex, direction: p.direction, price: p.price, baseAssetAmount: p.baseAssetAmount, baseAssetAmountFilled: 0, reduceOnly: p.reduceOnly, postOnly: p.postOnly });
    }
    return { slot: this.slot, events };
  }

  private emit(e: RawOrderEvent): void {
    this.log.push(e);
    if (this.connected) this.onEvent?.(e);
  }

  private tick(): number {
    this.ts += 1000;
    return this.ts;
  }
}
