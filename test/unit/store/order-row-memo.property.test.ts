import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order, OrderStatus, SizingStep } from '../../../src/core/types.js';
import { OrderRepository } from '../../../src/store/order-repository.js';
import { Store } from '../../../src/store/store.js';
import { memoCommand, runMemoCommand } from '../../support/memo-commands.js';

/** Keys in order, numbers told apart by Object.is (-0, NaN): what "the same object" means to a listener. */
function shape(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? 'num:-0' : `num:${String(v)}`;
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, shape(x)]);
  return v === undefined ? 'undefined' : v;
}

function storeWithMemo(batched: boolean): Store {
  const store = Store.open(':memory:');
  store.orders.keepWrittenRows((forget) => store.batching.onRollback(forget));
  if (batched) {
    store.batching.start(0);
    store.batching.begin();
  }
  return store;
}

const IDS = ['a', 'b', 'c', 'd'];
const STATUSES: OrderStatus[] = ['pending_submit', 'open', 'partially_filled', 'cancel_pending', 'unknown', 'filled', 'canceled', 'rejected', 'expired'];
/** Doubles with -0, NaN and the infinities, and whole numbers past 2^53. */
const num = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 60, 0.1), fc.integer());
/** Strings with lone surrogates (SQLite's UTF-8 turns them into U+FFFD) and NULs. */
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('\uD800', 'x\uDC00', 'a\0b', 'é😀', ''), fc.constantFrom('V1', 'late'));
const step: fc.Arbitrary<SizingStep> = fc.record({ step: fc.constantFrom('base', 'cap'), input: num, output: num, reason: text });
/** What `update` writes: an order's changing columns, with numbers and texts drawn from `n` and `t`. */
function columnsOf(n: fc.Arbitrary<number>, t: fc.Arbitrary<string>) {
  return {
    status: fc.constantFrom(...STATUSES),
    venueOrderId: fc.option(t, { nil: null }),
    filledSize: n,
    avgFillPrice: fc.option(n, { nil: null }),
    feesPaid: n,
    rejectReason: fc.option(t, { nil: null }),
    updatedTs: n,
  };
}
/** The changing columns with every awkward value, also drawn for a new order. */
const changingColumns = columnsOf(num, text);
const order: fc.Arbitrary<Order> = fc
  .record({
    clientOrderId: fc.constantFrom(...IDS),
    price: fc.option(num, { nil: undefined }),
    size: fc.oneof(num, fc.constant(0.5)),
    reduceOnly: fc.boolean(),
    pairId: fc.option(text, { nil: null }),
    ...changingColumns,
    sizingTrace: fc.array(step, { maxLength: 3 }),
    createdTs: num,
  })
  .map(({ price, ...o }) => ({
    botId: 'b1', venue: 'v', symbol: 'ETH-PERP', side: 'buy' as const, type: 'limit' as const, tif: 'GTC' as const, purpose: 'entry' as const,
    ...o,
    ...(price === undefined ? {} : { price }),
  }));
const changes = fc.record(changingColumns);

type Write =
  | { kind: 'insert'; order: Order }
  | { kind: 'update'; id: string; changes: Partial<Order>; passStored: boolean };
const write: fc.Arbitrary<Write> = fc.oneof(
  order.map((o) => ({ kind: 'insert' as const, order: o })),
  fc.record({ kind: fc.constant('update' as const), id: fc.constantFrom(...IDS), changes, passStored: fc.boolean() }),
);
/** Writes, alone or inside a transaction that commits or throws (rolled back). */
const command = memoCommand(write);

function apply(store: Store, w: Write): void {
  try {
    if (w.kind === 'insert') store.orders.insert(w.order);
    else {
      const now = store.orders.get(w.id);
      if (now === null) return;
      store.orders.update({ ...now, ...w.changes }, w.passStored ? now : undefined);
    }
  } catch {
    // A duplicate id or a size the schema refuses: nothing written, as SQLite decided.
  }
}

