import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order, SizingStep } from '../../../src/core/types.js';
import { openDatabase } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
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
    // Each step's name and reason (its kind) likewise: the first one's was forgotten, written again.
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM sizing_kinds').get() as { n: number }).n).toBe(8194);
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

describe('one row per JSON text, known without writing the JSON', () => {
  // Few names, reasons and numbers, so that steps JSON writes alike come often: NaN and
  // ±Infinity both write null, -0 writes 0; a lone surrogate keeps a step out of columns.
  const name = fc.constantFrom('cap', 'gate');
  const reason = fc.constantFrom('leverage', 'cap\u00003,4', '\uD800 lone');
  const num = fc.constantFrom(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  class Step { constructor(readonly step: string, readonly input: number, readonly output: number, readonly reason: string) {} }
  const step = fc.tuple(name, num, num, reason, fc.constantFrom('plain', 'class', 'reordered', 'null-prototype')).map(([n, i, o, r, shape]): SizingStep => {
    if (shape === 'class') return new Step(n, i, o, r);
    if (shape === 'reordered') return { reason: r, step: n, input: i, output: o } as SizingStep;
    if (shape === 'null-prototype') return Object.assign(Object.create(null) as object, { step: n, input: i, output: o, reason: r }) as SizingStep;
    return { step: n, input: i, output: o, reason: r };
  });

  it('steps share a row exactly when JSON writes them alike, across a restart too, and read back alike from memory and SQLite (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 24 }), fc.nat(24), (steps, restartAt) => {
        const store = Store.open(':memory:');
        let writer = store;
        steps.forEach((s, i) => {
          if (i === restartAt) writer = new Store(store.db); // a restart: what is stored is learnt from the file
          writer.orders.insert(order(`o${i}`, [s]));
        });
        const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM sizing_steps').get() as { n: number }).n;
        expect(rows).toBe(new Set(steps.map((s) => JSON.stringify(s))).size);
        const fromFile = new Store(store.db);
        steps.forEach((s, i) => {
          const read = fromFile.orders.get(`o${i}`)!.sizingTrace;
          expect(JSON.stringify(read)).toBe(JSON.stringify([s]));
          expect(writer.orders.get(`o${i}`)!.sizingTrace).toEqual(read);
        });
        store.close();
      }),
      { numRuns: 300 },
    );
  });

  it('a damaged JSON row does not stop a start from storing new steps; reading it is refused', () => {
    const store = Store.open(':memory:');
    store.db.prepare('INSERT INTO sizing_steps (kind, input, output, json) VALUES (NULL, NULL, NULL, ?)').run('{"step":"cap","inp');
    store.db.prepare("INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, status, filled_size, fees_paid, sizing_trace, trace_steps, created_ts, updated_ts) VALUES ('old', 'b1', 'v', 'ETH-PERP', 'buy', 'limit', 'GTC', 2000, 1, 0, 'entry', 'filled', 0, 0, '', '1', 0, 0)").run();
    const fresh = new Store(store.db);
    const step: SizingStep = { step: 'cap', input: 3, output: 2, reason: 'leverage' };
    fresh.orders.insert(order('new', [step]));
    expect(new Store(store.db).orders.get('new')!.sizingTrace).toEqual([step]);
    expect(() => fresh.orders.get('old')).toThrow();
    store.close();
  });

  it('an order whose trace array is the previous one with a step replaced stores that step', () => {
    const store = Store.open(':memory:');
    const base: SizingStep = { step: 'base', input: 500, output: 500, reason: 'progressive' };
    const trace: SizingStep[] = [base, { step: 'slice', input: 500, output: 0.1, reason: 'leg 0' }];
    store.orders.insert(order('a', trace));
    trace[1] = { step: 'slice', input: 500, output: 0.2, reason: 'leg 1' };
    store.orders.insert(order('b', trace));
    expect(new Store(store.db).orders.get('b')!.sizingTrace).toEqual(trace);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM sizing_steps').get() as { n: number }).n).toBe(3);
    store.close();
  });
});

