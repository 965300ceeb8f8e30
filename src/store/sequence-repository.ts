import type { Db } from './database.js';

/** Monotonic counters that survive restarts (client order ids, pair ids). */
export class SequenceRepository {
  private readonly nextStmt;

  constructor(db: Db) {
    this.nextStmt = db.prepare(
      `INSERT INTO id_sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    );
  }

  /** Next value of the named counter, starting at 1. Never repeats, even after a crash. */
  next(name: string): number {
    return (this.nextStmt.get(name) as { value: number }).value;
  }
}
