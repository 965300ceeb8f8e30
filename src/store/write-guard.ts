import type Database from 'better-sqlite3';
import type { Db } from './database.js';

/** The statement methods that execute it. */
const EXECUTE = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Calls `beforeWrite` right before anything that may write runs on this connection: a prepared
 * statement SQLite does not know to be read-only, `exec`, and a `transaction` function. Installed
 * on the connection itself, so statements prepared after this by anyone (repositories, reports,
 * the status API) are covered; statements prepared before are not (the write batch's own BEGIN,
 * COMMIT and savepoints). `pragma` is not guarded: settings, not rows (nothing writes rows through it).
 *
 * It lets a write batch open a transaction's savepoint only once the transaction writes (see
 * WriteBatch.run): most transactions of a simulated or replayed run only touch rows kept in memory
 * until the batch commits.
 */
export function guardWrites(db: Db, beforeWrite: () => void): void {
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  const transaction = db.transaction.bind(db);
  db.prepare = ((source: string) => {
    const stmt = prepare(source);
    if (!stmt.readonly) guardStatement(stmt, beforeWrite);
    return stmt;
  }) as Db['prepare'];
  db.exec = (source: string): Db => {
    beforeWrite();
    return exec(source);
  };
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const inner = transaction(fn);
    const variant = (run: (...args: unknown[]) => unknown) => (...args: unknown[]): unknown => {
      beforeWrite();
      return run(...args);
    };
    const guarded = variant(inner);
    return Object.assign(guarded, { default: guarded, deferred: variant(inner.deferred), immediate: variant(inner.immediate), exclusive: variant(inner.exclusive) });
  }) as unknown as Db['transaction'];
}

function guardStatement(stmt: Database.Statement, beforeWrite: () => void): void {
  const target = stmt as unknown as Record<(typeof EXECUTE)[number], (...args: unknown[]) => unknown>;
  for (const name of EXECUTE) {
    const execute = target[name].bind(stmt);
    target[name] = (...args: unknown[]): unknown => {
      beforeWrite();
      return execute(...args);
    };
  }
}
