import type { Db } from './database.js';

/**
 * Monotonic counters that survive restarts (client order ids, pair ids, the operator's control
 * version).
 *
 * `current` is read on every control tick of a run, so its values are kept in memory: set by this
 * connection's own writes, forgotten when a transaction rolls back (`forget`), and re-read when
 * another process may have committed (SQLite's `data_version` moved). While a batch holds the
 * connection on one snapshot (`snapshot()` unchanged), nobody else's commit is visible, so a value
 * is returned without asking SQLite at all.
 *
 * While a batch is open (`deferring`), `next` counts in memory and the counters it moved are
 * written before the batch commits ({@link flush}): in the same commit as every row that uses
 * their values, so a crash loses both or neither. The batch holds the write lock, so no other
 * process can move them meanwhile. A value handed out inside a transaction that rolls back stays
 * used (the next one is a new value): a gap, never a repeat.
 */
export class SequenceRepository {
  private readonly nextStmt;
  private readonly currentStmt;
  private readonly onceStmt;
  private readonly dataVersionStmt;
  private readonly known = new Map<string, number>();
  /** `data_version` when `known` was last checked against other processes' commits. */
  private dataVersion = -1;
  /** The batch snapshot `known` was checked in; null: none (check on every read). */
  private checkedIn: number | null = null;
  /** Counters moved by `next` while a batch is open, not yet written (their values are in `known` too). */
  private readonly unwritten = new Map<string, number>();
  private readonly writeStmt;

  /**
   * `snapshot`: the open batch's snapshot number, or null (see WriteBatch.snapshot); `deferring`:
   * true while a write batch is open (see WriteBatch.deferring).
   */
  constructor(
    db: Db,
    private readonly snapshot: () => number | null = () => null,
    private readonly deferring: () => boolean = () => false,
  ) {
    this.currentStmt = db.prepare('SELECT value FROM id_sequences WHERE name = ?').pluck();
    this.onceStmt = db.prepare('INSERT INTO id_sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
    this.nextStmt = db.prepare(
      `INSERT INTO id_sequences (name, value) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ).pluck();
    this.dataVersionStmt = db.prepare('PRAGMA data_version').pluck();
    this.writeStmt = db.prepare('INSERT INTO id_sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  }

  /** Next value of the named counter, starting at 1. Never repeats, even after a crash. */
  next(name: string): number {
    if (this.deferring()) {
      const value = this.current(name) + 1;
      this.known.set(name, value);
      this.unwritten.set(name, value);
      return value;
    }
    const value = this.nextStmt.get(name) as number;
    this.known.set(name, value);
    return value;
  }

  /** Writes the counters `next` moved while a batch is open (before each of its commits). */
  flush(): void {
    if (this.unwritten.size === 0) return;
    for (const [name, value] of this.unwritten) this.writeStmt.run(name, value);
    this.unwritten.clear();
  }

  /**
   * A value fixed once for this database: the first call stores `initial()`, every later call (in
   * this process or another) reads it back. Never advanced by `next`.
   */
  once(name: string, initial: () => number): number {
    this.flush();
    this.known.delete(name);
    if (this.currentStmt.get(name) === undefined) this.onceStmt.run(name, initial());
    return this.current(name);
  }

  /** Current value of the counter (0 before the first `next`). */
  current(name: string): number {
    this.checkOthers();
    const known = this.known.get(name);
    if (known !== undefined) return known;
    const value = (this.currentStmt.get(name) as number | undefined) ?? 0;
    this.known.set(name, value);
    return value;
  }

  /**
   * Drops the values kept in memory (a transaction rolled back; they may be gone), except the ones
   * not written yet: nothing rolled back holds them, and the rows of the batch may use them.
   */
  forget(): void {
    this.known.clear();
    for (const [name, value] of this.unwritten) this.known.set(name, value);
  }

  private checkOthers(): void {
    const snapshot = this.snapshot();
    if (snapshot !== null && snapshot === this.checkedIn) return;
    this.checkedIn = snapshot;
    const version = this.dataVersionStmt.get() as number;
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.forget();
    }
  }
}
