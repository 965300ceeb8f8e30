import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/types.js';
import { OrderRepository } from '../../../src/store/order-repository.js';
import { fillFor, intent, makeHarness, runFor } from './order-manager-fixture.js';

describe('OrderManager and late or contradictory venue reports', () => {
  it('books a fill that turns up after an order in doubt was declared not found', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'unknown', delayMs: 10, reached: null });
    const order = h.om.submit(intent({ size: 0.5 }));
    await runFor(h.clock, 60_000);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('expired');

    h.venue.emitFill(fillFor(order, { size: 0.5 }));

    const row = h.store.orders.get(order.clientOrderId)!;
    expect(row.status).toBe('filled');
    expect(row.filledSize).toBe(0.5);
    expect(h.store.positions.get('bot1', h.venue.name, 'ETH-PERP')!.size).toBe(0.5);
  });

  it('ignores a rejected report for an order the venue had accepted, and reports about closed orders', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 10 });
    const order = h.om.submit(intent());
    await runFor(h.clock, 10);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('open');

    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: 'V1', symbol: 'ETH-PERP', status: 'rejected', filledSize: 0, ts: 0 });
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('open');

    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: 'V1', symbol: 'ETH-PERP', status: 'expired', filledSize: 0, ts: 0 });
    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: 'V1', symbol: 'ETH-PERP', status: 'canceled', filledSize: 0, ts: 0 });
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('expired');
    expect(h.store.events.count('bookkeeping_error')).toBe(0);
  });

  it("a venue report that changes nothing stored writes nothing, and still tells the listeners", async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 10 });
    const order = h.om.submit(intent({ size: 0.5 }));
    await runFor(h.clock, 10);
    const venueOrderId = h.store.orders.get(order.clientOrderId)!.venueOrderId;
    h.venue.emitFill(fillFor(order, { size: 0.5, venueOrderId: venueOrderId ?? 'V1', ts: h.clock.now() }));
    const filled = h.store.orders.get(order.clientOrderId)!;
    expect(filled.status).toBe('filled');
    const told: string[] = [];
    h.om.onChange((o) => told.push(o.status));
    const changes = (): number => (h.store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();

    // The venue's "filled" for the order its fill just filled, at the same instant.
    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: filled.venueOrderId ?? 'V1', symbol: 'ETH-PERP', status: 'filled', filledSize: 0.5, ts: 0 });

    expect(changes()).toBe(before);
    expect(told).toEqual(['filled']);
    expect(h.store.orders.get(order.clientOrderId)).toEqual(filled);
    // A moment later the same report moves the update time: written.
    await runFor(h.clock, 5);
    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: filled.venueOrderId ?? 'V1', symbol: 'ETH-PERP', status: 'filled', filledSize: 0.5, ts: 0 });
    expect(changes()).toBe(before + 1);
    expect(h.store.orders.get(order.clientOrderId)!.updatedTs).toBe(filled.updatedTs + 5);
  });

  it("tells the listeners of the venue's \"filled\" after the closing fill the order as stored, read from memory", async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 10 });
    // Infinity is stored as null in a sizing step: the order told is the one read back, not the one sent.
    const order = h.om.submit(intent({ size: 0.5, sizingTrace: [{ step: 'cap', input: Infinity, output: 0.5, reason: 'no cap' }] }));
    await runFor(h.clock, 10);
    h.venue.emitFill(fillFor(order, { size: 0.5, ts: h.clock.now() }));
    const stored = new OrderRepository(h.store.db).get(order.clientOrderId)!;
    // Changed behind the OrderManager's back: only an order read from memory still has the reason stored.
    h.store.db.prepare('UPDATE orders SET reject_reason = ? WHERE client_order_id = ?').run('changed behind its back', order.clientOrderId);
    const told: Order[] = [];
    h.om.onChange((o) => told.push(o));

    h.venue.emitUpdate({ clientOrderId: order.clientOrderId, venueOrderId: stored.venueOrderId ?? 'V1', symbol: 'ETH-PERP', status: 'filled', filledSize: 0.5, ts: 0 });

    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toBe(JSON.stringify(stored));
    expect(told[0]!.sizingTrace).toEqual([{ step: 'cap', input: null, output: 0.5, reason: 'no cap' }]);
  });
});
