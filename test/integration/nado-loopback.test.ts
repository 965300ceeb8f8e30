import { describe, expect, it } from 'vitest';
import { isDnbotError, ErrorCodes } from '../../src/core/errors.js';
import { LiveClock, type Clock } from '../../src/core/clock.js';
import type { Fill } from '../../src/core/types.js';
import type { NadoVenue } from '../../adapters/nado/nado-venue.js';
import { useLoopbackNado } from '../support/loopback-nado/loopback-suite.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { memoryState, TEST_WALLET, until, waitFor } from '../support/loopback-nado/open-loopback.js';
import type { VenueBundle, VenueOrder } from '../../src/core/venue.js';

describe.skipIf(!nadoDataPresent)('Nado adapter against a loopback Nado (recorded payloads in test/fixtures/venues/nado)', () => {
  const t = useLoopbackNado();
  let bundle: VenueBundle | null = null;

  it('maps instruments and streams a seeded book that follows the deltas', async () => {
    bundle = await t.open({ mode: 'paper', config: { markPollMs: 200 } });
    expect(bundle.live).toBeNull();
    const btc = bundle.source.instruments.find((i) => i.symbol === 'BTC-PERP')!;
    expect(btc).toMatchObject({ venue: 'nado', tickSize: 1, lotSize: 0.00005, minNotional: 10, makerFeeRate: 0.0001, takerFeeRate: 0.00035 });
    expect(btc.maxLeverage).toBeCloseTo(20, 6);
    const hist = bundle.source.history('BTC-PERP', 10);
    expect(hist).toHaveLength(10);
    expect(hist.map((c) => c.ts)).toEqual([...hist.map((c) => c.ts)].sort((a, b) => a - b));
    expect(hist[9]!.close).toBe(t.loop.product('BTC-PERP').mid); // the latest minute last
    expect(hist[9]!.ts - hist[8]!.ts).toBe(60_000);
    const first = await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP');
    if (first.kind !== 'book') throw new Error();
    const p = t.loop.product('BTC-PERP');
    expect(first.book.bids[0]!.price).toBe(p.mid - 5);
    t.loop.publishBook(p.productId, [[p.mid - 1, 0.7]], []);
    const next = await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP' && e.book.bids[0]!.price === p.mid - 1);
    if (next.kind !== 'book') throw new Error();
    expect(next.book.bids[0]!.size).toBeCloseTo(0.7, 12);
    const h = bundle.source.feedHealth();
    expect(h.find((x) => x.symbol === 'BTC-PERP')).toMatchObject({ stale: false, resyncs: 0, dropped: 0 });
    const mark = await until(bundle.source, (e) => e.kind === 'mark' && e.mark.symbol === 'BTC-PERP');
    if (mark.kind !== 'mark') throw new Error();
    expect(mark.mark.markPrice).toBe(p.mid + 1);
    expect(mark.mark.fundingRate).toBeCloseTo(0.0024 / 24, 15); // the archive's 24 h rate, per hour
    // ETH was seeded from its snapshot, but no frame has proven its stream alive yet.
    expect(h.find((x) => x.symbol === 'ETH-PERP')).toMatchObject({ stale: true, reason: 'resynced, waiting for the stream' });
  });

  it('places with our rounding (bid down), signs for the wallet, computes the digest the venue uses, cancels', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const p = t.loop.product('BTC-PERP');
    const o = await live.placeOrder({ clientOrderId: 'b-000001', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: p.mid - 100.7, size: 0.00012, reduceOnly: false });
    expect(t.loop.placed).toHaveLength(1);
    expect(o.venueOrderId).toBe(t.loop.placed[0]);
    const resting = t.loop.orders.get(o.venueOrderId)!;
    expect(Number(BigInt(resting.priceX18) / 10n ** 18n)).toBe(p.mid - 101);
    expect(resting.amount).toBe(100_000_000_000_000n); // 0.0001 (two lots), rounded down
    // appendix: version 1, post-only (3 << 9), no builder fee
    expect(BigInt(resting.appendix)).toBe(1n + (3n << 9n));
    const open = await live.openOrders();
    expect(open.map((x) => x.clientOrderId)).toEqual(['b-000001']);
    await live.cancelOrder('b-000001', 'BTC-PERP');
    expect(t.loop.orders.get(o.venueOrderId)!.status).toBe('cancelled');
    expect(await live.openOrders()).toEqual([]);
  });

  it('fills come from the private stream, mapped to our client id, and a reconnect backfills what was missed', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const fills: Fill[] = [];
    const updates: VenueOrder[] = [];
    live.onFill((f) => fills.push(f));
    live.onOrderUpdate((u) => updates.push(u));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const o = await live.placeOrder({ clientOrderId: 'e-1', symbol: 'ETH-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 10.04, size: 0.5, reduceOnly: false });
    expect(Number(BigInt(t.loop.orders.get(o.venueOrderId)!.priceX18)) / 1e18).toBeCloseTo(p.mid + 10.1, 9); // ask rounded up
    t.loop.fill(o.venueOrderId, 0.2);
    await waitFor(() => fills.length === 1);
    expect(fills[0]).toMatchObject({ clientOrderId: 'e-1', side: 'sell', size: 0.2, liquidity: 'maker' });
    // The socket drops; a fill happens while we are away; the reconnect backfills it over REST.
    t.loop.silent = true;
    t.loop.dropSockets();
    t.loop.fill(o.venueOrderId, 0.3);
    t.loop.silent = false;
    await waitFor(() => fills.length === 2, 5_000);
    expect(fills[1]).toMatchObject({ clientOrderId: 'e-1', size: 0.3 });
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(2);
    // The 'filled' update went out while we were away; the backfilled fill completes the order instead.
    expect(updates.filter((u) => u.clientOrderId === 'e-1').map((u) => u.status)).toEqual(['open', 'partially_filled']);
    const pos = await live.positions();
    expect(pos.find((x) => x.symbol === 'ETH-PERP')!.size).toBeCloseTo(-0.5, 12);
  });

  it('two matches of one order in one submission (same size, same price) are two fills, with the same trade ids from the stream and the archive', async () => {
    bundle = await t.open();
    const live = bundle.live as NadoVenue;
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const o = await live.placeOrder({ clientOrderId: 'sw-1', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 10, size: 0.5, reduceOnly: false });
    t.loop.sweep(o.venueOrderId, [0.2, 0.2]); // one submission, two matches of our order
    await waitFor(() => fills.length === 2);
    expect(fills.map((f) => f.size)).toEqual([0.2, 0.2]);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(2);
    const archived = await live.fillsSince(0);
    expect(archived).toHaveLength(2);
    expect(archived.map((f) => f.tradeId).sort()).toEqual(fills.map((f) => f.tradeId).sort());
    await live.backfill(0); // a restart's backfill books neither match again
    expect(fills).toHaveLength(2);
    expect(fills.reduce((s, f) => s + f.size, 0)).toBeCloseTo(0.4, 12);
  });

  it('a partial fill leaves the order resting (reason "filled" comes on every match); a cancel reports what filled, from the fills', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const fills: Fill[] = [];
    const updates: VenueOrder[] = [];
    live.onFill((f) => fills.push(f));
    live.onOrderUpdate((u) => updates.push(u));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const o = await live.placeOrder({ clientOrderId: 'pf-1', symbol: 'ETH-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 10, size: 0.5, reduceOnly: false });
    t.loop.fill(o.venueOrderId, 0.2);
    await waitFor(() => fills.length === 1 && updates.length >= 2);
    expect(updates.at(-1)).toMatchObject({ clientOrderId: 'pf-1', status: 'partially_filled' });
    expect(updates.at(-1)!.filledSize).toBeCloseTo(0.2, 12);
    await live.cancelOrder('pf-1', 'ETH-PERP');
    await waitFor(() => updates.some((u) => u.status === 'canceled'));
    const cancel = updates.find((u) => u.status === 'canceled')!;
    expect(cancel.filledSize).toBeCloseTo(0.2, 12); // not the whole 0.5
    expect(updates.some((u) => u.status === 'filled')).toBe(false);
    // A full fill of another order, (0, "filled"), ends it filled.
    const o2 = await live.placeOrder({ clientOrderId: 'pf-2', symbol: 'ETH-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 10, size: 0.5, reduceOnly: false });
    t.loop.fill(o2.venueOrderId, 0.2);
    t.loop.fill(o2.venueOrderId, 0.3);
    await waitFor(() => updates.some((u) => u.clientOrderId === 'pf-2' && u.status === 'filled'));
    expect(updates.filter((u) => u.clientOrderId === 'pf-2').map((u) => u.status)).toEqual(['open', 'partially_filled', 'filled']);
  });

  it('backfilled fills: price is |(quote_filled + fee) / base| (the fee booked once), paging back past 500 matches', async () => {
    bundle = await t.open();
    const live = bundle.live as NadoVenue;
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const price = p.mid - 10;
    const o = await live.placeOrder({ clientOrderId: 'bf-1', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price, size: 7, reduceOnly: false });
    t.loop.silent = true;
    for (let i = 0; i < 620; i++) t.loop.fill(o.venueOrderId, 0.01);
    t.loop.silent = false;
    t.loop.archiveQueries.length = 0;
    const fills = await live.fillsSince(0);
    expect(fills).toHaveLength(620);
    for (const f of fills) {
      expect(f.price).toBeCloseTo(price, 9);
      expect(f.fee).toBeCloseTo(price * 0.01 * p.makerFee, 9);
    }
    // The second page asks from the oldest submission of the first (inclusive cursor).
    expect(t.loop.archiveQueries.some((q) => q['idx'] !== undefined)).toBe(true);
    expect(t.loop.archiveQueries.every((q) => q['limit'] === 500)).toBe(true);
  });

  it('a batch cancel failing on one missing order (OrderNotFound) never assumes the rest were cancelled', async () => {
    bundle = await t.open();
    const live = bundle.live as NadoVenue;
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const a = await live.placeOrder({ clientOrderId: 'bc-1', symbol: 'ETH-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 10, size: 0.1, reduceOnly: false });
    const b = await live.placeOrder({ clientOrderId: 'bc-2', symbol: 'ETH-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 20, size: 0.1, reduceOnly: false });
    t.loop.fill(a.venueOrderId, 0.1); // gone, but the listing still shows it
    t.loop.staleListingOnce = p.productId;
    t.loop.batchCancelAllOrNothing = true;
    await live.onStale('ETH-PERP', 'test');
    expect(t.loop.orders.get(b.venueOrderId)!.status).toBe('cancelled');
  });

  it('a fill made while the socket is down, after the drop, is backfilled once the private streams are back', async () => {
    bundle = await t.open({ config: { reconnectDelayMs: 600 } });
    const live = bundle.live!;
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('ETH-PERP');
    const o = await live.placeOrder({ clientOrderId: 'gap-1', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 10, size: 0.5, reduceOnly: false });
    const ticker = setInterval(() => t.loop.tick(), 50); // a live market: no stale-stream reconnects
    try {
      t.loop.dropSockets();
      await new Promise((r) => setTimeout(r, 200)); // still disconnected (reconnect after 600 ms)
      t.loop.fill(o.venueOrderId, 0.2);
      await waitFor(() => fills.length === 1, 5_000);
    } finally {
      clearInterval(ticker);
    }
    expect(fills[0]).toMatchObject({ clientOrderId: 'gap-1', side: 'buy' });
    expect(fills[0]!.size).toBeCloseTo(0.2, 12);
  });

  it('cancel-all goes on to every market when one fails, and retries the failed one (no order left resting)', async () => {
    // Each cancel-all costs 50 order weight: a wider window than the default keeps the test short.
    bundle = await t.open({ config: { limits: { ordersPer10s: 1000, ordersPerMinute: 6000, queriesPer10s: 400, queriesPerMinute: 2400, headroom: 1 } } });
    const live = bundle.live!;
    const btc = t.loop.product('BTC-PERP');
    const eth = t.loop.product('ETH-PERP');
    const a = await live.placeOrder({ clientOrderId: 'ca-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: btc.mid - 90, size: 0.001, reduceOnly: false });
    const b = await live.placeOrder({ clientOrderId: 'ca-2', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: eth.mid - 9, size: 0.1, reduceOnly: false });
    t.loop.faults.push({ on: 'cancel', kind: '500' });
    await live.cancelAll('shutdown').catch(() => undefined);
    expect(t.loop.orders.get(a.venueOrderId)!.status).toBe('cancelled');
    expect(t.loop.orders.get(b.venueOrderId)!.status).toBe('cancelled');
  });

  it('a price that rounds to zero, or is not a number, never leaves us', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    for (const price of [0.4, Number.NaN, -5]) {
      const err = await live
        .placeOrder({ clientOrderId: `bad-${price}`, symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price, size: 0.001, reduceOnly: false })
        .catch((e: unknown) => e);
      expect(isDnbotError(err) && err.code).toBe(ErrorCodes.VENUE_REJECTED);
    }
    expect(t.loop.requests.filter((r) => r.kind === 'place')).toHaveLength(0);
  });

  it('cancel-all reports each of our cancelled orders as canceled even when the stream does not (it is down)', async () => {
    bundle = await t.open({ config: { limits: { ordersPer10s: 1000, ordersPerMinute: 6000, queriesPer10s: 400, queriesPerMinute: 2400, headroom: 1 } } });
    const live = bundle.live!;
    const updates: VenueOrder[] = [];
    live.onOrderUpdate((u) => updates.push(u));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('BTC-PERP');
    const o = await live.placeOrder({ clientOrderId: 'cu-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 90, size: 0.001, reduceOnly: false });
    t.loop.fill(o.venueOrderId, 0.0004);
    await waitFor(() => updates.some((u) => u.status === 'partially_filled'));
    t.loop.silent = true; // the order_update for the cancel never arrives
    await live.cancelAll('stale stream');
    expect(t.loop.orders.get(o.venueOrderId)!.status).toBe('cancelled');
    const last = updates[updates.length - 1]!;
    expect(last).toMatchObject({ clientOrderId: 'cu-1', venueOrderId: o.venueOrderId, status: 'canceled', symbol: 'BTC-PERP' });
    expect(last.filledSize).toBeCloseTo(0.0004, 12);
  });

  it('an order filled at once whose ack was lost is not declared never placed while the archive lags behind', async () => {
    bundle = await t.open({ config: { recvWindowMs: 1_500, archiveLagMs: 5_000 } });
    const live = bundle.live!;
    const p = t.loop.product('ETH-PERP');
    t.loop.faults.push({ on: 'place', kind: 'lose_ack' });
    t.loop.archiveLagging = true;
    const req = { clientOrderId: 'ioc-1', symbol: 'ETH-PERP', side: 'buy' as const, type: 'limit' as const, tif: 'IOC' as const, price: p.mid + 10, size: 0.1, reduceOnly: false };
    await live.placeOrder(req).catch(() => undefined);
    expect(t.loop.orders.get(t.loop.placed[0]!)!.status).toBe('filled'); // filled at once: not open, not archived yet
    await new Promise((r) => setTimeout(r, 1_700)); // past the recv window
    const early = await live.lookupOrder('ioc-1', 'ETH-PERP').catch((e: unknown) => e);
    expect(isDnbotError(early) && early.code).toBe(ErrorCodes.VENUE_UNKNOWN_OUTCOME);
    t.loop.archiveLagging = false;
    expect(await live.lookupOrder('ioc-1', 'ETH-PERP')).toMatchObject({ status: 'filled', venueOrderId: t.loop.placed[0] });
  });

  it('an open that fails half-way (the contracts query) leaves no timer running, so the process can exit', async () => {
    const live = new LiveClock();
    const armed = new Set<number>();
    const wall: Clock = {
      now: () => live.now(),
      setTimer: (ms, fn) => {
        const h = live.setTimer(ms, () => {
          armed.delete(h.id);
          fn();
        });
        armed.add(h.id);
        return h;
      },
      cancelTimer: (h) => {
        armed.delete(h.id);
        live.cancelTimer(h);
      },
      sleep: (ms) => new Promise((r) => wall.setTimer(ms, () => r())),
    };
    t.loop.failingQueries.add('contracts');
    await expect(t.open({ wall })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(armed.size).toBe(0);
  });

  it('the stale-stream cancel spends order weight per open order, so a hedge right after it is not held up for the window', async () => {
    bundle = await t.open(); // the default limits: 90 order weight per 10 s
    const live = bundle.live!;
    const btc = t.loop.product('BTC-PERP');
    const eth = t.loop.product('ETH-PERP');
    await live.placeOrder({ clientOrderId: 'w-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: btc.mid - 90, size: 0.001, reduceOnly: false });
    await live.placeOrder({ clientOrderId: 'w-2', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: eth.mid - 9, size: 0.1, reduceOnly: false });
    const t0 = Date.now();
    await (live as NadoVenue).onStale('*', 'stream dropped');
    await (live as NadoVenue).onStale('*', 'stream dropped'); // nothing left: nothing sent
    await live.placeOrder({ clientOrderId: 'w-3', symbol: 'ETH-PERP', side: 'sell', type: 'market', tif: 'IOC', size: 0.1, reduceOnly: false }).catch(() => undefined);
    expect(Date.now() - t0).toBeLessThan(8_000); // under the 10 s window it would otherwise wait out
    expect([...t.loop.orders.values()].filter((o) => o.status === 'open')).toHaveLength(0);
  });

  it('with the order window full, a hedge sent after an entry goes out before it (hedges ahead of entries)', async () => {
    // The loopback publishes no book updates here: a long stale limit keeps the stale-stream cancel out of the window.
    const limits = { ordersPer10s: 2, ordersPerMinute: 600, queriesPer10s: 400, queriesPerMinute: 2400, headroom: 1 };
    bundle = await t.open({ config: { limits, staleAfterMs: 60_000 } });
    const live = bundle.live!;
    const eth = t.loop.product('ETH-PERP');
    const rest = { symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', size: 0.1, reduceOnly: false } as const;
    await until(bundle.source, (ev) => ev.kind === 'book' && ev.book.symbol === 'ETH-PERP'); // live, so no stale-stream cancel spends weight
    await live.placeOrder({ ...rest, clientOrderId: 'q-1', price: eth.mid - 9, purpose: 'entry' });
    await live.placeOrder({ ...rest, clientOrderId: 'q-2', price: eth.mid - 10, purpose: 'entry' });
    expect(t.loop.placed).toHaveLength(2); // the 10 s order window is now full
    const entry = live.placeOrder({ ...rest, clientOrderId: 'q-3', price: eth.mid - 11, purpose: 'entry' });
    const hedge = live.placeOrder({ ...rest, clientOrderId: 'q-4', price: eth.mid - 12, purpose: 'hedge' });
    const [e, h] = await Promise.all([entry, hedge]);
    expect(t.loop.placed.indexOf(h.venueOrderId)).toBe(2);
    expect(t.loop.placed.indexOf(e.venueOrderId)).toBe(3);
  }, 40_000);

  it('a fill seen on the stream and again in a backfill is delivered once, however the archive spells the digest', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    await until(bundle.source, (e) => e.kind === 'book');
    const p = t.loop.product('BTC-PERP');
    const o = await live.placeOrder({ clientOrderId: 'hex-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 90, size: 0.001, reduceOnly: false });
    t.loop.fill(o.venueOrderId, 0.0004);
    await waitFor(() => fills.length === 1);
    t.loop.archiveUpperHex = true;
    await (live as NadoVenue).backfill(0);
    expect(fills).toHaveLength(1);
  });

  it('a lost create ack is an unknown outcome settled by lookup; the order is never sent twice', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const p = t.loop.product('BTC-PERP');
    t.loop.faults.push({ on: 'place', kind: 'lose_ack' });
    const err = await live
      .placeOrder({ clientOrderId: 'lost-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 50, size: 0.001, reduceOnly: false })
      .catch((e: unknown) => e);
    expect(isDnbotError(err) && err.code).toBe(ErrorCodes.VENUE_UNKNOWN_OUTCOME);
    expect(t.loop.placed).toHaveLength(1);
    const found = await live.lookupOrder('lost-1', 'BTC-PERP');
    expect(found).toMatchObject({ clientOrderId: 'lost-1', status: 'open', venueOrderId: t.loop.placed[0] });
    expect(t.loop.placed).toHaveLength(1);
  });

  it('429 with Retry-After and 5xx on create are unknown outcomes; the limiter waits out Retry-After', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const p = t.loop.product('BTC-PERP');
    const req = (id: string) => ({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy' as const, type: 'limit' as const, tif: 'GTC' as const, price: p.mid - 60, size: 0.001, reduceOnly: false });
    t.loop.faults.push({ on: 'place', kind: '500' });
    const e5 = await live.placeOrder(req('x-5')).catch((e: unknown) => e);
    expect(isDnbotError(e5) && e5.code).toBe(ErrorCodes.VENUE_UNKNOWN_OUTCOME);
    expect(await live.lookupOrder('x-5', 'BTC-PERP').catch(() => 'unknown')).toSatisfy((v: unknown) => v === null || v === 'unknown');
    t.loop.faults.push({ on: 'place', kind: '429', retryAfterS: 1 });
    const e4 = await live.placeOrder(req('x-4')).catch((e: unknown) => e);
    expect(isDnbotError(e4) && e4.code).toBe(ErrorCodes.VENUE_UNKNOWN_OUTCOME);
    const t0 = Date.now();
    await live.placeOrder(req('x-6'));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(t.loop.placed).toHaveLength(1); // only x-6 reached the venue's book
  });

  it('a post-only order that would cross is rejected; reduce-only never increases a position', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const p = t.loop.product('BTC-PERP');
    const cross = await live.placeOrder({ clientOrderId: 'po-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: p.mid + 20, size: 0.001, reduceOnly: false }).catch((e: unknown) => e);
    expect(isDnbotError(cross) && cross.code).toBe(ErrorCodes.VENUE_REJECTED);
    const ro = await live.placeOrder({ clientOrderId: 'ro-1', symbol: 'BTC-PERP', side: 'sell', type: 'limit', tif: 'GTC', price: p.mid + 20, size: 0.001, reduceOnly: true }).catch((e: unknown) => e);
    expect(isDnbotError(ro) && ro.code).toBe(ErrorCodes.VENUE_REJECTED);
    expect(t.loop.placed.length).toBe(1); // the reduce-only never left us
  });

  it('a restart with an order open maps it back to our client id from the durable state', async () => {
    const state = memoryState();
    bundle = await t.open({ state });
    const p = t.loop.product('BTC-PERP');
    await bundle.live!.placeOrder({ clientOrderId: 'keep-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 70, size: 0.001, reduceOnly: false });
    await bundle.live!.close();
    await bundle.source.close();
    // While we are down, part of it fills: the restart's backfill maps that fill to our id too.
    const digest = [...t.loop.orders.keys()][0]!;
    t.loop.fill(digest, 0.0004);
    bundle = await t.open({ state });
    const missed = await bundle.live!.fillsSince(0);
    expect(missed).toEqual([expect.objectContaining({ clientOrderId: 'keep-1', venueOrderId: digest, side: 'buy' })]);
    expect(missed[0]!.size).toBeCloseTo(0.0004, 12);
    const open = await bundle.live!.openOrders();
    expect(open.map((o) => o.clientOrderId)).toEqual(['keep-1']);
    expect(open[0]!.filledSize).toBeCloseTo(0.0004, 12);
    const fills: Fill[] = [];
    bundle.live!.onFill((f) => fills.push(f));
    await until(bundle.source, (e) => e.kind === 'book');
    t.loop.fill(open[0]!.venueOrderId, 0.0006);
    // The stream's fill, and (from the backfill once the private streams are up) the one made while down.
    await waitFor(() => fills.some((f) => Math.abs(f.size - 0.0006) < 1e-12));
    expect(fills.every((f) => f.clientOrderId === 'keep-1')).toBe(true);
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
  });

  it('the global reduce-only switch refuses orders that would open a position and flags the ones that reduce', async () => {
    bundle = await t.open({ config: { reduceOnly: true } });
    const live = bundle.live!;
    const p = t.loop.product('ETH-PERP');
    const open = await live.placeOrder({ clientOrderId: 'g-1', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 5, size: 0.1, reduceOnly: false }).catch((e: unknown) => e);
    expect(isDnbotError(open) && open.code).toBe(ErrorCodes.VENUE_REJECTED);
    expect(t.loop.placed).toHaveLength(0);
    t.loop.positions.get(p.productId)!.amount = -(3n * 10n ** 17n); // short 0.3 on the venue
    const o = await live.placeOrder({ clientOrderId: 'g-2', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 5, size: 0.2, reduceOnly: false });
    expect((BigInt(t.loop.orders.get(o.venueOrderId)!.appendix) >> 11n) & 1n).toBe(1n); // sent reduce-only
  });

  it('live mode cancels resting orders when the stream goes stale (Nado has no dead-man switch)', async () => {
    bundle = await t.open({ config: { staleAfterMs: 400 } });
    const live = bundle.live!;
    const ticker = setInterval(() => t.loop.tick(), 50);
    try {
      await waitFor(() => bundle!.source.feedHealth().every((h) => !h.stale));
      const p = t.loop.product('BTC-PERP');
      const o = await live.placeOrder({ clientOrderId: 's-1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: p.mid - 80, size: 0.001, reduceOnly: false });
      expect(t.loop.orders.get(o.venueOrderId)!.status).toBe('open');
      clearInterval(ticker);
      await waitFor(() => t.loop.orders.get(o.venueOrderId)!.status === 'cancelled', 3_000);
    } finally {
      clearInterval(ticker);
    }
  });

  it('an order placed by hand on the subaccount is reported as nado:<digest>, can be looked up and cancelled', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    const p = t.loop.product('BTC-PERP');
    const sender = TEST_WALLET.toLowerCase() + Buffer.from('default').toString('hex').padEnd(24, '0');
    const digest = t.loop.placeForeign(p.productId, sender, p.mid - 300, 0.002);
    const open = await live.openOrders();
    expect(open).toEqual([expect.objectContaining({ clientOrderId: `nado:${digest}`, venueOrderId: digest, symbol: 'BTC-PERP', status: 'open' })]);
    expect(await live.lookupOrder(`nado:${digest}`, 'BTC-PERP')).toMatchObject({ status: 'open' });
    await live.cancelOrder(`nado:${digest}`, 'BTC-PERP');
    expect(t.loop.orders.get(digest)!.status).toBe('cancelled');
    expect(await live.lookupOrder(`nado:${digest}`, 'BTC-PERP')).toMatchObject({ status: 'canceled', filledSize: 0 });
  });

  it('a market order (no price) goes out as an IOC limit through the streamed book and fills', async () => {
    bundle = await t.open();
    const live = bundle.live!;
    await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'ETH-PERP');
    const p = t.loop.product('ETH-PERP');
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    const o = await live.placeOrder({ clientOrderId: 'm-1', symbol: 'ETH-PERP', side: 'sell', type: 'market', tif: 'IOC', size: 0.05, reduceOnly: false });
    const sent = t.loop.orders.get(o.venueOrderId)!;
    const bestBid = p.mid - 0.5; // the loopback's book: levels every 5 ticks
    expect(Number(BigInt(sent.priceX18)) / 1e18).toBeCloseTo(Math.ceil((bestBid * 0.99) / p.tick) * p.tick, 9); // ask side rounds up
    expect((BigInt(sent.appendix) >> 9n) & 3n).toBe(1n); // IOC
    await waitFor(() => fills.length === 1);
    expect(fills[0]).toMatchObject({ clientOrderId: 'm-1', side: 'sell', liquidity: 'taker' });
  });
});