describe('OrderRepository rows kept in memory', () => {
  it('answers get exactly as SQLite does (keys, trace, -0, NaN, lone surrogates) after any inserts, updates and rollbacks', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(command, { maxLength: 12 }), (batched, commands) => {
        const store = storeWithMemo(batched);
        const sqlite = new OrderRepository(store.db); // keeps nothing: every get reads SQLite
        for (const c of commands) {
          runMemoCommand(store, c, (w) => apply(store, w));
          for (const id of IDS) expect(shape(store.orders.get(id))).toEqual(shape(sqlite.get(id)));
        }
        store.close();
      }),
      { numRuns: 300 },
    );
  });

  it('answers get as SQLite does after updates of values SQLite gives back as bound (the kept row changed in place)', () => {
    const plainNum = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)), fc.integer());
    const plainText = fc.string({ maxLength: 4 });
    const plainChanges = fc.record(columnsOf(plainNum, plainText));
    fc.assert(
      fc.property(fc.array(plainChanges, { minLength: 1, maxLength: 5 }), (updates) => {
        const store = storeWithMemo(false);
        const sqlite = new OrderRepository(store.db);
        const o: Order = {
          clientOrderId: 'o1', botId: 'b1', venue: 'v', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', size: 1,
          reduceOnly: false, purpose: 'entry', pairId: 'p1', status: 'pending_submit', venueOrderId: null, filledSize: 0,
          avgFillPrice: null, feesPaid: 0, rejectReason: null, sizingTrace: [], createdTs: 5, updatedTs: 5, price: 2000,
        };
        store.orders.insert(o);
        for (const u of updates) {
          store.orders.update({ ...store.orders.get('o1')!, ...u });
          expect(shape(store.orders.get('o1'))).toEqual(shape(sqlite.get('o1')));
        }
        store.close();
      }),
      { numRuns: 200 },
    );
  });

  it('reads a written order from memory, and SQLite again once a rollback may have removed it', () => {
    const store = storeWithMemo(false);
    const trace: SizingStep[] = [{ step: 'cap', input: Infinity, output: 1, reason: 'no cap' }];
    const o: Order = {
      clientOrderId: 'o1', botId: 'b1', venue: 'v', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', size: 1,
      reduceOnly: false, purpose: 'entry', pairId: 'p1', status: 'pending_submit', venueOrderId: null, filledSize: 0,
      avgFillPrice: null, feesPaid: 0, rejectReason: null, sizingTrace: trace, createdTs: 5, updatedTs: 5, price: 2000,
    };
    store.orders.insert(o);
    store.orders.update({ ...o, status: 'filled', filledSize: 1, avgFillPrice: 2000, venueOrderId: 'V1', updatedTs: 6 });
    const fromSqlite = new OrderRepository(store.db).get('o1');
    // Behind the repository's back: only a read from memory still sees the update.
    store.db.prepare("UPDATE orders SET status = 'canceled' WHERE client_order_id = 'o1'").run();

    const kept = store.orders.get('o1');
    expect(kept?.status).toBe('filled');
    expect(shape(kept)).toEqual(shape(fromSqlite));
    expect(kept?.sizingTrace).toEqual([{ step: 'cap', input: null, output: 1, reason: 'no cap' }]);
    // The price, when there is one, comes last, as it always has.
    expect(Object.keys(kept!)).toEqual([
      'clientOrderId', 'botId', 'venue', 'symbol', 'side', 'type', 'tif', 'size', 'reduceOnly', 'purpose', 'pairId', 'status',
      'venueOrderId', 'filledSize', 'avgFillPrice', 'feesPaid', 'rejectReason', 'sizingTrace', 'createdTs', 'updatedTs', 'price',
    ]);
    expect(() => store.transaction(() => {
      throw new Error('abort');
    })).toThrow('abort');
    expect(store.orders.get('o1')?.status).toBe('canceled');
  });
});
