import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { DnbotError } from '../../../src/core/errors.js';
import type { Order } from '../../../src/core/types.js';
import type { VenueOrderStatus } from '../../../src/core/venue.js';
import type { OrderIntent } from '../../../src/execution/order-manager.js';
import { ETH, RESOLVE_DELAY_MS, intent, makeHarness, runFor } from './order-manager-fixture.js';

describe('OrderManager placement', () => {
  it('writes the order as pending_submit before the venue sees the request', async () => {
    const h = makeHarness();
    let seenByVenue: Order | null = null;
    h.venue.beforePlace = (req) => {
      seenByVenue = h.store.orders.get(req.clientOrderId);
    };

    const order = h.om.submit(intent());
    await runFor(h.clock, 0);

    expect(h.venue.callsOf('placeOrder')).toHaveLength(1);
    expect(seenByVenue).not.toBeNull();
    expect(seenByVenue!.clientOrderId).toBe(order.clientOrderId);
    expect(seenByVenue!.status).toBe('pending_submit');
    expect(order.status).toBe('pending_submit');
  });

  it('commits the write-ahead row before the venue sees the request, even while writes are batched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-om-'));
    const path = join(dir, 'dnbot.db');
    const store = Store.open(path);
    const other = new Database(path, { readonly: true });
    try {
      const h = makeHarness({ store });
      h.store.batching.start(0);
      h.store.batching.begin();
      let committed: unknown = null;
      h.venue.beforePlace = (req) => {
        committed = other.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(req.clientOrderId);
      };

      h.om.submit(intent());
      await runFor(h.clock, 0);
      expect(committed).toEqual({ status: 'pending_submit' });
      // Submitted from inside a caller's transaction: committed when that transaction ends.
      committed = null;
      h.store.transaction(() => h.om.submit(intent()));
      await runFor(h.clock, 0);
      h.store.batching.stop();

      expect(committed).toEqual({ status: 'pending_submit' });
    } finally {
      other.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with commitBeforeSend off (an in-process paper venue on a non-live market) the row waits for the batch commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-om-'));
    const path = join(dir, 'dnbot.db');
    const store = Store.open(path);
    const other = new Database(path, { readonly: true });
    try {
      const h = makeHarness({ store, commitBeforeSend: false });
      h.store.batching.start(0);
      h.store.batching.begin();
      const committed: unknown[] = [];
      h.venue.beforePlace = (req) => {
        committed.push(other.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(req.clientOrderId));
      };

      const order = h.om.submit(intent());
      await runFor(h.clock, 0);
      h.store.batching.end(0);

      expect(committed).toEqual([undefined]);
      expect(other.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(order.clientOrderId)).toBeDefined();
    } finally {
      other.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves to open on the ack, not before', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 100 });

    const order = h.om.submit(intent());
    await runFor(h.clock, 99);
    const beforeAck = h.store.orders.get(order.clientOrderId)!.status;
    await runFor(h.clock, 1);

    expect(beforeAck).toBe('pending_submit');
    const after = h.store.orders.get(order.clientOrderId)!;
    expect(after.status).toBe('open');
    expect(after.venueOrderId).toBe(h.venue.records.get(order.clientOrderId)!.venueOrderId);
    expect(h.om.get(order.clientOrderId)?.status).toBe('open');
  });

  it('marks a venue rejection rejected with the venue reason and drops it from the active set', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'reject', reason: 'post_only_would_cross' });

    const order = h.om.submit(intent({ tif: 'POST_ONLY' }));
    await runFor(h.clock, 1_000);

    const row = h.store.orders.get(order.clientOrderId)!;
    expect(row.status).toBe('rejected');
    expect(row.rejectReason).toBe('post_only_would_cross');
    expect(h.om.active()).toEqual([]);
    expect(h.venue.callsOf('placeOrder')).toHaveLength(1);
  });
});

describe('OrderManager unknown outcome', () => {
  // A venue that never saw the order must answer "not found" to 3 lookups before we conclude;
  // the order then expires (not rejected) so a fill that still turns up can be booked.
  const cases: { reached: VenueOrderStatus | null; settled: string; reason: string | null; lookups: number }[] = [
    { reached: 'open', settled: 'open', reason: null, lookups: 1 },
    { reached: 'filled', settled: 'filled', reason: null, lookups: 1 },
    { reached: 'canceled', settled: 'canceled', reason: null, lookups: 1 },
    { reached: 'rejected', settled: 'rejected', reason: 'rejected', lookups: 1 },
    { reached: null, settled: 'expired', reason: 'not_found_on_venue', lookups: 3 },
  ];

  it.each(cases)('venue recorded $reached → stays unknown, never resent, lookup settles to $settled', async (c) => {
    const h = makeHarness();
    h.venue.script({ kind: 'unknown', delayMs: 10, reached: c.reached });

    const order = h.om.submit(intent());
    await runFor(h.clock, 10);
    const whileUnknown = h.store.orders.get(order.clientOrderId)!.status;
    await runFor(h.clock, RESOLVE_DELAY_MS - 1);
    const lookupsBeforeDelay = h.venue.callsOf('lookupOrder').length;
    await runFor(h.clock, 60_000);

    expect(whileUnknown).toBe('unknown');
    expect(lookupsBeforeDelay).toBe(0);
    expect(h.venue.callsOf('placeOrder')).toHaveLength(1);
    expect(h.venue.callsOf('lookupOrder')).toHaveLength(c.lookups);
    const row = h.store.orders.get(order.clientOrderId)!;
    expect(row.status).toBe(c.settled);
    expect(row.rejectReason).toBe(c.reason);
    expect(h.om.busy()).toBe(false);
  });
});

