import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Instrument } from '../../src/core/types.js';
import type { VenueBundle } from '../../src/core/venue.js';
import { OrderManager, type OrderIntent } from '../../src/execution/order-manager.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { Store } from '../../src/store/store.js';
import { heartbeats, MemoryStateStore, openLoopback } from '../support/loopback-coinbase/harness.js';
import { recordingsPresent } from '../support/loopback-coinbase/recordings.js';
import { LoopbackCoinbase } from '../support/loopback-coinbase/server.js';

const wait = (fn: () => void | Promise<void>, timeout = 5000) => vi.waitFor(fn, { timeout, interval: 20 });

function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return { botId: 'bot1', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 68000, size: 0.05, reduceOnly: false, purpose: 'entry', pairId: null, sizingTrace: [], ...over };
}

describe.skipIf(!recordingsPresent)('the OrderManager over Coinbase (loopback): unknown outcomes settled by lookup, never placed twice, no fill lost', () => {
  let server: LoopbackCoinbase;
  let bundle: VenueBundle;
  let stopHb: () => void;
  let store: Store;
  let om: OrderManager;

  beforeEach(async () => {
    server = new LoopbackCoinbase();
    await server.start();
    stopHb = heartbeats(server);
    bundle = await openLoopback(server, { state: new MemoryStateStore(), config: { requestTimeoutMs: 400 } });
    const clock = new LiveClock();
    store = Store.open(':memory:');
    store.bots.ensure('bot1', 'dn-pair', 'coinbase', clock.now());
    const instruments = new Map<string, Instrument>(bundle.source.instruments.map((i) => [i.symbol, i]));
    om = new OrderManager({
      clock,
      store,
      venue: bundle.live!,
      limiter: new VenueLimiter({ clock, ratePerSecond: 20, burst: 5 }),
      logger: silentLogger,
      instruments,
      idPrefix: 'bot1-',
      resolveDelayMs: 100,
      notFoundLookups: 3,
    });
  });

  afterEach(async () => {
    stopHb();
    await bundle.live?.close();
    await bundle.source.close();
    store.close();
    await server.stop();
  });

  it('a lost create ack: the order is found by its client id, works, fills once', async () => {
    server.inject('POST', '/orders', 'drop_after_create');
    const o = om.submit(intent());
    await wait(() => expect(om.get(o.clientOrderId)?.status).toBe('open'));
    expect(om.get(o.clientOrderId)?.venueOrderId).toBe(server.state.byClient.get(o.clientOrderId)!.orderId);
    server.fillResting(o.clientOrderId);
    await wait(() => expect(om.get(o.clientOrderId)?.status).toBe('filled'));
    expect(om.get(o.clientOrderId)!.filledSize).toBeCloseTo(0.05, 12); // its fill came first
    expect(store.fills.forOrder(o.clientOrderId)).toHaveLength(1);
    expect(server.state.createsReceived).toBe(1);
    expect(server.state.orders.size).toBe(1);
  });

  it('a create that times out and one refused with 503: settled by lookup (found / never placed), never resent', async () => {
    server.inject('POST', '/orders', 'stall');
    const slow = om.submit(intent());
    await wait(() => expect(om.get(slow.clientOrderId)?.status).toBe('expired'), 8000);
    server.inject('POST', '/orders', 'status_500');
    const bad = om.submit(intent({ price: 67990 }));
    await wait(() => expect(om.get(bad.clientOrderId)?.status).toBe('expired'), 8000);
    expect(server.state.createsReceived).toBe(0);
    const lookups = server.requests.filter((r) => r.path.endsWith('/orders/historical/batch')).length;
    expect(lookups).toBeGreaterThanOrEqual(6); // 3 empty lookups each before "never placed"
  });
});
