import { describe, expect, it } from 'vitest';
import type { Order, SizingStep } from '../../../src/core/types.js';
import { Store } from '../../../src/store/store.js';

function order(clientOrderId: string, sizingTrace: readonly SizingStep[]): Order {
  return {
    clientOrderId, botId: 'b1', venue: 'v', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: 2000, size: 1,
    reduceOnly: false, purpose: 'entry', pairId: null, status: 'pending_submit', venueOrderId: null, filledSize: 0,
    avgFillPrice: null, feesPaid: 0, rejectReason: null, sizingTrace, createdTs: 0, updatedTs: 0,
  };
}

describe('SizingStepRepository ids kept in memory', () => {
  // SQLite gives a rolled-back row's id to the next row inserted: an id remembered from the
  // rolled-back write would then name another step.
  it('forgets the ids of a rolled-back write: a step whose id went to another step is stored again', () => {
    const store = Store.open(':memory:');
    const gone: SizingStep = { step: 'cap', input: 3, output: 2, reason: 'first written by an order that rolled back' };
    const other: SizingStep = { step: 'gate', input: 2, output: 2, reason: 'takes the rolled-back id' };
    store.transaction(() => {
      expect(() => store.transaction(() => {
        store.orders.insert(order('gone', [gone]));
        throw new Error('abort');
      })).toThrow('abort');
      store.orders.insert(order('other', [other]));
      store.orders.insert(order('same-object', [gone]));
      store.orders.insert(order('equal-text', [{ ...gone }]));
    });

    expect(store.orders.get('gone')).toBeNull();
    expect(store.orders.get('other')!.sizingTrace).toEqual([other]);
    expect(store.orders.get('same-object')!.sizingTrace).toEqual([gone]);
    expect(store.orders.get('equal-text')!.sizingTrace).toEqual([gone]);
  });

  it('stores a step once whether an order passes the same object or an equal one, and across a restart', () => {
    const store = Store.open(':memory:');
    const step: SizingStep = { step: 'base', input: 500, output: 500, reason: 'progressive' };
    store.orders.insert(order('a', [step]));
    store.orders.insert(order('b', [step]));
    store.orders.insert(order('c', [{ ...step }]));
    const again = new Store(store.db);
    again.orders.insert(order('d', [{ ...step }]));

    expect((store.db.prepare('SELECT COUNT(*) AS n FROM sizing_steps').get() as { n: number }).n).toBe(1);
    for (const id of ['a', 'b', 'c', 'd']) expect(store.orders.get(id)!.sizingTrace).toEqual([step]);
  });

  it('knows the steps it stored without asking SQLite; a text used again only after 8,192 newer ones is stored again, its trace still right', () => {
    const store = Store.open(':memory:');
    const step = (i: number): SizingStep => ({ step: 'base', input: i, output: i, reason: `entry ${i}` });
    for (let i = 0; i <= 8192; i++) store.orders.insert(order(`o${i}`, [step(i)]));
    store.orders.insert(order('again', [step(0)]));
    store.orders.insert(order('recent', [step(4096)]));

    expect((store.db.prepare('SELECT COUNT(*) AS n FROM sizing_steps').get() as { n: number }).n).toBe(8194);
    expect(store.orders.get('again')!.sizingTrace).toEqual([step(0)]);
    expect(store.orders.get('recent')!.sizingTrace).toEqual([step(4096)]);
  });
});
