import type { Db } from './database.js';

/** Monotonic counters that survive restarts (client order ids, pair ids). */
export class SequenceRepository {
  private readonly nextStmt;
  private readonly currentStmt;

  constructor(db: Db) {
    this.currentStmt = db.prepare('SELECT value FROM id_sequences WHERE name = ?');
    this.nextStmt = db.prepare(
      `INSERT INTO id_sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    );
  }

  /** Next value of the named counter, starting at 1. Never repeats, even after a crash. */
  next(name: string): number {
    return (this.nextStmt.get(name) as { value: number }).value;
  }

  /** Current value of the counter (0 before the first `next`). */
  current(name: string): number {
    return (this.currentStmt.get(name) as { value: number } | undefined)?.value ?? 0;
  }
}
