import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { VenueBundle } from '../../src/core/venue.js';
import { OrderManager } from '../../src/execution/order-manager.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { Store } from '../../src/store/store.js';
import { useLoopbackNado } from '../support/loopback-nado/loopback-suite.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { waitFor } from '../support/loopback-nado/open-loopback.js';

describe.skipIf(!nadoDataPresent)('the OrderManager driving the Nado venue through faults (loopback)', () => {
  const t = useLoopbackNado();
  let bundle: VenueBundle | null = null;

  function manager(b: VenueBundle): { om: OrderManager; store: Store } {
    const clock = new LiveClock();
    const store = Store.open(':memory:');
    store.bots.ensure('bot', 'dn-pair', 'nado', clock.now());
    const om = new OrderManager({
      clock, store, venue: b.live!, limiter: new VenueLimiter({ clock, ratePerSecond: 100, burst: 100 }), logger: silentLogger,
      instruments: new Map(b.source.instruments.map((i) => [i.symbol, i])), idPrefix: 'bot-', resolveDelayMs: 200,
    });
    return { om, store };
  }

  const intent = (price: number) => ({
    botId: 'bot', symbol: 'BTC-PERP', side: 'buy' as const, type: 'limit' as const, tif: 'GTC' as const, price, size: 0.001,
    reduceOnly: false, purpose: 'entry' as const, pairId: null, sizingTrace: [],
  });

  it('a lost create ack settles by lookup into the live order: placed once, its fill lands on it', async () => {
    bundle = await t.open();
    const { om, store } = manager(bundle);
    const p = t.loop.product('BTC-PERP');
    t.loop.faults.push({ on: 'place', kind: 'lose_ack' });
    const o = om.submit(intent(p.mid - 40));
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'open', 8_000);
    expect(t.loop.placed).toHaveLength(1);
    expect(store.orders.get(o.clientOrderId)!.venueOrderId).toBe(t.loop.placed[0]);
    t.loop.fill(t.loop.placed[0]!, 0.001);
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'filled', 5_000);
    expect(store.orders.get(o.clientOrderId)!.filledSize).toBeCloseTo(0.001, 12);
    expect(t.loop.placed).toHaveLength(1);
  }, 20_000);

  it('a create that timed out without reaching the venue is declared never placed, and not resent', async () => {
    bundle = await t.open({ config: { requestTimeoutMs: 300, recvWindowMs: 500, archiveLagMs: 500 } });
    const { om, store } = manager(bundle);
    const p = t.loop.product('BTC-PERP');
    t.loop.faults.push({ on: 'place', kind: 'hang' }); // the venue never answers and never books it
    const o = om.submit(intent(p.mid - 45));
    await waitFor(() => ['expired', 'rejected', 'canceled'].includes(store.orders.get(o.clientOrderId)?.status ?? ''), 15_000);
    expect(t.loop.placed).toHaveLength(0);
    expect(t.loop.requests.filter((r) => r.kind === 'place')).toHaveLength(1);
  }, 20_000);
  it('a database written while trade ids were index and digest only: a restart\'s backfill books its fill once (position and fees unchanged)', async () => {
    bundle = await t.open();
    const { om, store } = manager(bundle);
    const p = t.loop.product('BTC-PERP');
    const o = om.submit(intent(p.mid - 40));
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'open', 8_000);
    t.loop.fill(t.loop.placed[0]!, 0.0004);
    await waitFor(() => store.fills.all().length === 1, 5_000);
    const booked = store.fills.all()[0]!;
    expect(booked.tradeId.split(':')).toHaveLength(3);
    // The row as the earlier version wrote it: `submission_idx:digest`.
    const legacy = booked.tradeId.split(':').slice(0, 2).join(':');
    store.db.prepare('UPDATE fills SET trade_id = ? WHERE trade_id = ?').run(legacy, booked.tradeId);
    const position = store.positions.get('bot', om.venueName, 'BTC-PERP');
    const fees = store.fills.feesBySymbol('bot', om.venueName);
    const booking = (): unknown => {
      const x = store.orders.get(o.clientOrderId)!;
      return { status: x.status, filledSize: x.filledSize, avgFillPrice: x.avgFillPrice, feesPaid: x.feesPaid };
    };
    const order = booking();

    const r = await om.reconcile(); // the archive returns the match under its new id

    expect(r.fillsBackfilled).toBe(0);
    expect(store.fills.all().map((f) => f.tradeId)).toEqual([booked.tradeId]);
    expect(store.positions.get('bot', om.venueName, 'BTC-PERP')).toEqual(position);
    expect(store.fills.feesBySymbol('bot', om.venueName)).toEqual(fees);
    expect(booking()).toEqual(order);
    expect(r.positionMismatches).toEqual([]);
  }, 20_000);
});
