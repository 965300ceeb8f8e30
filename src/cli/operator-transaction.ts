import { randomUUID } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { LiveClock } from '../core/clock.js';
import { DnbotError, ErrorCodes } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { OPERATOR_WAIT_MS, waitingSignalPath } from '../store/write-turn.js';

/** How often a waiting command tries the write lock again. */
const RETRY_MS = 1;

export interface OperatorTransactionOptions {
  /** Give up after this long (default {@link OPERATOR_WAIT_MS}). */
  readonly timeoutMs?: number;
  /** Wall time in ms (default: the live clock). */
  readonly now?: () => number;
  /** Blocks for `ms` between two tries (default: a synchronous wait). */
  readonly pause?: (ms: number) => void;
}

const cell = new Int32Array(new SharedArrayBuffer(4));
/** A synchronous wait: the commands are synchronous, and nothing else runs in their process meanwhile. */
const pauseSync = (ms: number): void => {
  Atomics.wait(cell, 0, 0, ms);
};

const isBusy = (err: unknown): boolean => String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');

/**
 * Runs an operator's write (dnbot halt, resume, breaker reset, phase approve, rebalance) as one
 * immediate transaction on a database a run may be writing to at full speed. When the write lock
 * is taken, the command leaves its signal beside the database (`WriteTurns`, src/store/write-turn.ts): the run
 * leaves the lock free at its next batch boundary (within ~100 ms of wall time), and the command,
 * trying every millisecond, gets it. The signal is removed as soon as the transaction is through.
 * @throws E_STORE_BUSY (nothing written) when the lock stays taken for the whole timeout.
 */
export function operatorTransaction<T>(store: Store, fn: () => T, o: OperatorTransactionOptions = {}): T {
  const db = store.db;
  if (db.memory || db.inTransaction) return store.transaction(fn);
  const now = o.now ?? (() => new LiveClock().now());
  const pause = o.pause ?? pauseSync;
  const timeoutMs = o.timeoutMs ?? OPERATOR_WAIT_MS;
  const signal = waitingSignalPath(db.name);
  let signalled = false;
  const withdraw = (): void => {
    if (signalled) rmSync(signal, { force: true });
    signalled = false;
  };
  // A command ended by process.exit while waiting takes its signal with it (a killed one does not:
  // the run then ignores it after its bound).
  process.once('exit', withdraw);
  try {
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      const deadline = now() + timeoutMs;
      for (;;) {
        try {
          db.exec('BEGIN IMMEDIATE');
          break;
        } catch (err) {
          if (!isBusy(err)) throw err;
          if (now() >= deadline) {
            throw new DnbotError(
              ErrorCodes.STORE_BUSY,
              `${db.name}: the database stayed locked for ${timeoutMs / 1000} s (another dnbot process is writing to it); nothing changed, run the command again`,
              { path: db.name, timeoutMs },
            );
          }
        }
        // Written again whenever it is gone: another command may have removed it when done, or the
        // run may have dismissed it as stale.
        try {
          if (!statSync(signal, { throwIfNoEntry: false })) writeFileSync(signal, randomUUID());
          signalled = true;
        } catch {
          // A directory this process cannot write to: wait without the signal, as before it existed.
        }
        pause(RETRY_MS);
      }
    } finally {
      db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    try {
      const result = store.transaction(fn);
      db.exec('COMMIT');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    withdraw();
    process.removeListener('exit', withdraw);
  }
}