describe('sizing steps stored in columns (migration 16)', () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'slice to 49% of the leg; IOC within 10 bps'));
  const num = fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 500, 0.1 + 0.2));
  const plain = fc.record({ step: text, input: num, output: num, reason: text });
  // Steps the type forbids but a caller could still pass: every one must read back as JSON gives it.
  const odd = fc.oneof(
    fc.record({ reason: text, step: text, input: num, output: num }),
    fc.record({ step: text, input: num, output: num, reason: text, extra: fc.jsonValue() }),
    fc.record({ step: text, input: fc.oneof(fc.string(), fc.constant(null)), output: num, reason: fc.oneof(fc.integer(), fc.constant(null)) }),
    // The four fields, but JSON.stringify calls an inherited toJSON (a class method: not enumerable).
    plain.map((p) => Object.assign(new (class { toJSON(): unknown { return { shown: p.reason }; } })(), p)),
  ) as unknown as fc.Arbitrary<SizingStep>;

  it('reads every step back JSON-identical from SQLite, and keeps a plain one in columns (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(plain, odd), { minLength: 1, maxLength: 6 }), (trace) => {
        const store = Store.open(':memory:');
        store.orders.insert(order('o', trace));
        // A second repository on the same connection knows nothing in memory: it reads SQLite.
        const read = new Store(store.db).orders.get('o')!.sizingTrace;
        expect(JSON.stringify(read)).toBe(JSON.stringify(trace));
        const rows = store.db.prepare('SELECT kind FROM sizing_steps').all() as { kind: number | null }[];
        const columns = (s: SizingStep): boolean =>
          [Object.prototype, null].includes(Object.getPrototypeOf(s) as object | null) && JSON.stringify(Object.keys(s)) === '["step","input","output","reason"]' && typeof s.step === 'string' && typeof s.reason === 'string' &&
          typeof s.input === 'number' && typeof s.output === 'number' && !/[\uD800-\uDFFF]/.test(s.step + s.reason);
        const distinct = new Map(trace.map((s) => [JSON.stringify(s), s]));
        expect(rows.filter((r) => r.kind !== null).length).toBe([...distinct.values()].filter(columns).length);
        store.close();
      }),
      { numRuns: 300 },
    );
  });

  it('a file written before keeps its steps and orders: old rows read as JSON, new ones in columns, the working orders from the partial index', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-steps-'));
    try {
      const path = join(dir, 'v15.sqlite');
      const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 15), null);
      const legacy: SizingStep = { step: 'base', input: 500, output: 420.25, reason: 'progressive' };
      old.prepare('INSERT INTO sizing_steps (id, hash, step) VALUES (7, 1, ?)').run(JSON.stringify(legacy));
      const insert = old.prepare(
        `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, status, filled_size, fees_paid, sizing_trace, trace_steps, created_ts, updated_ts)
         VALUES (?, 'b1', 'v', 'ETH-PERP', 'buy', 'limit', 'GTC', 2000, 1, 0, 'entry', ?, 0, 0, '', '7', ?, 0)`,
      );
      insert.run('working', 'open', 1);
      insert.run('done', 'filled', 2);
      old.close();

      const store = Store.open(path);
      expect(store.orders.get('done')!.sizingTrace).toEqual([legacy]);
      expect(store.orders.active('v').map((o) => o.clientOrderId)).toEqual(['working']);
      expect(store.orders.activeForBot('b1', 'v').map((o) => o.clientOrderId)).toEqual(['working']);
      const fresh: SizingStep = { step: 'cap', input: 420.25, output: 400, reason: 'leverage' };
      store.orders.insert(order('new', [legacy, fresh]));
      expect(new Store(store.db).orders.get('new')!.sizingTrace).toEqual([legacy, fresh]);
      // The old order's trace stays text; the new one's is packed.
      expect(store.db.prepare("SELECT client_order_id AS id, typeof(trace_steps) AS t FROM orders ORDER BY created_ts").all())
        .toEqual([{ id: 'new', t: 'blob' }, { id: 'working', t: 'text' }, { id: 'done', t: 'text' }]);
      // The legacy text was known from the file (no second row for it); the new step is in columns.
      expect(store.db.prepare('SELECT s.id, s.json, k.step, s.input, s.output, k.reason FROM sizing_steps s LEFT JOIN sizing_kinds k ON k.id = s.kind ORDER BY s.id').all()).toEqual([
        { id: 7, json: JSON.stringify(legacy), step: null, input: null, output: null, reason: null },
        { id: 8, json: null, step: 'cap', input: 420.25, output: 400, reason: 'leverage' },
      ]);
      const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('orders', 'sizing_steps') AND sql IS NOT NULL ORDER BY name").pluck().all();
      expect(indexes).toEqual(['orders_bot_created', 'orders_pair', 'orders_working']);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sizing kinds: a name and reason stored once (migration 21)', () => {
  const kinds = (store: Store): unknown[] => store.db.prepare('SELECT id, step, reason FROM sizing_kinds ORDER BY id').all();

  it('steps sharing a name and reason share one kind row, after a restart too; each reads back whole', () => {
    const store = Store.open(':memory:');
    const slice = (input: number, output: number): SizingStep => ({ step: 'slice', input, output, reason: 'slice to 13% of the leg; IOC within 10 bps' });
    const lot: SizingStep = { step: 'lot_round', input: 0.0271, output: 0.027, reason: 'ETH-PERP lot 0.001' };
    store.orders.insert(order('a', [slice(86.27, 0.48), lot]));
    store.orders.insert(order('b', [slice(90.75, 0.026)]));
    const again = new Store(store.db); // a restart: what is stored is learnt from the file
    again.orders.insert(order('c', [slice(91.7, 0.51), { ...lot, reason: 'SOL-PERP lot 0.01' }]));

    expect(kinds(store)).toEqual([
      { id: 1, step: 'slice', reason: 'slice to 13% of the leg; IOC within 10 bps' },
      { id: 2, step: 'lot_round', reason: 'ETH-PERP lot 0.001' },
      { id: 3, step: 'lot_round', reason: 'SOL-PERP lot 0.01' },
    ]);
    expect(store.db.prepare('SELECT kind FROM sizing_steps ORDER BY id').pluck().all()).toEqual([1, 2, 1, 1, 3]);
    const fresh = new Store(store.db);
    expect(fresh.orders.get('a')!.sizingTrace).toEqual([slice(86.27, 0.48), lot]);
    expect(fresh.orders.get('b')!.sizingTrace).toEqual([slice(90.75, 0.026)]);
    expect(fresh.orders.get('c')!.sizingTrace).toEqual([slice(91.7, 0.51), { ...lot, reason: 'SOL-PERP lot 0.01' }]);
    store.close();
  });

  it('tells apart kinds whose name and reason run together the same ("a" + "bc", "ab" + "c")', () => {
    const store = Store.open(':memory:');
    store.orders.insert(order('a', [{ step: 'a', input: 1, output: 1, reason: 'bc' }, { step: 'ab', input: 1, output: 1, reason: 'c' }]));
    expect(kinds(store)).toEqual([{ id: 1, step: 'a', reason: 'bc' }, { id: 2, step: 'ab', reason: 'c' }]);
    expect(new Store(store.db).orders.get('a')!.sizingTrace.map((t) => t.step)).toEqual(['a', 'ab']);
    store.close();
  });

  // SQLite gives a rolled-back row's id to the next row inserted: a kind id remembered from the
  // rolled-back write would then name another kind.
  it('forgets a kind written by a transaction that rolled back: its id goes to another kind, and it is written again', () => {
    const store = Store.open(':memory:');
    const lost: SizingStep = { step: 'cap', input: 3, output: 2, reason: 'first written by an order that rolled back' };
    expect(() => store.transaction(() => {
      store.orders.insert(order('gone', [lost]));
      throw new Error('abort');
    })).toThrow('abort');
    const other: SizingStep = { step: 'gate', input: 2, output: 2, reason: 'takes the rolled-back kind id' };
    store.orders.insert(order('other', [other]));
    store.orders.insert(order('again', [{ ...lost, input: 4 }]));

    expect(kinds(store)).toEqual([
      { id: 1, step: 'gate', reason: 'takes the rolled-back kind id' },
      { id: 2, step: 'cap', reason: 'first written by an order that rolled back' },
    ]);
    const fresh = new Store(store.db);
    expect(fresh.orders.get('other')!.sizingTrace).toEqual([other]);
    expect(fresh.orders.get('again')!.sizingTrace).toEqual([{ ...lost, input: 4 }]);
    store.close();
  });

  it('a step whose kind is missing (a damaged file) is refused naming it; a start does not take its text as stored', () => {
    const store = Store.open(':memory:');
    const step: SizingStep = { step: 'cap', input: 3, output: 2, reason: 'leverage' };
    store.orders.insert(order('a', [step]));
    store.db.exec('DELETE FROM sizing_kinds');
    const fresh = new Store(store.db);
    expect(() => fresh.orders.get('a')).toThrow('the kind of sizing step 1 is missing from sizing_kinds');
    // Written again in full: a new step row and a new kind, which read back.
    fresh.orders.insert(order('b', [{ ...step }]));
    expect(store.db.prepare('SELECT id, kind FROM sizing_steps ORDER BY id').all()).toEqual([{ id: 1, kind: 1 }, { id: 2, kind: 1 }]);
    expect(new Store(store.db).orders.get('b')!.sizingTrace).toEqual([step]);
    store.close();
  });
});
