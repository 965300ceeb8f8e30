import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { Store } from '../../../src/store/store.js';

let dir = '';
let path = '';
let store: Store;
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-batch-'));
  path = join(dir, 'dnbot.db');
  store = Store.open(path);
  reader = new Database(path, { readonly: true });
});

afterEach(() => {
  reader.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What another process sees: the journal rows committed so far. */
function committedEvents(): number {
  return (reader.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
}

function record(kind: string): void {
  store.transaction(() => store.events.record(0, 'b', kind, {}));
}

describe('WriteBatch', () => {
  it("another process's write while a batch has only read waits its turn; the batch's next write never fails", () => {
    store.batching.start(0);
    store.batching.begin();
    store.events.recent(1); // the batch has read, not written
    // An operator command from another process (dnbot halt, dnbot rebalance), not willing to wait.
    const other = new Database(join(dir, 'dnbot.db'));
    other.pragma('busy_timeout = 0');
    try {
      expect(() => other.prepare("INSERT INTO events (ts, bot_id, kind, data) VALUES (0, 'b', 'operator', '{}')").run()).toThrow(/busy|locked/i);
    } finally {
      other.close();
    }
    // With a deferred BEGIN the other write went in, and this one failed with SQLITE_BUSY_SNAPSHOT.
    expect(() => record('after')).not.toThrow();
    store.batching.end(0);
    expect(committedEvents()).toBe(1);
  });

  it('commits every transaction at once when the batch ends', () => {
    store.batching.start(0);
    store.batching.begin();
    record('a');
    record('b');
    expect(committedEvents()).toBe(0);
    store.batching.end(0);
    expect(committedEvents()).toBe(2);
  });

  it('makes the writes so far durable on commit() and keeps batching', () => {
    store.batching.start(0);
    store.batching.begin();
    record('order-row');
    store.commit();
    expect(committedEvents()).toBe(1);
    record('bookkeeping');
    expect(committedEvents()).toBe(1);
    store.batching.end(0);
    expect(committedEvents()).toBe(2);
  });

  it('a commit() asked for inside a transaction happens as soon as the outermost one ends, before anything awaits', () => {
    store.batching.start(0);
    store.batching.begin();
    record('before');
    store.transaction(() => {
      store.transaction(() => {
        store.events.record(0, 'b', 'write-ahead', {});
        store.commit();
      });
      // Still inside the outer transaction: a savepoint cannot be made durable alone.
      expect(committedEvents()).toBe(0);
    });
    // The write-ahead row (and what came before it) is durable before any request can leave.
    expect(committedEvents()).toBe(2);
    record('bookkeeping');
    expect(committedEvents()).toBe(2);
    store.batching.end(0);
    expect(committedEvents()).toBe(3);
  });

  it('rolls back only the failed transaction inside a batch', () => {
    store.batching.start(0);
    store.batching.begin();
    record('kept');
    expect(() =>
      store.transaction(() => {
        store.events.record(0, 'b', 'lost', {});
        throw new Error('boom');
      }),
    ).toThrow('boom');
    store.batching.stop();
    expect(reader.prepare('SELECT kind FROM events').all()).toEqual([{ kind: 'kept' }]);
  });

  it('a transaction in a batch that only touches rows kept in memory takes no savepoint; one that writes does', () => {
    const statements: string[] = [];
    const db = new Database(':memory:', { verbose: (sql) => statements.push(String(sql)) });
    migrate(db, MIGRATIONS);
    const s = new Store(db);
    s.batching.start(0);
    s.batching.begin();
    statements.length = 0;
    // The minute's close is kept in memory until the commit (as the runtime records each bar).
    s.transaction(() => s.bars.record('v', 'ETH-PERP', 60_000, 2000));
    const savepoints = (): string[] => statements.filter((q) => /SAVEPOINT|RELEASE/.test(q));
    expect(savepoints()).toEqual([]);
    s.transaction(() => {
      s.bars.record('v', 'ETH-PERP', 120_000, 2001);
      s.events.record(0, 'b', 'written', {});
    });
    expect(savepoints()).toEqual(['SAVEPOINT batch_run', 'RELEASE batch_run']);
    s.batching.stop();
    s.close();
  });

  it('a transaction that writes after memory-only work, and fails, loses exactly its own rows', () => {
    store.batching.start(0);
    store.batching.begin();
    record('kept');
    const external = store.db.prepare("INSERT INTO events (ts, bot_id, kind, data) VALUES (0, 'b', 'external', '{}')");
    const ownTransaction = store.db.transaction(() => store.events.record(0, 'b', 'own-transaction', {}));
    expect(() =>
      store.transaction(() => {
        store.bars.record('v', 'ETH-PERP', 60_000, 2000);
        ownTransaction();
        external.run();
        store.events.record(0, 'b', 'lost', {});
        throw new Error('boom');
      }),
    ).toThrow('boom');
    // A nested transaction that fails is undone alone; its outer one goes on and commits.
    store.transaction(() => {
      expect(() =>
        store.transaction(() => {
          store.events.record(0, 'b', 'nested-lost', {});
          throw new Error('inner');
        }),
      ).toThrow('inner');
      store.events.record(0, 'b', 'outer-kept', {});
    });
    // A nested transaction first, then the outer one fails: both undone.
    expect(() =>
      store.transaction(() => {
        store.transaction(() => store.events.record(0, 'b', 'nested-then-outer-fails', {}));
        throw new Error('outer');
      }),
    ).toThrow('outer');
    store.batching.stop();
    expect(reader.prepare('SELECT kind FROM events ORDER BY id').all()).toEqual([{ kind: 'kept' }, { kind: 'outer-kept' }]);
  });

  it('commits each transaction on its own when batching is off (live runs, CLI)', () => {
    store.batching.begin();
    record('a');
    expect(committedEvents()).toBe(1);
  });

  it("checkpoints once a wall second between batches, never at the loop's last end() nor at stop: the close does", () => {
    const checkpoints: unknown[] = [];
    const pragma = store.db.pragma.bind(store.db);
    store.db.pragma = ((source: string, options?: Database.PragmaOptions) => {
      if (source.startsWith('wal_checkpoint')) checkpoints.push(source);
      return pragma(source, options);
    }) as typeof store.db.pragma;
    store.batching.start(0);
    store.batching.begin();
    record('a');
    store.batching.end(500);
    expect(checkpoints).toHaveLength(0);
    store.batching.begin();
    record('b');
    store.batching.end(1_000);
    expect(checkpoints).toHaveLength(1);
    store.batching.begin();
    record('c');
    store.batching.end();
    expect(checkpoints).toHaveLength(1);
    record('written on the way out');
    store.batching.stop();
    expect(checkpoints).toEqual(['wal_checkpoint(PASSIVE)']);
    expect(committedEvents()).toBe(4);
    // The last connection's close copies the WAL into the database file and removes it.
    reader.close();
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const after = new Database(path, { readonly: true });
    expect((after.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(4);
    after.close();
    store = Store.open(path);
    reader = new Database(path, { readonly: true });
  });

  it('turns the automatic checkpoint off while batching and back on after', () => {
    store.batching.start(0);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    store.batching.stop();
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
