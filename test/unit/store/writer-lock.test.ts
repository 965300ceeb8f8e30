import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDnbotError } from '../../../src/core/errors.js';
import { holderAliveOnThisHost, processStartOf, WriterLock, type LockHolder } from '../../../src/store/writer-lock.js';
import { Store } from '../../../src/store/store.js';

const T = Date.UTC(2026, 0, 2, 3, 4, 5);
const A = { pid: 4242, host: 'box-a', processStart: '100' };
const B = { pid: 5151, host: 'box-a', processStart: '200' };

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

describe('WriterLock', () => {
  it('refuses a second writer while the first runs, naming its pid, host and start time', () => {
    const store = Store.open(':memory:');
    new WriterLock({ db: store.db, path: 'x.db', self: A, wallNow: T, alive: () => true }).acquire();
    const err = refusal(() => new WriterLock({ db: store.db, path: 'x.db', self: B, wallNow: T + 1, alive: () => true }).acquire());
    expect(isDnbotError(err) && err.code).toBe(ErrorCodes.STORE_LOCKED);
    expect(String(err)).toContain('pid 4242 on box-a, started 2026-01-02T03:04:05.000Z');
    expect(String(err)).toContain('x.db');
    store.close();
  });

  it('takes over a lock whose holder no longer runs, and says from whom', () => {
    const store = Store.open(':memory:');
    new WriterLock({ db: store.db, path: 'x.db', self: A, wallNow: T, alive: () => true }).acquire();
    const seen: LockHolder[] = [];
    const r = new WriterLock({ db: store.db, path: 'x.db', self: B, wallNow: T + 1, alive: (h) => (seen.push(h), false) }).acquire();
    expect(r.takenOverFrom).toEqual({ ...A, startedWall: T });
    expect(seen).toEqual([{ ...A, startedWall: T }]);
    expect(new WriterLock({ db: store.db, path: 'x.db', wallNow: T }).holder()).toEqual({ ...B, startedWall: T + 1 });
    store.close();
  });

  it('release frees the database only for its own holder', () => {
    const store = Store.open(':memory:');
    const a = new WriterLock({ db: store.db, path: 'x.db', self: A, wallNow: T, alive: () => false });
    a.acquire();
    // B took it over (A was thought dead): A's late release must not free B's lock.
    new WriterLock({ db: store.db, path: 'x.db', self: B, wallNow: T, alive: () => false }).acquire();
    a.release();
    expect(new WriterLock({ db: store.db, path: 'x.db', wallNow: T }).holder()?.pid).toBe(B.pid);
    store.close();
  });

  it('Store.close gives the lock back', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dnbot-lock-')), 'lock.db');
    const first = Store.open(dir);
    first.acquireWriter(T);
    first.close();
    const second = Store.open(dir);
    expect(second.acquireWriter(T).takenOverFrom).toBeNull();
    second.close();
  });
});

describe('holderAliveOnThisHost', () => {
  const me = { pid: process.pid, host: hostname(), processStart: processStartOf(process.pid), startedWall: T };

  it('is true for a running process', () => {
    expect(holderAliveOnThisHost(me)).toBe(true);
  });

  it('is false for a process that exited', () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(holderAliveOnThisHost({ ...me, pid: child.pid!, processStart: null })).toBe(false);
  });

  it.skipIf(me.processStart === null)('is false for a pid reused by another process (its start time differs)', () => {
    expect(holderAliveOnThisHost({ ...me, processStart: `${me.processStart}9` })).toBe(false);
  });

  it('counts a holder on another host as alive (it cannot be checked from here)', () => {
    expect(holderAliveOnThisHost({ ...me, pid: 1, host: `${hostname()}-elsewhere` })).toBe(true);
  });
});
