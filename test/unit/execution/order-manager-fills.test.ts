import { describe, expect, it } from 'vitest';
import { utcDay } from '../../../src/core/utc-day.js';
import { BOT, ETH, T0, fillFor, intent, makeHarness, runFor, type Harness } from './order-manager-fixture.js';

const DAY = utcDay(T0);

function ledger(h: Harness, clientOrderId: string) {
  return {
    fills: h.store.fills.all(),
    order: h.store.orders.get(clientOrderId),
    position: h.store.positions.get(BOT, h.venue.name, ETH.symbol),
    volume: h.store.dailyVolume.get(BOT, DAY),
  };
}

describe('OrderManager fills', () => {
  it('books a fill that beats the ack and keeps it filled when the stale ack arrives', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 100 });
    const order = h.om.submit(intent());
    await runFor(h.clock, 10);

    h.venue.emitFill(fillFor(order, { size: 0.5, price: 2000 }));
    const beforeAck = h.store.orders.get(order.clientOrderId)!.status;
    await runFor(h.clock, 1_000);

    expect(beforeAck).toBe('filled');
    const row = h.store.orders.get(order.clientOrderId)!;
    expect(row.status).toBe('filled');
    expect(row.filledSize).toBe(0.5);
    expect(h.om.active()).toEqual([]);
    expect(h.store.positions.get(BOT, 'fake', ETH.symbol)!.size).toBe(0.5);
  });

  it('a partial fill before the ack leaves the order partially_filled after the ack', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 100 });
    const order = h.om.submit(intent());
    await runFor(h.clock, 10);

    h.venue.emitFill(fillFor(order, { size: 0.2 }));
    await runFor(h.clock, 1_000);

    const row = h.store.orders.get(order.clientOrderId)!;
    expect(row.status).toBe('partially_filled');
    expect(row.filledSize).toBeCloseTo(0.2, 12);
    expect(row.venueOrderId).not.toBeNull();
  });

  it('books a duplicate delivery (same trade id) once', async () => {
    const h = makeHarness();
    const order = h.om.submit(intent({ size: 1 }));
    await runFor(h.clock, 1_000);
    const f = fillFor(order, { size: 0.4, price: 2001, fee: 0.3 });

    const first = h.om.handleFill(f);
    const afterFirst = ledger(h, order.clientOrderId);
    h.venue.emitFill(f);
    const second = h.om.handleFill({ ...f });
    const afterDuplicate = ledger(h, order.clientOrderId);

    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(afterDuplicate).toEqual(afterFirst);
    expect(afterDuplicate.fills).toHaveLength(1);
    expect(afterDuplicate.order!.filledSize).toBeCloseTo(0.4, 12);
    expect(afterDuplicate.position!.size).toBeCloseTo(0.4, 12);
    expect(afterDuplicate.volume.fills).toBe(1);
    expect(afterDuplicate.volume.volumeUsd).toBeCloseTo(0.4 * 2001, 9);
  });

  it('partial then full fill: VWAP average price, summed fees, filled status, position and volume', async () => {
    const h = makeHarness();
    const order = h.om.submit(intent({ size: 0.5, side: 'sell' }));
    await runFor(h.clock, 1_000);
    const statuses: string[] = [];
    h.om.onChange((o, applied) => {
      if (applied) statuses.push(o.status);
    });

    h.venue.emitFill(fillFor(order, { size: 0.2, price: 2000, fee: 0.1 }));
    h.venue.emitFill(fillFor(order, { size: 0.3, price: 2010, fee: 0.2, ts: T0 + 1 }));

    const row = h.store.orders.get(order.clientOrderId)!;
    expect(statuses).toEqual(['partially_filled', 'filled']);
    expect(row.status).toBe('filled');
    expect(row.filledSize).toBeCloseTo(0.5, 12);
    expect(row.avgFillPrice).toBeCloseTo((0.2 * 2000 + 0.3 * 2010) / 0.5, 9);
    expect(row.feesPaid).toBeCloseTo(0.3, 12);
    const pos = h.store.positions.get(BOT, 'fake', ETH.symbol)!;
    expect(pos.size).toBeCloseTo(-0.5, 12);
    expect(pos.entryPrice).toBeCloseTo(2006, 9);
    const vol = h.store.dailyVolume.get(BOT, DAY);
    expect(vol.fills).toBe(2);
    expect(vol.volumeUsd).toBeCloseTo(400 + 603, 9);
    expect(vol.feesUsd).toBeCloseTo(0.3, 12);
  });

  it('a late fill after the cancel ack completes a canceled order (canceled → filled)', async () => {
    const h = makeHarness();
    const order = h.om.submit(intent({ size: 0.5 }));
    await runFor(h.clock, 1_000);
    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 1_000);
    const canceled = h.store.orders.get(order.clientOrderId)!.status;

    h.venue.emitFill(fillFor(order, { size: 0.2 }));
    const afterPartial = h.store.orders.get(order.clientOrderId)!;
    h.venue.emitFill(fillFor(order, { size: 0.3 }));

    expect(canceled).toBe('canceled');
    expect(afterPartial.status).toBe('canceled');
    expect(afterPartial.filledSize).toBeCloseTo(0.2, 12);
    expect(h.store.orders.get(order.clientOrderId)!.status).toBe('filled');
    expect(h.store.positions.get(BOT, 'fake', ETH.symbol)!.size).toBeCloseTo(0.5, 12);
  });

  it('a fill for an unknown liq- client id creates a liquidation order and books it', async () => {
    const h = makeHarness();
    const opening = h.om.submit(intent({ size: 1, side: 'buy' }));
    await runFor(h.clock, 1_000);
    h.venue.emitFill(fillFor(opening, { size: 1, price: 2000 }));

    h.venue.emitFill(
      fillFor({ clientOrderId: 'liq-1', symbol: ETH.symbol, side: 'sell' }, { size: 0.4, price: 1900, fee: 1, ts: T0 + 5 }),
    );

    const liq = h.store.orders.get('liq-1')!;
    expect(liq).toMatchObject({
      purpose: 'liquidation',
      botId: BOT,
      side: 'sell',
      size: 0.4,
      reduceOnly: true,
      status: 'filled',
      filledSize: 0.4,
      avgFillPrice: 1900,
      venue: 'fake',
    });
    expect(h.store.fills.forOrder('liq-1')).toHaveLength(1);
    const pos = h.store.positions.get(BOT, 'fake', ETH.symbol)!;
    expect(pos.size).toBeCloseTo(0.6, 12);
    expect(pos.realizedPnl).toBeCloseTo(0.4 * (1900 - 2000), 9);
  });

  it('a fill for an unknown non-liquidation id is recorded as a manual order', () => {
    const h = makeHarness();

    const booked = h.om.handleFill(fillFor({ clientOrderId: 'web-42', symbol: ETH.symbol, side: 'buy' }, { size: 0.1 }));

    expect(booked).toBe(true);
    expect(h.store.orders.get('web-42')).toMatchObject({ purpose: 'manual', reduceOnly: false, status: 'filled' });
  });

  it('hands listeners every change of an order with the keys of the submitted order, in the same order', async () => {
    const h = makeHarness();
    h.venue.script({ kind: 'ack', delayMs: 100 });
    const seen: string[][] = [];
    h.om.onChange((o) => seen.push(Object.keys(o)));
    const order = h.om.submit(intent({ size: 1 }));
    await runFor(h.clock, 1_000);
    h.venue.emitFill(fillFor(order, { size: 0.4 }));
    h.venue.emitFill(fillFor(order, { size: 0.6 }));
    await runFor(h.clock, 1_000);

    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const keys of seen) expect(keys).toEqual(Object.keys(order));
  });
});
