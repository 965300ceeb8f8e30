import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DnbotError } from '../../../src/core/errors.js';
import { migrate, openDatabase, type Db } from '../../../src/store/database.js';
import { MIGRATIONS, type Migration } from '../../../src/store/migrations.js';
import { buildSchemaSnapshot } from '../../../src/store/schema-snapshot.js';
import { PAGE_SIZE } from '../../../src/store/schema-template.js';
import { SnapshotRepository } from '../../../src/store/snapshot-repository.js';
import { Store } from '../../../src/store/store.js';

let dir = '';
let path = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-store-'));
  path = join(dir, 'nested', 'dnbot.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function version(db: Db): number {
  return (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
}

function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

const NEXT = MIGRATIONS.at(-1)!.version + 1;
const V2: Migration = { version: NEXT, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);' };

describe('openDatabase migrations', () => {
  it('a fresh database gets the schema and versions the migrations build one by one, from one snapshot', () => {
    const schema = (db: Db): unknown[] => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
    const versions = (db: Db): unknown[] => db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    // What `npm run build` writes beside the compiled code (the sources have none: no snapshot).
    const snapshot = buildSchemaSnapshot(MIGRATIONS, migrate);
    // A copy of the list: never a snapshot, every migration in turn.
    const stepwise = openDatabase(join(dir, 'stepwise.sqlite'), [...MIGRATIONS]);
    const execs: string[] = [];
    const fresh = openDatabase(path, []);
    const exec = fresh.exec.bind(fresh);
    fresh.exec = (sql: string) => {
      execs.push(sql);
      return exec(sql);
    };
    migrate(fresh, MIGRATIONS, snapshot);

    expect(schema(fresh)).toEqual(schema(stepwise));
    expect(versions(fresh)).toEqual(versions(stepwise));
    expect(versions(fresh)).toHaveLength(MIGRATIONS.length);
    // The migrations table, then the whole snapshot in one statement: no migration replayed.
    expect(execs).toHaveLength(2);
    fresh.close();
    stepwise.close();
  });

  it('a snapshot built from other migrations is not used: the migrations run one by one', () => {
    const renamed = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, name: `${m.name}-other` } : m));
    const snapshot = buildSchemaSnapshot(renamed, migrate);
    const db = openDatabase(path, []);
    const execs: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      execs.push(sql);
      return exec(sql);
    };
    migrate(db, MIGRATIONS, snapshot);
    expect(execs).toHaveLength(1 + MIGRATIONS.length);
    expect(db.prepare('SELECT name FROM schema_migrations WHERE version = ?').pluck().get(MIGRATIONS[0]!.version)).toBe(MIGRATIONS[0]!.name);
    db.close();
  });

  it('a database that already holds tables is migrated, never overwritten by a snapshot', () => {
    const db = openDatabase(path, []);
    db.exec('CREATE TABLE keep (id INTEGER PRIMARY KEY)');
    const execs: string[] = [];
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      execs.push(sql);
      return exec(sql);
    };
    migrate(db, MIGRATIONS, buildSchemaSnapshot(MIGRATIONS, migrate));
    expect(execs).toHaveLength(1 + MIGRATIONS.length);
    db.close();
  });

  it('is idempotent: opening the same file twice keeps one schema version and the same tables', () => {
    const first = openDatabase(path);
    const v1 = version(first);
    const t1 = tables(first);
    first.close();

    const second = openDatabase(path);

    expect(version(second)).toBe(v1);
    expect(v1).toBe(MIGRATIONS.at(-1)!.version);
    expect(tables(second)).toEqual(t1);
    expect((second.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    second.close();
  });

  it('opens a file made before the compact minute tables with its bars and equity snapshots intact', () => {
    const before = MIGRATIONS.filter((m) => m.name !== 'compact-minute-tables' && m.version < MIGRATIONS.find((x) => x.name === 'compact-minute-tables')!.version);
    const old = openDatabase(path, before);
    old.prepare("INSERT INTO bars (venue, symbol, ts, close) VALUES ('sim', 'ETH-PERP', 60000, 2000.5)").run();
    old.prepare("INSERT INTO equity_snapshots (bot_id, ts, equity, collateral, net_delta, gross_notional) VALUES ('b', 60000, 10000, 9990, 1.5, 200)").run();
    old.close();

    const upgraded = openDatabase(path);
    const withoutRowid = (t: string): boolean => /WITHOUT ROWID/i.test((upgraded.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as { sql: string }).sql);

    expect(upgraded.prepare('SELECT * FROM bars').all()).toEqual([{ venue: 'sim', symbol: 'ETH-PERP', ts: 60000, close: 2000.5 }]);
    expect(new SnapshotRepository(upgraded).equityRange('b', 0, Number.MAX_SAFE_INTEGER)).toEqual([{ botId: 'b', ts: 60000, equity: 10000, collateral: 9990, netDelta: 1.5, grossNotional: 200 }]);
    expect(withoutRowid('bars')).toBe(true);
    upgraded.close();
  });

  it('moves a v16 file\'s equity snapshots into packed hours: every row read back as it was read before, the old table gone', () => {
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 16));
    const insert = old.prepare('INSERT INTO equity_snapshots (bot_id, ts, equity, collateral, net_delta, gross_notional) VALUES (?, ?, ?, ?, ?, ?)');
    const H = 3_600_000;
    // Two bots over three hours, minutes missing, flat and in a position, -0, a whole number, a repeat.
    for (let m = 0; m < 150; m += m % 7 === 3 ? 2 : 1) insert.run('b', 5 * H + m * 60_000, 10_000 + (m > 40 ? m / 3 : 0), 10_000, m > 40 ? -0.25 * m : -0, m > 40 ? 300 + m : 0);
    insert.run('a', 7 * H + 59 * 60_000 + 999, 9_000.125, 8_000, 1e-9, Infinity);
    insert.run('a', 8 * H, 9_001, 8_000, 0, 0);
    const before = old.prepare('SELECT bot_id AS botId, ts, equity, collateral, net_delta AS netDelta, gross_notional AS grossNotional FROM equity_snapshots ORDER BY bot_id, ts').all();
    old.close();

    const upgraded = openDatabase(path);
    const repo = new SnapshotRepository(upgraded);
    expect(['a', 'b'].flatMap((bot) => repo.equityRange(bot, 0, Number.MAX_SAFE_INTEGER))).toEqual(before);
    expect(upgraded.prepare("SELECT 1 FROM sqlite_master WHERE name = 'equity_snapshots'").get()).toBeUndefined();
    expect(upgraded.prepare('SELECT bot_id, hour_ts / 3600000 AS h FROM equity_hours ORDER BY bot_id, hour_ts').all()).toEqual([
      { bot_id: 'a', h: 7 },
      { bot_id: 'a', h: 8 },
      { bot_id: 'b', h: 5 },
      { bot_id: 'b', h: 6 },
      { bot_id: 'b', h: 7 },
    ]);
    expect(repo.peakEquity('b')).toBe(Math.max(...before.filter((r) => (r as { botId: string }).botId === 'b').map((r) => (r as { equity: number }).equity)));
    upgraded.close();
  });

  it('moves a v17 file\'s markouts onto their fills: read back as before, the fill without one has none', () => {
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 17));
    old.prepare(
      `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status, filled_size, sizing_trace, created_ts, updated_ts)
       VALUES ('o1', 'b', 'v', 'ETH-PERP', 'buy', 'limit', 'IOC', 100, 2, 0, 'entry', 'p', 'filled', 2, '', 1, 1)`,
    ).run();
    const fill = old.prepare("INSERT INTO fills (venue, trade_id, client_order_id, venue_order_id, symbol, side, price, size, fee, liquidity, ts) VALUES ('v', ?, 'o1', 'x', 'ETH-PERP', 'buy', ?, 1, 0.01, ?, ?)");
    fill.run('t1', 100, 'maker', 5_000);
    fill.run('t2', 101, 'taker', 6_000);
    fill.run('t3', 102, 'taker', 7_000);
    const markout = old.prepare("INSERT INTO fill_markouts (venue, trade_id, bot_id, symbol, side, price, size, liquidity, ts, mid_at_fill, mid_1s, mid_10s, mid_60s) VALUES ('v', ?, 'b', 'ETH-PERP', 'buy', ?, 1, ?, ?, ?, ?, ?, ?)");
    markout.run('t1', 100, 'maker', 5_000, 100.5, 100.25, null, 99.75);
    markout.run('t3', 102, 'taker', 7_000, null, null, null, null);
    old.close();

    const upgraded = openDatabase(path);
    const store = new Store(upgraded);
    const base = { venue: 'v', botId: 'b', symbol: 'ETH-PERP', side: 'buy', size: 1 };
    expect(store.markouts.range('b', 0, 10_000)).toEqual([
      { ...base, tradeId: 't1', price: 100, liquidity: 'maker', ts: 5_000, midAtFill: 100.5, mids: [100.25, null, 99.75] },
      { ...base, tradeId: 't3', price: 102, liquidity: 'taker', ts: 7_000, midAtFill: null, mids: [null, null, null] },
    ]);
    expect(upgraded.prepare("SELECT 1 FROM sqlite_master WHERE name = 'fill_markouts'").get()).toBeUndefined();
    expect(store.fills.forOrder('o1').map((f) => f.tradeId)).toEqual(['t1', 't2', 't3']);
    store.close();
  });

  it('moves a v18 file\'s exit events to plan-relative rows: exit_stream reads each as the old table did, ids continue', () => {
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 18));
    old.prepare(
      `INSERT INTO exit_plans (pair_id, bot_id, status, long_symbol, short_symbol, long_size, short_size, entry_notional, leverage, tp1, tp2, tp3, sl,
         harvest_scheme, scheme_name, lsf, adjustment, mode, fallback, inputs, created_ts, updated_ts)
       VALUES ('p1', 'b', 'active', 'ETH-PERP', 'SOL-PERP', 1, 20, 2000, 2, 0.01, 0.02, 0.03, 0.005, '[0.3,0.3,0.4]', 'conservative', 0.9, 1, 'adaptive', 0, '{}', 1, 1)`,
    ).run();
    const event = old.prepare(
      `INSERT INTO exit_events (pair_id, bot_id, kind, level, symbol, leverage, tp1, tp2, tp3, sl, harvest_scheme, lsf, adjustment, avg_pnl_last_20, timestamp, ts, trade_id, fill_size)
       VALUES (?, 'b', ?, NULL, ?, ?, 0.01, 0.02, 0.03, 0.005, ?, 0.9, 1, ?, ?, ?, ?, ?)`,
    );
    event.run('p1', 'plan', 'ETH-PERP/SOL-PERP', 2, '[0.3,0.3,0.4]', null, 1_767_258_792, 1_767_258_792_400, null, null); // all the plan's
    event.run('p1', 'exit_fill', 'ETH-PERP/SOL-PERP', 3, '[0.5,0.3,0.2]', 0.002, 1_767_258_793, 1_767_258_793_999, 't1', 0.5); // its own leverage and scheme
    event.run('p1', 'stop', 'SOL-PERP/ETH-PERP', 2, '[0.3,0.3,0.4]', null, 7, 1_767_258_794_000, null, null); // its own symbol and seconds
    event.run('p9', 'plan', 'BTC-PERP/ETH-PERP', 2, '[0.3,0.3,0.4]', null, 1_767_258_795, 1_767_258_795_000, null, null); // no plan row
    event.run('p1', 'stop', 'ETH-PERP/SOL-PERP', 2, '[0.3,0.3,0.4]', null, 1, 2_000, null, null); // a later row, deleted: its id is not given again
    old.prepare('DELETE FROM exit_events WHERE id = 5').run();
    const before = old.prepare('SELECT * FROM exit_events ORDER BY id').all();
    old.close();

    const upgraded = openDatabase(path);
    expect(upgraded.prepare('SELECT * FROM exit_stream ORDER BY id').all()).toEqual(before);
    expect(upgraded.prepare('SELECT id, symbol, leverage, harvest_scheme, timestamp FROM exit_events ORDER BY id').all()).toEqual([
      { id: 1, symbol: null, leverage: null, harvest_scheme: null, timestamp: null },
      { id: 2, symbol: null, leverage: 3, harvest_scheme: '[0.5,0.3,0.2]', timestamp: null },
      { id: 3, symbol: 'SOL-PERP/ETH-PERP', leverage: null, harvest_scheme: null, timestamp: 7 },
      { id: 4, symbol: 'BTC-PERP/ETH-PERP', leverage: 2, harvest_scheme: '[0.3,0.3,0.4]', timestamp: null }, // the seconds are ts's, plan or not
    ]);
    const store = new Store(upgraded);
    store.exitPlans.record({
      pairId: 'p1', botId: 'b', kind: 'stop', level: null, symbol: 'ETH-PERP/SOL-PERP', leverage: 2, tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.005,
      harvest_scheme: [0.3, 0.3, 0.4], LSF: 0.9, adjustment: 1, avg_pnl_last_20: null, timestamp: 3, ts: 3_000,
    });
    expect(upgraded.prepare('SELECT MAX(id) AS id FROM exit_events').get()).toEqual({ id: 6 });
    expect(store.exitPlans.events('p1').map((e) => e.kind)).toEqual(['plan', 'exit_fill', 'stop', 'stop']);
    store.close();
  });

  it('keeps a v19 file\'s small keyed tables WITHOUT ROWID with every row (migration 20); a row with a NULL key, never found, is left out', () => {
    const KEYED = ['bots', 'id_sequences', 'positions', 'daily_volume', 'paper_accounts', 'market_marks', 'circuit_breakers', 'phase_state', 'controls', 'period_equity'];
    const KEYS: Record<string, string> = {
      bots: 'id', id_sequences: 'name', positions: 'bot_id, venue, symbol', daily_volume: 'bot_id, day', paper_accounts: 'venue', market_marks: 'venue, symbol',
      circuit_breakers: 'bot_id, scope, key, period', phase_state: 'bot_id', controls: 'bot_id', period_equity: 'bot_id, period',
    };
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 19));
    old.exec(`
      INSERT INTO bots VALUES ('b2', 'dn-pair', 'sim', 'running', 1, 2, 3, 1.5, 4, -0.25), ('b1', 'dn-pair', 'sim', 'stopped', 5, 6, NULL, 1.0, NULL, NULL);
      INSERT INTO bots (id, strategy, venue, status, created_ts, updated_ts) VALUES (NULL, 'dn-pair', 'sim', 'running', 1, 1);
      INSERT INTO id_sequences VALUES ('coid:b2-', 41), ('coid:b1-', 7);
      INSERT INTO positions VALUES ('b2', 'sim', 'SOL-PERP', -3.5, 180.25, 1.5, 9), ('b2', 'sim', 'ETH-PERP', 0.2, 3000.5, -2, 9);
      INSERT INTO daily_volume VALUES ('b2', '2026-01-02', 1000.5, 0.5, 4, 2.25), ('b2', '2026-01-01', 99, 0.1, 1, -1);
      INSERT INTO paper_accounts VALUES ('sim', 10000.125, 5, -0.75);
      INSERT INTO market_marks VALUES ('sim', 'SOL-PERP', 7, 180.5), ('sim', 'ETH-PERP', 7, 3001);
      INSERT INTO circuit_breakers VALUES ('b2', 'symbol', 'ETH-PERP', 'daily', 'tripped', 8, -50, 40, 'daily loss', NULL, NULL);
      INSERT INTO phase_state VALUES ('b2', 2, 3, 10000, 4);
      INSERT INTO controls VALUES ('*', 1, 'operator', 6), ('b2', 0, NULL, 5);
      INSERT INTO period_equity VALUES ('b2', 'week:2026-01', 10000, 3), ('b2', 'day:2026-01-02', 10010.5, 4);
    `);
    const before = Object.fromEntries(KEYED.map((t) => [t, old.prepare(`SELECT * FROM ${t} WHERE ${KEYS[t]!.split(', ').map((k) => `${k} IS NOT NULL`).join(' AND ')} ORDER BY ${KEYS[t]}`).all()]));
    expect(before['bots']).toHaveLength(2);
    old.close();

    const upgraded = openDatabase(path);
    for (const t of KEYED) {
      expect(upgraded.prepare(`SELECT * FROM ${t} ORDER BY ${KEYS[t]}`).all(), t).toEqual(before[t]);
      expect((upgraded.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as { sql: string }).sql, t).toMatch(/WITHOUT ROWID$/);
    }
    // One b-tree each: no automatic index of the key beside the table.
    expect(upgraded.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN (${KEYED.map(() => '?').join(', ')})`).all(...KEYED)).toEqual([]);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE name = 'round_trips_bot_status'").all()).toEqual([]);
    // The key is still a key, and still refuses a NULL.
    expect(() => upgraded.prepare("INSERT INTO positions VALUES ('b2', 'sim', 'ETH-PERP', 1, 1, 0, 1)").run()).toThrow(/UNIQUE/);
    expect(() => upgraded.prepare("INSERT INTO bots (id, strategy, venue, status, created_ts, updated_ts) VALUES (NULL, 'x', 'sim', 'running', 1, 1)").run()).toThrow(/NOT NULL/);
    const store = new Store(upgraded);
    expect(store.bots.list().map((b) => b.id)).toEqual(['b1', 'b2']);
    store.close();
  });

  it('moves a v20 file\'s sizing steps to kinds (migration 21): each step reads back as before under its id, a name and reason stored once', () => {
    const old = openDatabase(path, MIGRATIONS.filter((m) => m.version <= 20));
    const legacy = JSON.stringify({ step: 'base', input: 500, output: 420.25, reason: 'progressive' });
    old.exec(`
      INSERT INTO sizing_steps (id, step, input, output, reason) VALUES
        (3, 'slice', 86.27, 0.48, 'slice to 13% of the leg'),
        (4, '${legacy}', NULL, NULL, NULL),
        (5, 'slice', 90.75, 0.026, 'slice to 13% of the leg'),
        (6, 'lot_round', NULL, 0.027, 'ETH-PERP lot 0.001'),
        (9, 'slice', 91.7, 0.51, 'slice to 25% of the leg');
    `);
    old.prepare(
      `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, status, filled_size, fees_paid, sizing_trace, trace_steps, created_ts, updated_ts)
       VALUES ('o', 'b1', 'v', 'ETH-PERP', 'buy', 'limit', 'GTC', 2000, 1, 0, 'entry', 'filled', 1, 0, '', '4,3,6,5,9', 1, 1)`,
    ).run();
    // Each step's text as the v20 repository read it: its JSON, or its columns written as JSON.
    const before = [4, 3, 6, 5, 9].map((id) => {
      const r = old.prepare('SELECT step, input, output, reason FROM sizing_steps WHERE id = ?').get(id) as { step: string; input: number | null; output: number | null; reason: string | null };
      return r.reason === null ? r.step : JSON.stringify({ step: r.step, input: r.input, output: r.output, reason: r.reason });
    });
    old.close();

    const upgraded = openDatabase(path);
    expect(new Store(upgraded).orders.get('o')!.sizingTrace.map((t) => JSON.stringify(t))).toEqual(before);
    expect(upgraded.prepare('SELECT id, step, reason FROM sizing_kinds ORDER BY id').all()).toEqual([
      { id: 1, step: 'slice', reason: 'slice to 13% of the leg' },
      { id: 2, step: 'lot_round', reason: 'ETH-PERP lot 0.001' },
      { id: 3, step: 'slice', reason: 'slice to 25% of the leg' },
    ]);
    expect(upgraded.prepare('SELECT id, kind, input, output, json FROM sizing_steps ORDER BY id').all()).toEqual([
      { id: 3, kind: 1, input: 86.27, output: 0.48, json: null },
      { id: 4, kind: null, input: null, output: null, json: legacy },
      { id: 5, kind: 1, input: 90.75, output: 0.026, json: null },
      { id: 6, kind: 2, input: null, output: 0.027, json: null },
      { id: 9, kind: 3, input: 91.7, output: 0.51, json: null },
    ]);
    expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE tbl_name IN ('sizing_steps', 'sizing_kinds') AND type = 'index'").all()).toEqual([]);
    // A new step of a stored kind names it: no second kind row.
    const store = new Store(upgraded);
    store.orders.insert({
      clientOrderId: 'n', botId: 'b1', venue: 'v', symbol: 'ETH-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: 2000, size: 1, reduceOnly: false,
      purpose: 'entry', pairId: null, status: 'pending_submit', venueOrderId: null, filledSize: 0, avgFillPrice: null, feesPaid: 0, rejectReason: null,
      sizingTrace: [{ step: 'slice', input: 1, output: 2, reason: 'slice to 25% of the leg' }], createdTs: 2, updatedTs: 2,
    });
    expect(upgraded.prepare('SELECT id, kind FROM sizing_steps WHERE id > 9').all()).toEqual([{ id: 10, kind: 3 }]);
    store.close();
  });

  it('applies only the new migration when the build adds one, and only once', () => {
    openDatabase(path).close();

    const upgraded = openDatabase(path, [...MIGRATIONS, V2]);
    upgraded.prepare("INSERT INTO notes (body) VALUES ('kept')").run();
    upgraded.close();
    const again = openDatabase(path, [...MIGRATIONS, V2]);

    expect(version(again)).toBe(NEXT);
    expect(again.prepare('SELECT body FROM notes').all()).toEqual([{ body: 'kept' }]);
    again.close();
  });

  it('refuses a database whose schema is newer than this build with E_STORE_MIGRATION', () => {
    openDatabase(path, [...MIGRATIONS, V2]).close();

    const err = thrownBy(() => Store.open(path));

    expect(err).toBeInstanceOf(DnbotError);
    expect((err as DnbotError).code).toBe('E_STORE_MIGRATION');
  });

  it('refuses a recorded version far ahead too, leaving the file untouched', () => {
    const db = openDatabase(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_ts) VALUES (99, 'future', 0)").run();
    db.close();

    const err = thrownBy(() => openDatabase(path));
    const reread = openDatabase(path, [...MIGRATIONS, { ...V2, version: 99 }]);

    expect((err as DnbotError).code).toBe('E_STORE_MIGRATION');
    expect(version(reread)).toBe(99);
    reread.close();
  });

  it('rolls a failing migration back entirely: no partial schema, version not recorded', () => {
    openDatabase(path).close();
    const broken: Migration = { version: NEXT, name: 'broken', sql: 'CREATE TABLE half (a); INSERT INTO missing VALUES (1);' };

    const err = thrownBy(() => openDatabase(path, [...MIGRATIONS, broken]));
    const db = openDatabase(path);

    expect(err).not.toBeNull();
    expect(version(db)).toBe(NEXT - 1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('creates a new file with 2 KB pages, from the template or without one; a file with other pages keeps them', () => {
    const pageSize = (db: Db): number => db.pragma('page_size', { simple: true }) as number;
    const templated = openDatabase(path, MIGRATIONS, buildSchemaSnapshot(MIGRATIONS, migrate));
    const stepwise = openDatabase(join(dir, 'stepwise.sqlite'), [...MIGRATIONS]);
    expect([pageSize(templated), pageSize(stepwise)]).toEqual([PAGE_SIZE, PAGE_SIZE]);
    expect(PAGE_SIZE).toBe(2048);
    templated.close();
    stepwise.close();
    const older = join(dir, 'older.sqlite');
    const made = new Database(older);
    made.pragma('page_size = 4096');
    made.exec('CREATE TABLE kept (x INTEGER)');
    made.close();
    const reopened = openDatabase(older);
    expect(pageSize(reopened)).toBe(4096);
    reopened.close();
  });

  it('opens files in WAL mode with foreign keys enforced', () => {
    const db = openDatabase(path);

    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('gives a private database for :memory:', () => {
    const a = Store.open(':memory:');
    const b = Store.open(':memory:');

    a.sequences.next('x');
    a.sequences.next('x');

    expect(b.sequences.next('x')).toBe(1);
    a.close();
    b.close();
  });
});
