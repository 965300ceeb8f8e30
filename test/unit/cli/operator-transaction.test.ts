import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operatorTransaction } from '../../../src/cli/operator-transaction.js';
import { ErrorCodes } from '../../../src/core/errors.js';
import { Store } from '../../../src/store/store.js';
import { waitingSignalPath } from '../../../src/store/write-turn.js';

let dir = '';
let path = '';
let store: Store;
/** The running bot's connection, holding the write lock while a test says so. */
let run: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnbot-operator-'));
  path = join(dir, 'dnbot.db');
  store = Store.open(path);
  run = new Database(path);
});
afterEach(() => {
  if (run.inTransaction) run.exec('ROLLBACK');
  run.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const events = (): number => (run.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
const record = (): void => store.events.record(0, 'b', 'halt', {});

/** Time that moves only between two tries; `onPause` plays the run meanwhile. */
function fakeTime(onPause: (n: number) => void = () => undefined): { now: () => number; pause: (ms: number) => void; pauses: () => number } {
  let t = 0;
  let n = 0;
  return {
    now: () => t,
    pause: (ms) => {
      t += ms;
      onPause(++n);
    },
    pauses: () => n,
  };
}

describe('operatorTransaction', () => {
  it('writes at once when the lock is free, leaving no signal', () => {
    const time = fakeTime();
    operatorTransaction(store, record, time);
    expect(events()).toBe(1);
    expect(time.pauses()).toBe(0);
    expect(existsSync(waitingSignalPath(path))).toBe(false);
  });

  it('while a run holds the lock it signals, tries again, and writes once the run gives way; the signal is then gone', () => {
    run.exec('BEGIN IMMEDIATE');
    const seen: boolean[] = [];
    const time = fakeTime((n) => {
      seen.push(existsSync(waitingSignalPath(path)));
      if (n === 2) rmSync(waitingSignalPath(path)); // another command, through, removed it
      if (n === 4) run.exec('COMMIT'); // the run's batch boundary
    });
    operatorTransaction(store, record, time);
    expect(events()).toBe(1);
    expect(seen).toEqual([true, true, true, true]);
    expect(existsSync(waitingSignalPath(path))).toBe(false);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('waits without its signal when the signal cannot be written, instead of failing with a file error', () => {
    // A link into a directory that does not exist: the signal reads as absent and cannot be written.
    symlinkSync(join(dir, 'missing', 'signal'), waitingSignalPath(path));
    run.exec('BEGIN IMMEDIATE');
    const time = fakeTime((n) => {
      if (n === 3) run.exec('COMMIT');
    });
    operatorTransaction(store, record, time);
    expect(events()).toBe(1);
    expect(time.pauses()).toBe(3);
  });

  it('gives up after its timeout with E_STORE_BUSY, having written nothing and removed its signal', () => {
    run.exec('BEGIN IMMEDIATE');
    let ran = false;
    const time = fakeTime();
    let code: unknown;
    try {
      operatorTransaction(store, () => (ran = true), { ...time, timeoutMs: 50 });
    } catch (err) {
      code = (err as { code?: unknown }).code;
    }
    expect(code).toBe(ErrorCodes.STORE_BUSY);
    expect(ran).toBe(false);
    run.exec('COMMIT');
    expect(events()).toBe(0);
    expect(existsSync(waitingSignalPath(path))).toBe(false);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.inTransaction).toBe(false);
  });

  it('a write that throws is rolled back whole and the error goes on', () => {
    expect(() =>
      operatorTransaction(store, () => {
        record();
        throw new Error('boom');
      }, fakeTime()),
    ).toThrow('boom');
    expect(events()).toBe(0);
    expect(store.db.inTransaction).toBe(false);
  });
});
