import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../../src/core/clock.js';
import { ErrorCodes, VenueRejectError, VenueUnknownOutcomeError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { Fill, Instrument, OrderRequest } from '../../../../src/core/types.js';
import type { VenueOrder } from '../../../../src/core/venue.js';
import { WeightedLimiter } from '../../../../src/core/weighted-limiter.js';
import { driftRateBudgets } from '../../../../adapters/drift/drift-quirks.js';
import { Store } from '../../../../src/store/store.js';
import { DriftVenue } from '../../../../adapters/drift/drift-venue.js';
import { UserOrderIdRing } from '../../../../adapters/drift/user-order-id-ring.js';
import type { TxExpiry } from '../../../../adapters/drift/drift-raw-client.js';
import { FakeDriftRaw } from './fake-drift-raw.js';

const SOL: Instrument = {
  venue: 'drift',
  symbol: 'SOL-PERP',
  baseAsset: 'SOL',
  quoteAsset: 'USDC',
  tickSize: 0.0001,
  lotSize: 0.01,
  minSize: 0.01,
  minNotional: 0,
  maxLeverage: 10,
  makerFeeRate: -0.0002,
  takerFeeRate: 0.00035,
  initialMarginRatio: 0.1,
  maintenanceMarginRatio: 0.05,
  fundingIntervalMs: 3_600_000,
};

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function dbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'dnbot-drift-')), 's.db');
}

function open(db: string, raw: FakeDriftRaw, limits = { rpcPerSecond: 1e6, txPerSecond: 1e6 }, top: { bid: number | null; ask: number | null } | null = { bid: 149.5, ask: 150.5 }) {
  const store = Store.open(db);
  stores.push(store);
  const wall = new SimClock(1_700_000_000_000);
  const ring = new UserOrderIdRing(store.venueState.scoped('drift', () => wall.now()), 0);
  const venue = new DriftVenue({
    raw,
    ring,
    subAccountId: 0,
    instruments: [SOL],
    marketIndex: new Map([['SOL-PERP', 0]]),
    wall,
    logger: silentLogger,
    limiter: new WeightedLimiter(wall, driftRateBudgets(limits)),
    accountRefreshMs: 2_000,
    top: () => top,
    marketSlippageBps: 100,
  });
  const fills: Fill[] = [];
  const updates: VenueOrder[] = [];
  venue.onFill((f) => fills.push(f));
  venue.onOrderUpdate((u) => updates.push(u));
  venue.start();
  return { venue, fills, updates, store, wall, ring };
}