describe('OrderManager cancel', () => {
  it('holds a cancel on an order awaiting its ack and sends it after the ack', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 100 });

    const order = h.om.submit(intent());
    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 99);
    const cancelsBeforeAck = h.venue.callsOf('cancelOrder').length;
    await runFor(h.clock, 1);
    const statusAfterAck = h.om.get(order.clientOrderId)!.status;
    await runFor(h.clock, 1_000);

    expect(cancelsBeforeAck).toBe(0);
    expect(statusAfterAck).toBe('cancel_pending');
    expect(h.venue.calls.map((c) => c.method)).toEqual(['placeOrder', 'cancelOrder']);
    expect(h.venue.callsOf('cancelOrder')[0]!.at).toBeGreaterThanOrEqual(h.venue.callsOf('placeOrder')[0]!.at + 100);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('canceled');
  });

  it('sends a cancel asked for while the outcome is unknown once lookup finds the order resting', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'unknown', delayMs: 10, reached: 'open' });

    const order = h.om.submit(intent());
    await runFor(h.clock, 10);
    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, RESOLVE_DELAY_MS + 1_000);

    expect(h.venue.callsOf('cancelOrder')).toHaveLength(1);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('canceled');
    expect(h.venue.records.get(order.clientOrderId)!.status).toBe('canceled');
  });

  it('returns an order to open when its cancel fails and the venue still has it, so it can be canceled again', async () => {
    const h = makeHarness();
    const order = h.om.submit(intent());
    await runFor(h.clock, 1_000);
    h.venue.failCancels = true;

    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 100);
    const afterFailedCancel = h.om.get(order.clientOrderId)!.status;
    await runFor(h.clock, RESOLVE_DELAY_MS + 100);
    const afterLookup = h.om.get(order.clientOrderId)!.status;
    h.venue.failCancels = false;
    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 1_000);

    expect(afterFailedCancel).toBe('cancel_pending');
    expect(afterLookup).toBe('open');
    expect(h.venue.callsOf('cancelOrder')).toHaveLength(2);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('canceled');
  });

  it('ignores a cancel for an order that is already closed', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'reject', reason: 'insufficient_margin' });
    const order = h.om.submit(intent());
    await runFor(h.clock, 1_000);

    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 1_000);

    expect(h.venue.callsOf('cancelOrder')).toHaveLength(0);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('rejected');
  });
});

describe('OrderManager.submit sanity checks', () => {
  const { price: _omit, ...market } = intent({ type: 'market', tif: 'IOC' });
  const cases: { name: string; intent: OrderIntent }[] = [
    { name: 'NaN size', intent: intent({ size: Number.NaN }) },
    { name: 'zero size', intent: intent({ size: 0 }) },
    { name: 'negative size', intent: intent({ size: -0.5 }) },
    { name: 'infinite size', intent: intent({ size: Number.POSITIVE_INFINITY }) },
    { name: 'off-lot size', intent: intent({ size: 0.0015 }) },
    { name: 'NaN price', intent: intent({ price: Number.NaN }) },
    { name: 'zero price', intent: intent({ price: 0 }) },
    { name: 'negative price', intent: intent({ price: -2000 }) },
    { name: 'off-tick price', intent: intent({ price: 2000.005 }) },
    { name: 'limit without price', intent: { ...market, type: 'limit', tif: 'GTC' } },
    { name: 'market with a bad protective price', intent: { ...market, price: Number.NaN } },
    { name: 'unknown instrument', intent: intent({ symbol: 'DOGE-PERP' }) },
  ];

  it.each(cases)('refuses $name with E_RISK_SANITY; nothing is written or sent', async (c) => {
    const h = makeHarness();

    let thrown: unknown = null;
    try {
      h.om.submit(c.intent);
    } catch (err) {
      thrown = err;
    }
    await runFor(h.clock, 1_000);

    expect(thrown).toBeInstanceOf(DnbotError);
    expect((thrown as DnbotError).code).toBe('E_RISK_SANITY');
    expect(h.store.orders.list()).toEqual([]);
    expect(h.venue.calls).toEqual([]);
    expect(h.om.active()).toEqual([]);
  });

  it('accepts a market order without a price and an order exactly on the grid', async () => {
    const h = makeHarness();

    h.om.submit(market);
    h.om.submit(intent({ size: ETH.lotSize * 7, price: 1999.99 }));
    await runFor(h.clock, 1_000);

    expect(h.store.orders.list().map((o) => o.status)).toEqual(['open', 'open']);
    expect(h.venue.callsOf('placeOrder')).toHaveLength(2);
  });
});
