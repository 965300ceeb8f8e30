import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import type { RiskSnapshot } from '../../../src/store/risk-snapshot-repository.js';
import { Store } from '../../../src/store/store.js';

// Bars, last marks, the paper account, a bot's last market time and risk snapshots are written
// every market minute or so; while a write batch is open they are kept in memory and written before each commit.
// Every commit must hold exactly the rows writing them at once gives, in the same row order.

const dir = mkdtempSync(join(tmpdir(), 'dnbot-deferred-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2021, 3, 2, 22, 50);
const MIN = 60_000;
const TABLES = ['bar_hours', 'market_marks', 'paper_accounts', 'bots', 'equity_hours', 'risk_snapshots'];
// Tables stored WITHOUT ROWID have no row order but their key's (migration 20).
const ORDER: Record<string, string> = { bar_hours: 'venue, symbol, hour_ts', equity_hours: 'bot_id, hour_ts', market_marks: 'venue, symbol', paper_accounts: 'venue', bots: 'id' };

/** What another process sees: every row of the per-minute tables, in row order. */
function committed(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return TABLES.map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t} ORDER BY ${ORDER[t] ?? 'rowid'}`).all())).join('\n');
  } finally {
    db.close();
  }
}

function openStore(): { store: Store; path: string } {
  const path = join(dir, `s${n++}.db`);
  const store = Store.open(path);
  store.bots.ensure('b1', 'dn-pair', 'replay', T0);
  store.bots.ensure('b2', 'dn-pair', 'replay', T0);
  return { store, path };
}

/** One market minute's bookkeeping, as the runtime writes it (symbols in varying order). */
function minute(store: Store, i: number, order: readonly string[]): void {
  const ts = T0 + i * MIN;
  store.transaction(() => {
    for (const s of order) store.bars.record('replay', s, ts, 100 + i + s.length / 10);
  });
  store.transaction(() => {
    store.bots.setLastMarketTs(i % 3 === 0 ? 'b2' : 'b1', ts);
    for (const s of order) store.snapshots.saveMark('replay', s, ts, 200 + i);
    store.snapshots.savePaperAccount(i % 5 === 0 ? 'other' : 'replay', { collateral: 1_000 + i, fundingPaid: i / 7 }, ts);
    for (const botId of ['b1', 'b2']) store.snapshots.saveEquity({ botId, ts, equity: 1_000 + i / 3, collateral: 1_000 + i, netDelta: i % 7, grossNotional: 50 * i });
    // Now and then the same snapshot again with another value (as at a stop): the later one stays.
    if (i % 4 === 1) store.snapshots.saveEquity({ botId: 'b1', ts, equity: 2_000 + i, collateral: 1, netDelta: 0, grossNotional: 0 });
    // A risk snapshot inside a transaction now and then: written at once, after the ones kept.
    if (i % 6 === 5) store.riskSnapshots.record(risk(ts, i));
  });
  // The portfolio monitor records its snapshots outside any transaction.
  if (i % 3 !== 2) store.riskSnapshots.record(risk(ts + 1, i));
}

function risk(ts: number, i: number): RiskSnapshot {
  return { ts, venue: i % 4 === 0 ? 'other' : 'replay', riskLevel: i % 5 === 0 ? 'warning' : 'normal', action: 'none', healthRatio: i % 7 === 0 ? null : 1 + i / 9, var1d95: i / 3, report: { i, worst: 'crash' } };
}

describe('rows kept in memory while a batch is open', () => {
  it('every commit holds what writing each row at once holds, in the same row order', () => {
    const step = fc.record({ order: fc.constantFrom(['ETH-PERP', 'SOL-PERP'], ['SOL-PERP', 'ETH-PERP'], ['ETH-PERP']), cut: fc.constantFrom('none', 'commit', 'end', 'read') });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 150 }), (steps) => {
        const eager = openStore();
        const batched = openStore();
        try {
          batched.store.batching.start(0);
          batched.store.batching.begin();
          steps.forEach(({ order, cut }, i) => {
            minute(eager.store, i, order);
            minute(batched.store, i, order);
            if (cut === 'read') {
              // A read in the same process sees every write so far.
              expect(batched.store.bars.closes('replay', 'ETH-PERP', 1000)).toEqual(eager.store.bars.closes('replay', 'ETH-PERP', 1000));
              expect(batched.store.snapshots.marks('replay')).toEqual(eager.store.snapshots.marks('replay'));
              expect(batched.store.snapshots.paperAccount('other')).toEqual(eager.store.snapshots.paperAccount('other'));
              expect(batched.store.bots.list()).toEqual(eager.store.bots.list());
              expect(batched.store.snapshots.latestEquity('b1')).toEqual(eager.store.snapshots.latestEquity('b1'));
              expect(batched.store.snapshots.peakEquity('b2')).toEqual(eager.store.snapshots.peakEquity('b2'));
              expect(batched.store.riskSnapshots.latest('replay')).toEqual(eager.store.riskSnapshots.latest('replay'));
              expect(batched.store.riskSnapshots.levels('other')).toEqual(eager.store.riskSnapshots.levels('other'));
            } else if (cut === 'commit') {
              batched.store.commit();
              expect(committed(batched.path)).toBe(committed(eager.path));
            } else if (cut === 'end') {
              batched.store.batching.end(0);
              expect(committed(batched.path)).toBe(committed(eager.path));
              batched.store.batching.begin();
            }
          });
          batched.store.batching.end(0);
          expect(committed(batched.path)).toBe(committed(eager.path));
        } finally {
          eager.store.close();
          batched.store.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('writes each row once per commit, not once a minute', () => {
    const { store } = openStore();
    try {
      const changes = (): number => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      store.batching.start(0);
      store.batching.begin();
      const before = changes();
      for (let i = 0; i < 120; i++) minute(store, i, ['ETH-PERP', 'SOL-PERP']);
      store.batching.end(0);
      // Two symbols over three clock hours: 6 hour rows, 2 marks, 2 paper accounts, 2 bots
      // (every minute written at once: 240 + 240 + 120 + 120); each bot's three hours of equity
      // once (every minute written at once: 2 × 120 + 30); every risk snapshot once (80 + 20).
      expect(changes() - before).toBe(12 + 6 + 100);
    } finally {
      store.close();
    }
  });

  it('equity snapshots wait for the commit and go an hour to a statement; the minute writes nothing to SQLite', () => {
    const path = join(dir, `s${n++}.db`);
    const statements: string[] = [];
    openDatabase(path).close();
    const db = new Database(path, { verbose: (sql) => statements.push(String(sql)) });
    const verbose = new Store(db);
    try {
      verbose.batching.start(0);
      verbose.batching.begin();
      statements.length = 0;
      for (let i = 0; i < 50; i++) {
        verbose.transaction(() => {
          for (const botId of ['b1', 'b2']) verbose.snapshots.saveEquity({ botId, ts: T0 + i * MIN, equity: 1_000 + i, collateral: 1_000, netDelta: 0, grossNotional: 0 });
        });
      }
      // Reads only: an hour's first snapshot looks for the hour stored (a restart's).
      expect(statements.filter((q) => !q.startsWith('SELECT'))).toEqual([]);
      verbose.batching.end(0);
      // 100 snapshots from 22:50 to 23:39: each bot's two hours, one statement each.
      expect(statements.filter((q) => q.startsWith('INSERT INTO equity_hours'))).toHaveLength(4);
      for (const botId of ['b1', 'b2']) expect(verbose.snapshots.equityRange(botId, T0, T0 + 49 * MIN).map((r) => r.equity)).toEqual(Array.from({ length: 50 }, (_, i) => 1_000 + i));
    } finally {
      verbose.close();
    }
  });

  it('an hour of equity rewritten at each commit keeps its row where it is (its rowid): the file does not churn', () => {
    const { store, path } = openStore();
    try {
      store.batching.start(0);
      store.batching.begin();
      const rowids: number[] = [];
      for (let i = 0; i < 3; i++) {
        store.transaction(() => store.snapshots.saveEquity({ botId: 'b1', ts: T0 + 10 * MIN + i * MIN, equity: 1_000 + i, collateral: 1_000, netDelta: 0, grossNotional: 0 }));
        store.batching.commit();
        const db = new Database(path, { readonly: true });
        rowids.push(...(db.prepare('SELECT rowid FROM equity_hours').pluck().all() as number[]));
        db.close();
      }
      expect(rowids).toEqual([1, 1, 1]);
      expect(store.snapshots.equityRange('b1', T0, T0 + 60 * MIN).map((r) => r.equity)).toEqual([1_000, 1_001, 1_002]);
    } finally {
      store.close();
    }
  });

  it('a read inside a transaction that rolls back loses none of the rows kept before it', () => {
    const eager = openStore();
    const batched = openStore();
    try {
      batched.store.batching.start(0);
      batched.store.batching.begin();
      for (let i = 0; i < 3; i++) {
        minute(eager.store, i, ['ETH-PERP', 'SOL-PERP']);
        minute(batched.store, i, ['ETH-PERP', 'SOL-PERP']);
        // The reads write what is kept in memory inside the transaction; the throw takes it back.
        expect(() =>
          batched.store.transaction(() => {
            batched.store.snapshots.marks('replay');
            batched.store.bars.closes('replay', 'ETH-PERP', 10);
            batched.store.bots.list();
            batched.store.snapshots.latestEquity('b1');
            batched.store.riskSnapshots.latest('replay');
            // Written at once after the kept ones, and taken back with them.
            batched.store.riskSnapshots.record(risk(T0, 99));
            throw new Error('rolled back');
          }),
        ).toThrow('rolled back');
      }
      // An hour left inside a rolled-back transaction (the next minute opens a new hour).
      for (let i = 3; i < 12; i++) {
        minute(eager.store, i, ['ETH-PERP']);
        minute(batched.store, i, ['ETH-PERP']);
      }
      expect(() =>
        batched.store.transaction(() => {
          batched.store.bars.record('replay', 'ETH-PERP', T0 + 12 * MIN, 1);
          throw new Error('rolled back');
        }),
      ).toThrow('rolled back');
      minute(eager.store, 12, ['ETH-PERP']);
      minute(batched.store, 12, ['ETH-PERP']);
      batched.store.batching.end(0);
      expect(committed(batched.path)).toBe(committed(eager.path));
    } finally {
      eager.store.close();
      batched.store.close();
    }
  });

  it('writes at once when no batch is open (live runs, CLI)', () => {
    const { store, path } = openStore();
    try {
      minute(store, 0, ['ETH-PERP']);
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT COUNT(*) AS n FROM bar_hours').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM market_marks').get()).toEqual({ n: 1 });
      db.close();
    } finally {
      store.close();
    }
  });
});
