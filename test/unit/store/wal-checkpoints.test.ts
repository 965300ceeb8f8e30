import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../src/store/schema-template.js';
import { WalCheckpoints } from '../../../src/store/wal-checkpoints.js';
import { Store } from '../../../src/store/store.js';

let dir = '';
let path = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-wal-'));
  path = join(dir, 'dnbot.db');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A store's page (a new file's); each event below is about a page or more of it. */
const PAGE = PAGE_SIZE;
const size = (p: string): number => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};

/** 1,500 commits of a page or more each: past SQLite's automatic checkpoint (1,000 pages). */
function bookkeeping(store: Store, n = 1_500): void {
  const blob = 'x'.repeat(3_000);
  for (let i = 0; i < n; i++) store.transaction(() => store.events.record(i, 'b', 'bookkeeping', { blob }));
}

describe('WalCheckpoints (live runs)', () => {
  it('without it, a commit past 1,000 pages checkpoints inline (what a live run did)', () => {
    const store = Store.open(path);
    const before = size(path);
    bookkeeping(store);
    expect(size(path)).toBeGreaterThan(before + 500 * PAGE);
    store.close();
  });

  it('live: commits never checkpoint; the tick does, between commits, then a clean stop truncates the WAL', () => {
    const store = Store.open(path);
    store.checkpoints.startLive(0);
    const before = size(path);
    bookkeeping(store);
    // Every page is still in the WAL only: no commit copied anything into the database file.
    expect(size(path)).toBe(before);
    expect(size(`${path}-wal`)).toBeGreaterThan(1_500 * PAGE);
    // Not yet due.
    expect(store.checkpoints.tick(4_999, false)).toBeNull();
    const run = store.checkpoints.tick(5_000, false);
    expect(run).toMatchObject({ why: 'interval', busy: false });
    expect(run!.logFrames).toBeGreaterThan(1_500);
    expect(run!.checkpointedFrames).toBe(run!.logFrames);
    expect(size(path)).toBeGreaterThan(before + 1_500 * PAGE);
    // The next commit starts the WAL over and cuts the file back.
    bookkeeping(store, 1);
    expect(size(`${path}-wal`)).toBeLessThanOrEqual(4 * 1024 * 1024);
    store.checkpoints.stop();
    expect(size(`${path}-wal`)).toBe(0);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    store.close();
  });

  it('waits while order requests are in flight, unless the WAL is past its guard', () => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x TEXT)');
    const cp = new WalCheckpoints(db, { intervalMs: 5_000, guardBytes: 100 * PAGE });
    cp.startLive(0);
    const put = db.prepare('INSERT INTO t VALUES (?)');
    put.run('x'.repeat(3_000));
    expect(cp.tick(10_000, true)).toBeNull(); // due, but a request is in flight; WAL under the guard
    for (let i = 0; i < 200; i++) put.run('x'.repeat(3_000));
    expect(cp.tick(10_500, true)).toBeNull(); // the size is read at most once a wall second
    expect(cp.tick(11_000, true)).toMatchObject({ why: 'guard' });
    // Never inside a transaction.
    db.exec('BEGIN');
    put.run('y');
    expect(cp.tick(60_000, false)).toBeNull();
    db.exec('COMMIT');
    expect(cp.tick(60_000, false)).toMatchObject({ why: 'interval' });
    cp.stop();
    db.close();
  });

  it('an order killed with SIGKILL as its request leaves, before any checkpoint: its write-ahead row is there on the next open', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test/support/live-order-kill.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, err).toBe('SIGKILL');
    const id = out.trim();
    expect(id).not.toBe('');
    // The process died with its rows in the WAL only (no checkpoint ran).
    expect(size(`${path}-wal`)).toBeGreaterThan(1_500 * PAGE);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(id)).toEqual({ status: 'pending_submit' });
    expect((db.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'bookkeeping'`).get() as { n: number }).n).toBe(1_500);
    db.close();
  }, 30_000);
});
