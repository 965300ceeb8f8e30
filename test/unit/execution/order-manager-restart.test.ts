import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { Store } from '../../../src/store/store.js';
import { FakeVenue } from './fake-venue.js';
import { BOT, ETH, T0, fillFor, intent, makeHarness, runFor } from './order-manager-fixture.js';

let dir = '';
let dbPath = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-om-'));
  dbPath = join(dir, 'dnbot.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('OrderManager across a restart', () => {
  it('never reuses a client order id after the store is reopened', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 3; run++) {
      const store = Store.open(dbPath);
      const h = makeHarness({ store, clock: new SimClock(T0 + run * 60_000) });
      for (let i = 0; i < 4; i++) ids.push(h.om.submit(intent()).clientOrderId);
      await runFor(h.clock, 1_000);
      store.close();
    }

    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    for (const id of ids) expect(id.startsWith('bot1-')).toBe(true);
  });

  it('reconcile settles orders a previous process left in flight, backfills fills and reports position mismatches', async () => {
    // Process 1: two requests never acked (crash), three acked; one of those partly filled.
    const store1 = Store.open(dbPath);
    const p1 = makeHarness({ store: store1 });
    p1.venue.script({ kind: 'hold' }, { kind: 'hold' });
    const aWasSent = p1.om.submit(intent()); // venue has it resting
    const bNeverArrived = p1.om.submit(intent()); // venue never saw it
    const cGone = p1.om.submit(intent()); // acked, later unknown to the venue
    const dFilledMeanwhile = p1.om.submit(intent({ size: 0.5 }));
    const ePartly = p1.om.submit(intent({ size: 0.5 }));
    await runFor(p1.clock, 1_000);
    const oldFill = fillFor(ePartly, { size: 0.2, price: 2000, ts: T0 + 1_000 });
    p1.venue.emitFill(oldFill);
    const leftBehind = Object.fromEntries(store1.orders.active('fake').map((o) => [o.clientOrderId, o.status]));
    store1.close();

    // Process 2: a fresh venue connection that knows what really happened.
    const store2 = Store.open(dbPath);
    const venue = new FakeVenue({ clock: new SimClock(T0 + 10_000) });
    venue.setRecord(aWasSent.clientOrderId, ETH.symbol, 'open');
    venue.setRecord(dFilledMeanwhile.clientOrderId, ETH.symbol, 'filled', 0.5);
    venue.setRecord(ePartly.clientOrderId, ETH.symbol, 'partially_filled', 0.3);
    venue.venueFills.push(
      oldFill,
      fillFor(dFilledMeanwhile, { size: 0.5, price: 2010, fee: 0.4, ts: T0 + 4_000 }),
      fillFor(ePartly, { size: 0.1, price: 2020, fee: 0.1, ts: T0 + 5_000 }),
    );
    venue.venuePositions = [
      { symbol: ETH.symbol, size: 0.8, entryPrice: 2000, realizedPnl: 0 },
      { symbol: 'BTC-PERP', size: 1, entryPrice: 40_000, realizedPnl: 0 },
    ];
    const p2 = makeHarness({ store: store2, venue, clock: new SimClock(T0 + 10_000) });

    const result = await p2.om.reconcile();

    expect(leftBehind).toEqual({
      [aWasSent.clientOrderId]: 'pending_submit',
      [bNeverArrived.clientOrderId]: 'pending_submit',
      [cGone.clientOrderId]: 'open',
      [dFilledMeanwhile.clientOrderId]: 'open',
      [ePartly.clientOrderId]: 'partially_filled',
    });
    expect(result.ordersChecked).toBe(5);
    expect(result.fillsBackfilled).toBe(2);
    const status = (id: string) => store2.orders.get(id)!;
    expect(status(aWasSent.clientOrderId).status).toBe('open');
    expect(status(bNeverArrived.clientOrderId)).toMatchObject({ status: 'expired', rejectReason: 'not_found_on_venue' });
    expect(status(cGone.clientOrderId)).toMatchObject({ status: 'expired', rejectReason: 'not_found_on_venue' });
    expect(status(dFilledMeanwhile.clientOrderId)).toMatchObject({ status: 'filled', filledSize: 0.5, avgFillPrice: 2010 });
    expect(status(ePartly.clientOrderId).status).toBe('partially_filled');
    expect(status(ePartly.clientOrderId).filledSize).toBeCloseTo(0.3, 12);
    expect(store2.fills.all('fake')).toHaveLength(3);
    expect(store2.positions.get(BOT, 'fake', ETH.symbol)!.size).toBeCloseTo(0.8, 12);
    expect(result.positionMismatches).toHaveLength(1);
    expect(result.positionMismatches[0]).toContain('BTC-PERP');
    expect(venue.callsOf('placeOrder')).toEqual([]);
    expect(p2.om.active().map((o) => o.clientOrderId).sort()).toEqual([aWasSent.clientOrderId, ePartly.clientOrderId].sort());
    store2.close();
  });

  it('reports a mismatch when the ledger holds a position the venue does not', async () => {
    const store = Store.open(dbPath);
    const h = makeHarness({ store });
    const order = h.om.submit(intent({ size: 0.5 }));
    await runFor(h.clock, 1_000);
    h.venue.emitFill(fillFor(order, { size: 0.5 }));
    h.venue.venuePositions = [];

    const result = await h.om.reconcile();

    expect(result.fillsBackfilled).toBe(0);
    expect(result.positionMismatches).toHaveLength(1);
    expect(result.positionMismatches[0]).toContain(ETH.symbol);
    store.close();
  });
});