function req(id: string, over: Partial<OrderRequest> = {}): OrderRequest {
  return { clientOrderId: id, symbol: 'SOL-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 150, size: 1, reduceOnly: false, ...over };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('DriftVenue over a faked raw client', () => {
  it('sends prices and sizes at Drift precision, rounded never more aggressive, with the flags asked for', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    await venue.placeOrder(req('b1', { price: 150.12349, size: 1.239 }));
    await venue.placeOrder(req('s1', { side: 'sell', tif: 'IOC', price: 150.12341, size: 0.5, reduceOnly: true }));
    expect(raw.sent[0]).toMatchObject({ direction: 'long', price: 150_123_400, baseAssetAmount: 1_230_000_000, postOnly: true, immediateOrCancel: false, reduceOnly: false });
    expect(raw.sent[1]).toMatchObject({ direction: 'short', price: 150_123_500, baseAssetAmount: 500_000_000, postOnly: false, immediateOrCancel: true, reduceOnly: true });
    expect(raw.sent[0]!.userOrderId).not.toBe(raw.sent[1]!.userOrderId);
    expect(await codeOf(venue.placeOrder(req('tiny', { size: 0.004 })))).toBe(ErrorCodes.VENUE_REJECTED);
    // A bid under one tick rounds down to zero: refused, never sent as a zero price.
    expect(await codeOf(venue.placeOrder(req('zero', { price: 0.00004 })))).toBe(ErrorCodes.VENUE_REJECTED);
    expect(await codeOf(venue.placeOrder(req('nan', { price: Number.NaN })))).toBe(ErrorCodes.VENUE_REJECTED);
    expect(raw.sent).toHaveLength(2);
  });

  it('a transaction that never confirms is an unknown outcome, settled by lookup and never resent', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    raw.mode = 'never-confirm';
    await expect(venue.placeOrder(req('u1'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    const uid = raw.sent[0]!.userOrderId;
    // Still pending: lookup says unknown (the OrderManager retries), and the id stays held.
    await expect(venue.lookupOrder('u1', 'SOL-PERP')).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    raw.mode = 'ok';
    await venue.placeOrder(req('other'));
    expect(raw.sent[1]!.userOrderId).not.toBe(uid);
    raw.landLate('sig1');
    const vo = await venue.lookupOrder('u1', 'SOL-PERP');
    expect(vo?.status).toBe('open');
    expect(raw.sent.filter((p) => p.userOrderId === uid)).toHaveLength(1);

    // A second one whose blockhash expires: never seen, and its id is released.
    raw.mode = 'never-confirm';
    await expect(venue.placeOrder(req('u2'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    const sig = `sig${raw.sent.length}`;
    raw.drop(sig);
    expect(await venue.lookupOrder('u2', 'SOL-PERP')).toBeNull();
    expect(raw.sent).toHaveLength(3);
  });

  it('a refused transaction is a rejection and frees its id; a lost socket is unknown', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    raw.mode = 'reject';
    await expect(venue.placeOrder(req('r1'))).rejects.toBeInstanceOf(VenueRejectError);
    expect((await venue.lookupOrder('r1', 'SOL-PERP'))?.status).toBe('rejected');
    raw.mode = 'network';
    await expect(venue.placeOrder(req('n1'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
  });

  it('a fill arriving after the cancel is booked once, to the right order', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    await venue.placeOrder(req('c1', { size: 2 }));
    const resting = raw.orders[0]!;
    // The fill landed before the cancel on chain, but its event reaches us after the cancel.
    raw.disconnect();
    const late = raw.fill(resting.orderId, 1e9, 150e6);
    raw.connected = true;
    await venue.cancelOrder('c1', 'SOL-PERP');
    expect((await venue.lookupOrder('c1', 'SOL-PERP'))?.status).toBe('canceled');
    raw.deliver(late);
    raw.deliver(late);
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ clientOrderId: 'c1', side: 'buy', size: 1, price: 150, liquidity: 'maker' });
    expect(fills[0]!.fee).toBeCloseTo(-0.03, 9);
    const vo = await venue.lookupOrder('c1', 'SOL-PERP');
    expect(vo).toMatchObject({ status: 'canceled', filledSize: 1 });
  });

  it('255 live order ids: every one distinct, the 256th refused unsent, a freed id comes back', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    raw.placeByHand(7); // an order placed by another tool holds id 7
    for (let i = 0; i < 254; i++) await venue.placeOrder(req(`o${i}`));
    const ids = raw.sent.map((p) => p.userOrderId);
    expect(new Set(ids).size).toBe(254);
    expect(ids).not.toContain(7);
    expect(ids.every((u) => u >= 1 && u <= 255)).toBe(true);
    const e = await venue.placeOrder(req('o254')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VenueRejectError);
    expect((e as VenueRejectError).details['reason']).toBe('user_order_ids_exhausted');
    expect(raw.sent).toHaveLength(254);
    // o10 fills completely: its id is free again, and the next order takes it.
    const o10 = raw.orders.find((o) => o.userOrderId === raw.sent[10]!.userOrderId)!;
    raw.fill(o10.orderId, o10.baseAssetAmount, 150e6);
    await venue.placeOrder(req('o255'));
    expect(raw.sent[254]!.userOrderId).toBe(o10.userOrderId);
  });

  it('a reconnect backfills the fills missed while the event stream was down, none twice', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    await venue.placeOrder(req('m1', { size: 3 }));
    const id = raw.orders[0]!.orderId;
    raw.fill(id, 1e9, 150e6);
    raw.disconnect();
    raw.fill(id, 1e9, 150.1e6);
    raw.fill(id, 1e9, 150.2e6);
    expect(fills).toHaveLength(1);
    raw.reconnect();
    await new Promise((r) => setImmediate(r));
    raw.reconnect();
    await new Promise((r) => setImmediate(r));
    expect(fills.map((f) => f.price)).toEqual([150, 150.1, 150.2]);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(3);
    expect((await venue.lookupOrder('m1', 'SOL-PERP'))?.status).toBe('filled');
    expect((await venue.fillsSince(0)).length).toBe(3);
  });

  it('an order gone from the account after a missed full fill reads as filled, not canceled', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    await venue.placeOrder(req('f1', { size: 2 }));
    raw.disconnect();
    raw.fill(raw.orders[0]!.orderId, 2e9, 149e6);
    expect(raw.orders).toHaveLength(0);
    const vo = await venue.lookupOrder('f1', 'SOL-PERP');
    expect(vo).toMatchObject({ status: 'filled', filledSize: 2 });
    expect(fills.map((f) => f.size)).toEqual([2]);
  });

  it('a landing slot unknown at confirmation is learnt at lookup before the account can settle the order', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    raw.hideLandedSlot = true;
    expect((await venue.placeOrder(req('h1')))?.status).toBe('open');
    raw.disconnect();
    raw.fill(raw.orders[0]!.orderId, 1e9, 150e6);
    expect((await venue.lookupOrder('h1', 'SOL-PERP'))?.status).toBe('filled');
  });

  it('after a restart, held ids stay held and an unknown order is settled from its transaction', async () => {
    const db = dbPath();
    const raw = new FakeDriftRaw();
    const first = open(db, raw);
    await first.venue.placeOrder(req('a'));
    raw.mode = 'never-confirm';
    await expect(first.venue.placeOrder(req('b'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    const [ua, ub] = [raw.sent[0]!.userOrderId, raw.sent[1]!.userOrderId];
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    raw.mode = 'ok';
    const second = open(db, raw);
    await second.venue.placeOrder(req('c'));
    expect([ua, ub]).not.toContain(raw.sent[2]!.userOrderId);
    raw.landLate('sig2');
    expect((await second.venue.lookupOrder('b', 'SOL-PERP'))?.status).toBe('open');
    expect((await second.venue.lookupOrder('a', 'SOL-PERP'))?.status).toBe('open');
    // A reused client order id is refused before anything is sent.
    await expect(second.venue.placeOrder(req('a'))).rejects.toBeInstanceOf(VenueRejectError);
    expect(raw.sent).toHaveLength(3);
  });

  it('transactions per second from config: the third of three orders waits for the window to pass', async () => {
    const raw = new FakeDriftRaw();
    const { venue, wall } = open(dbPath(), raw, { rpcPerSecond: 100, txPerSecond: 2 });
    const all = Promise.all([venue.placeOrder(req('t1')), venue.placeOrder(req('t2')), venue.placeOrder(req('t3'))]);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(raw.sent).toHaveLength(2);
    wall.advanceTo(wall.now() + 1_100);
    await all;
    expect(raw.sent).toHaveLength(3);
  });

  it('account, positions and liquidation prices come from the SDK numbers, the account cached', async () => {
    const raw = new FakeDriftRaw();
    let calls = 0;
    const margin = raw.margin.bind(raw);
    raw.margin = () => {
      calls++;
      return margin();
    };
    const { venue, wall } = open(dbPath(), raw);
    expect(await venue.account()).toEqual({ equity: 1010, collateral: 1000, freeCollateral: 800, initialMargin: 200, maintenanceMargin: 100 });
    await venue.account();
    expect(calls).toBe(1);
    wall.advanceTo(wall.now() + 2_000);
    await venue.account();
    expect(calls).toBe(2);
    expect(await venue.marginState()).toMatchObject({ health: 90, leverage: 2 });
    expect(await venue.positions()).toEqual([{ symbol: 'SOL-PERP', size: -2, entryPrice: 150, realizedPnl: 0 }]);
    expect(await venue.liquidationPrices()).toEqual([{ symbol: 'SOL-PERP', size: -2, price: 480 }]);
    // The liquidation monitor's view: maintenance margin in quote USD, liquidation prices in quote
    // per base, null where the SDK says -1 (no price liquidates the account).
    expect(await venue.venueMargin()).toEqual({ maintenanceMargin: 100, liquidationPrices: new Map([['SOL-PERP', 480]]) });
    raw.positions = async () => [{ marketIndex: 0, baseAssetAmount: 1e9, quoteEntryAmount: -150e6, settledPnl: 0, liquidationPrice: -1 }];
    expect((await venue.venueMargin()).liquidationPrices).toEqual(new Map([['SOL-PERP', null]]));
  });

  it('a market order (no price: hedge unwinds, closes) goes out as an IOC limit through the book by the slippage, refused unsent without a book', async () => {
    const raw = new FakeDriftRaw();
    const { venue } = open(dbPath(), raw);
    await venue.placeOrder(req('mb', { type: 'market', tif: 'IOC', price: undefined as unknown as number, reduceOnly: true }));
    await venue.placeOrder(req('ms', { type: 'market', tif: 'IOC', side: 'sell', price: undefined as unknown as number }));
    // buy: ask 150.5 × 1.01 = 152.005 → 152.0050 on the 0.0001 tick; sell: bid 149.5 × 0.99 = 148.005.
    expect(raw.sent[0]).toMatchObject({ direction: 'long', price: 152_005_000, immediateOrCancel: true, postOnly: false, reduceOnly: true });
    expect(raw.sent[1]).toMatchObject({ direction: 'short', price: 148_005_000, immediateOrCancel: true });
    const bare = open(dbPath(), new FakeDriftRaw(), undefined, { bid: null, ask: null });
    await expect(bare.venue.placeOrder(req('mx', { type: 'market', tif: 'IOC', price: undefined as unknown as number }))).rejects.toBeInstanceOf(VenueRejectError);
  });

  it('a fill that arrived before its order was known is booked once the account reveals the order id', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    // The transaction hangs, then lands; a filler fills half before we learn the order's id.
    raw.mode = 'never-confirm';
    await expect(venue.placeOrder(req('p1', { size: 2 }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    raw.landLate('sig1');
    const o = raw.orders[0]!;
    raw.fill(o.orderId, 1e9, 150e6); // delivered live, its order id not known yet
    // The account (resting order, half filled) settles the lookup before the transaction does.
    expect(await venue.lookupOrder('p1', 'SOL-PERP')).toMatchObject({ status: 'partially_filled', filledSize: 1 });
    expect(fills.map((f) => [f.clientOrderId, f.size])).toEqual([['p1', 1]]);
    raw.fill(o.orderId, 1e9, 150e6);
    expect(fills).toHaveLength(2);
    expect((await venue.lookupOrder('p1', 'SOL-PERP'))?.status).toBe('filled');
  });

  it('after a restart, replayed fills are not counted twice into an order still resting', async () => {
    const db = dbPath();
    const raw = new FakeDriftRaw();
    const first = open(db, raw);
    await first.venue.placeOrder(req('r', { size: 2 }));
    raw.fill(raw.orders[0]!.orderId, 1e9, 150e6);
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const second = open(db, raw);
    // Start-up reconciliation backfills from before the fill: the same fill record comes again.
    await second.venue.fillsSince(0);
    raw.reconnect();
    await new Promise((r) => setImmediate(r));
    const vo = await second.venue.lookupOrder('r', 'SOL-PERP');
    expect(vo).toMatchObject({ status: 'partially_filled', filledSize: 1 });
    expect(raw.orders).toHaveLength(1);
  });

  it('an order filled on the live stream before its transaction confirms stays done: its freed id is never canceled', async () => {
    const raw = new FakeDriftRaw();
    const place = raw.placePerpOrder.bind(raw);
    raw.placePerpOrder = async (p, onSent) => {
      const res = await place(p, onSent);
      // The logs subscription is faster than the confirmation: place and full fill arrive first.
      for (const e of res.events) raw.deliver(e);
      raw.fill(raw.orders.at(-1)!.orderId, p.baseAssetAmount, 150e6);
      return res;
    };
    const { venue } = open(dbPath(), raw);
    expect((await venue.placeOrder(req('q1')))?.status).toBe('filled');
    raw.placePerpOrder = place;
    // Another order now rides the same user order id (a hand-placed one here): a late cancel of q1 must not touch it.
    const other = raw.placeByHand(raw.sent[0]!.userOrderId);
    await venue.cancelOrder('q1', 'SOL-PERP');
    expect(raw.cancels).toEqual([]);
    expect(raw.orders).toContain(other);
  });

  it('periodic backfills never pile up, and each one starts near where the last finished', async () => {
    const raw = new FakeDriftRaw();
    const since: number[] = [];
    let release: () => void = () => undefined;
    raw.eventsSince = async (ts) => {
      since.push(ts);
      await new Promise<void>((r) => (release = r));
      return [];
    };
    const { wall } = open(dbPath(), raw);
    const t0 = wall.now();
    raw.reconnect();
    raw.reconnect(); // the next tick while the first backfill still runs
    await new Promise((r) => setImmediate(r));
    expect(since).toHaveLength(1);
    release();
    await new Promise((r) => setImmediate(r));
    // A quiet account: each backfill reads from a minute before the previous one began, not from
    // the last event (which would re-read the whole quiet spell every time).
    for (const at of [300_000, 600_000]) {
      wall.advanceTo(t0 + at);
      raw.reconnect();
      await new Promise((r) => setImmediate(r));
      release();
      await new Promise((r) => setImmediate(r));
    }
    expect(since).toHaveLength(3);
    expect(since[2]).toBe(t0 + 300_000 - 60_000);
  });

  it('after a restart, a hanging transaction is timed from when it was signed, not from when its order was queued', async () => {
    const db = dbPath();
    const raw = new FakeDriftRaw();
    const first = open(db, raw);
    const queuedAt = first.wall.now();
    const place = raw.placePerpOrder.bind(raw);
    raw.placePerpOrder = async (p, onSent) => {
      first.wall.advanceTo(queuedAt + 120_000); // two minutes in the limiter's queue before signing
      return place(p, onSent);
    };
    raw.mode = 'never-confirm';
    await expect(first.venue.placeOrder(req('w1'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const second = open(db, raw);
    const expiries: TxExpiry[] = [];
    raw.txStatus = async (_sig: string, e?: TxExpiry) => {
      expiries.push(e!);
      return { status: 'pending' };
    };
    await expect(second.venue.lookupOrder('w1', 'SOL-PERP')).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    // The record carries the blockhash's expiry height, persisted before the send, and the signing time.
    expect(expiries).toEqual([{ lastValidBlockHeight: 240, sentAt: queuedAt + 120_000 }]);
    expect(second.ring.record('w1')).toMatchObject({ blockhash: 'bhsig1', lastValidBlockHeight: 240 });
  });

  it('a stale market stream cancels every resting order, one cancel-all at a time (Drift has no dead-man switch)', async () => {
    const raw = new FakeDriftRaw();
    const { venue, updates } = open(dbPath(), raw);
    await venue.placeOrder(req('s1'));
    await venue.placeOrder(req('s2', { side: 'sell', price: 151 }));
    let calls = 0;
    const cancelOrders = raw.cancelOrders.bind(raw);
    raw.cancelOrders = (idx) => {
      calls++;
      return cancelOrders(idx);
    };
    venue.onStale('SOL-PERP', 'resyncing after a reconnect');
    venue.onStale('SOL-PERP', 'resyncing after a reconnect');
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    expect(raw.orders).toHaveLength(0);
    expect(updates.filter((u) => u.status === 'canceled').map((u) => u.clientOrderId).sort()).toEqual(['s1', 's2']);
  });

  it('a lookup failing after the transaction landed leaves the landed order settled, not unknown again', async () => {
    const raw = new FakeDriftRaw();
    const { venue, store, wall } = open(dbPath(), raw);
    const openOrders = raw.openOrders.bind(raw);
    let failNext = false;
    raw.openOrders = async () => {
      if (failNext) throw new Error('fetch failed');
      return openOrders();
    };
    const place = raw.placePerpOrder.bind(raw);
    raw.placePerpOrder = async (p, onSent) => {
      const res = await place(p, onSent);
      failNext = true; // the RPC fails right after the confirmation
      return res;
    };
    await expect(venue.placeOrder(req('i1'))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    const ring = new UserOrderIdRing(store.venueState.scoped('drift', () => wall.now()), 0);
    expect(ring.record('i1')).toMatchObject({ state: 'live', orderId: raw.orders[0]!.orderId });
    failNext = false;
    expect((await venue.lookupOrder('i1', 'SOL-PERP'))?.status).toBe('open');
  });

  it('a lookup while the order still waits to be sent does not declare it never sent', async () => {
    const raw = new FakeDriftRaw();
    const { venue, wall } = open(dbPath(), raw, { rpcPerSecond: 100, txPerSecond: 1 });
    const place = raw.placePerpOrder.bind(raw);
    raw.placePerpOrder = async (p, onSent) => {
      // Building the instruction and fetching a blockhash take a while before the signature exists.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      return place(p, onSent);
    };
    await venue.placeOrder(req('k1'));
    const second = venue.placeOrder(req('k2')); // waits for the transaction budget
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(raw.sent).toHaveLength(1);
    // The lookup queues behind the send and may run between its grant and its signature.
    const early = venue.lookupOrder('k2', 'SOL-PERP').catch((e: unknown) => e);
    wall.advanceTo(wall.now() + 1_100);
    expect((await second).status).toBe('open');
    const got = await early;
    expect(got === null || (got as VenueOrder).status === 'expired').toBe(false);
    expect((await venue.lookupOrder('k2', 'SOL-PERP'))?.status).toBe('open');
  });

  it('events of orders that are not ours (placed by hand on the subaccount) wait for a place in bounded memory', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    for (let i = 0; i < 1_500; i++) {
      raw.deliver({ type: 'fill', fillRecordId: 90_000 + i, orderId: 50_000 + i, marketIndex: 0, direction: 'long', baseAssetAmountFilled: 1e9, quoteAssetAmountFilled: 150e6, fee: 0, liquidity: 'maker', ts: raw.ts, txSig: `x${i}` });
    }
    const parked = (venue as unknown as { tracker: { parked: Map<number, unknown> } }).tracker.parked;
    expect(parked.size).toBeLessThanOrEqual(1_000);
    expect(fills).toHaveLength(0);
  });

  it('a partial fill seen first on the account and then as an event is counted once: the order stays working', async () => {
    const raw = new FakeDriftRaw();
    const { venue, fills } = open(dbPath(), raw);
    await venue.placeOrder(req('pf', { size: 2 }));
    raw.disconnect();
    raw.fill(raw.orders[0]!.orderId, 1e9, 150e6);
    // The account shows 1 of 2 filled before the event arrives.
    expect((await venue.openOrders())[0]).toMatchObject({ clientOrderId: 'pf', status: 'partially_filled', filledSize: 1 });
    raw.reconnect();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(fills).toHaveLength(1);
    expect(await venue.lookupOrder('pf', 'SOL-PERP')).toMatchObject({ status: 'partially_filled', filledSize: 1 });
    expect(raw.orders).toHaveLength(1);
  });
});
