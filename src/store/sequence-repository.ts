import type { Db } from './database.js';

/** Monotonic counters that survive restarts (client order ids, pair ids). */
export class SequenceRepository {
  private readonly nextStmt;
  private readonly currentStmt;
  private readonly onceStmt;

  constructor(db: Db) {
    this.currentStmt = db.prepare('SELECT value FROM id_sequences WHERE name = ?');
    this.onceStmt = db.prepare('INSERT INTO id_sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
    this.nextStmt = db.prepare(
      `INSERT INTO id_sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    );
  }

  /** Next value of the named counter, starting at 1. Never repeats, even after a crash. */
  next(name: string): number {
    return (this.nextStmt.get(name) as { value: number }).value;
  }

  /**
   * A value fixed once for this database: the first call stores `initial()`, every later call (in
   * this process or another) reads it back. Never advanced by `next`.
   */
  once(name: string, initial: () => number): number {
    if (this.currentStmt.get(name) === undefined) this.onceStmt.run(name, initial());
    return this.current(name);
  }

  /** Current value of the counter (0 before the first `next`). */
  current(name: string): number {
    return (this.currentStmt.get(name) as { value: number } | undefined)?.value ?? 0;
  }
}
