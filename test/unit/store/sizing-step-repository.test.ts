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

  it('reads back the steps an order stored, shared with other orders naming them and frozen; a rollback drops them too', () => {
    const store = Store.open(':memory:');
    const base: SizingStep = { step: 'base', input: 500, output: 500, reason: 'progressive' };
    const cap: SizingStep = { step: 'cap', input: 500, output: 420.5, reason: 'leverage 3x' };
    store.orders.insert(order('long', [base, cap]));
    store.orders.insert(order('short', [{ ...base }, { step: 'cap', input: 500, output: 410, reason: 'leverage 3x' }]));
    const long = store.orders.get('long')!.sizingTrace;
    const short = store.orders.get('short')!.sizingTrace;
    expect(long).toEqual([base, cap]);
    expect(JSON.stringify(long)).toBe(JSON.stringify([base, cap]));
    expect(short[0]).toBe(long[0]);
    expect(Object.isFrozen(long[0])).toBe(true);
    expect(store.orders.get('long')!.sizingTrace).not.toBe(long);

    // Read back inside a transaction that rolls back: the id its new step took goes to another step.
    const lost: SizingStep = { step: 'gate', input: 1, output: 1, reason: 'rolled back' };
    expect(() => store.transaction(() => {
      store.orders.insert(order('gone', [lost]));
      expect(store.orders.get('gone')!.sizingTrace).toEqual([lost]);
      throw new Error('abort');
    })).toThrow('abort');
    const kept: SizingStep = { step: 'gate', input: 2, output: 2, reason: 'kept' };
    store.orders.insert(order('kept', [kept]));
    expect(store.orders.get('kept')!.sizingTrace).toEqual([kept]);
    store.close();
  });
});
