import { afterEach, describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Instrument } from '../../src/core/types.js';
import { OrderManager } from '../../src/execution/order-manager.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { WeightedLimiter } from '../../src/core/weighted-limiter.js';
import { driftRateBudgets } from '../../adapters/drift/drift-quirks.js';
import { Store } from '../../src/store/store.js';
import { DriftVenue } from '../../adapters/drift/drift-venue.js';
import { UserOrderIdRing } from '../../adapters/drift/user-order-id-ring.js';
import { FakeDriftRaw } from '../unit/adapters/drift/fake-drift-raw.js';

const SOL = {
  venue: 'drift', symbol: 'SOL-PERP', baseAsset: 'SOL', quoteAsset: 'USDC', tickSize: 0.0001, lotSize: 0.01, minSize: 0.01, minNotional: 0,
  maxLeverage: 10, makerFeeRate: -0.0002, takerFeeRate: 0.00035, initialMarginRatio: 0.1, maintenanceMarginRatio: 0.05, fundingIntervalMs: 3_600_000,
} satisfies Instrument;

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function setup() {
  const clock = new LiveClock();
  const raw = new FakeDriftRaw();
  const store = Store.open(':memory:');
  stores.push(store);
  store.bots.ensure('bot', 'dn-pair', 'drift', clock.now());
  
  const venue = new DriftVenue({
    raw, ring: new UserOrderIdRing(store.venueState.scoped('drift', () => clock.now()), 0), subAccountId: 0, instruments: [SOL],
    marketIndex: new Map([['SOL-PERP', 0]]), wall: clock, logger: silentLogger, limiter: new WeightedLimiter(clock, driftRateBudgets({ rpcPerSecond: 1000, txPerSecond: 1000 })), accountRefreshMs: 1000,
    top: () => ({ bid: 149.9, ask: 150.1 }), marketSlippageBps: 100,
  });
  venue.start();
  const om = new OrderManager({
    clock, store, venue, limiter: new VenueLimiter({ clock, ratePerSecond: 1000, burst: 1000 }), logger: silentLogger, instruments: new Map([['SOL-PERP', SOL]]), idPrefix: 'bot-', resolveDelayMs: 20, notFoundLookups: 2,
  });
  return { raw, store, om };
}

const intent = { botId: 'bot', symbol: 'SOL-PERP', side: 'buy' as const, type: 'limit' as const, tif: 'POST_ONLY' as const, price: 150, size: 1, reduceOnly: false, purpose: 'entry' as const, pairId: null, sizingTrace: [] };

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const clock = new LiveClock();
  const end = clock.now() + ms;
  while (!cond()) {
    if (clock.now() > end) throw new Error('timed out');
    await clock.sleep(5);
  }
}

describe('the OrderManager driving DriftVenue (faked raw client)', () => {
  it('a transaction that never confirms stays unknown while it may land, then settles open and fills; sent once', async () => {
    const { raw, store, om } = setup();
    raw.mode = 'never-confirm';
    const o = om.submit(intent);
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'unknown');
    // Several lookups while pending: still unknown, never resent.
    await new LiveClock().sleep(120);
    expect(store.orders.get(o.clientOrderId)?.status).toBe('unknown');
    raw.landLate('sig1');
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'open');
    raw.fill(raw.orders[0]!.orderId, 1e9, 150e6);
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'filled');
    expect(store.orders.get(o.clientOrderId)).toMatchObject({ filledSize: 1, avgFillPrice: 150 });
    expect(raw.sent).toHaveLength(1);
  });

  it('a transaction whose blockhash expired is declared never placed, and not resent', async () => {
    const { raw, store, om } = setup();
    raw.mode = 'never-confirm';
    const o = om.submit(intent);
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'unknown');
    raw.drop('sig1');
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'expired');
    expect(raw.sent).toHaveLength(1);
  });

  it('a fill arriving after the cancel is booked on the order', async () => {
    const { raw, store, om } = setup();
    const o = om.submit({ ...intent, size: 2 });
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'open');
    raw.disconnect();
    const late = raw.fill(raw.orders[0]!.orderId, 1e9, 150e6);
    raw.connected = true;
    om.cancel(o.clientOrderId);
    await waitFor(() => store.orders.get(o.clientOrderId)?.status === 'canceled');
    raw.deliver(late);
    await waitFor(() => (store.orders.get(o.clientOrderId)?.filledSize ?? 0) === 1);
    expect(raw.cancels).toHaveLength(1);
  });
});
