import type Database from 'better-sqlite3';
import type { Db } from './database.js';

/** Wall time between two WAL checkpoints while a run batches its writes. */
const CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Groups the many small transactions of a run into one SQLite transaction, committed at points
 * the runtime chooses (a consistent moment between two market events), so a replayed month costs
 * a few thousand commits instead of hundreds of thousands. Each `run` inside an open batch is a
 * savepoint: still all-or-nothing, durable when the batch commits.
 *
 * While batching, SQLite's automatic checkpoint (which runs inside whichever commit crosses the
 * WAL threshold) is off; `end` runs a PASSIVE checkpoint at most once per wall second instead.
 * Without `start`, nothing is batched: the CLI keeps SQLite's automatic checkpoint, and live runs
 * checkpoint between events instead (`WalCheckpoints`).
 */
export class WriteBatch {
  private readonly runner: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly beginStmt: Database.Statement;
  private readonly commitStmt: Database.Statement;
  private readonly savepointStmt: Database.Statement;
  private readonly releaseStmt: Database.Statement;
  private readonly rollbackToStmt: Database.Statement;
  private depth = 0;
  /** Inside an outermost `run` of an open batch whose savepoint is not taken yet (see {@link beforeWrite}). */
  private savepointOwed = false;
  private savepointTaken = false;
  private open = false;
  private commitWanted = false;
  private started = false;
  private lastCheckpointWall = 0;
  private readonly rollbackListeners: (() => void)[] = [];
  private readonly flushers: (() => void)[] = [];
  private snapshots = 0;

  constructor(private readonly db: Db) {
    // One wrapper for every call: better-sqlite3 builds a new one per `db.transaction(fn)`.
    this.runner = db.transaction((fn: () => unknown) => fn());
    this.beginStmt = db.prepare('BEGIN IMMEDIATE');
    this.commitStmt = db.prepare('COMMIT');
    this.savepointStmt = db.prepare('SAVEPOINT batch_run');
    this.releaseStmt = db.prepare('RELEASE batch_run');
    this.rollbackToStmt = db.prepare('ROLLBACK TO batch_run');
  }

  /**
   * Runs `fn` atomically (a savepoint inside an open batch). The outermost one in an open batch
   * takes its savepoint only when `fn` first writes to SQLite ({@link beforeWrite}, called by the
   * connection's write guard): a transaction that only touches rows kept in memory until the
   * commit (a minute's bars, the latest marks) costs no savepoint, and one that writes is rolled
   * back to the same point as before, since nothing was written before its savepoint.
   */
  run<T>(fn: () => T): T {
    if (this.open && this.depth === 0) return this.runInBatch(fn);
    // A nested transaction's savepoint must come after the outer one's.
    this.beforeWrite();
    this.depth++;
    let result: T;
    try {
      result = this.runner(fn) as T;
    } catch (err) {
      // better-sqlite3 rolled the transaction (or savepoint) back: what repositories remember of
      // rows written inside it may name rows that are gone.
      for (const l of this.rollbackListeners) l();
      throw err;
    } finally {
      this.depth--;
    }
    // A commit asked for inside (an order's write-ahead row) happens as soon as the outermost
    // transaction is done: before any await, so before the request it guards can leave.
    if (this.depth === 0 && this.commitWanted) this.commit();
    return result;
  }

  private runInBatch<T>(fn: () => T): T {
    this.depth = 1;
    this.savepointOwed = true;
    this.savepointTaken = false;
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
      if (this.savepointTaken) this.releaseStmt.run();
    } catch (err) {
      if (this.savepointTaken && this.db.inTransaction) {
        this.rollbackToStmt.run();
        this.releaseStmt.run();
      }
      // As in `run`: what repositories remember of rows written inside may be gone.
      for (const l of this.rollbackListeners) l();
      throw err;
    } finally {
      this.depth = 0;
      this.savepointOwed = false;
      this.savepointTaken = false;
    }
    if (this.commitWanted) this.commit();
    return result;
  }

  /**
   * Called before anything may write on this connection (see `guardWrites`): takes the savepoint
   * the running outermost transaction of the batch still owes. Cheap otherwise.
   */
  beforeWrite(): void {
    if (this.savepointOwed && !this.savepointTaken) {
      this.savepointTaken = true;
      this.savepointStmt.run();
    }
  }

  /**
   * Calls `listener` whenever a `run` throws (its writes are rolled back), before the error goes
   * on. Repositories that keep what they wrote in memory forget it here.
   */
  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /**
   * Calls `flush` right before each commit of a batch: a repository that keeps rows in memory
   * while a batch is open ({@link deferring}) writes them then, so every commit holds exactly
   * what writing them at once would have.
   */
  beforeCommit(flush: () => void): void {
    this.flushers.push(flush);
  }

  /** True while a batch is open: rows written now become durable only at its next commit. */
  deferring(): boolean {
    return this.open;
  }

  /** True inside a `run`: a row written now is rolled back with it if it throws. */
  inRun(): boolean {
    return this.depth > 0;
  }

  /**
   * A number that stays the same while an open batch keeps this connection on one snapshot of the
   * file (other processes' commits are invisible until it commits), or null when no batch is open
   * (every statement may see them). A cache of rows other processes may write is valid while this
   * is unchanged and non-null.
   */
  snapshot(): number | null {
    return this.open ? this.snapshots : null;
  }

  /** Turns batching on for this connection (sim and replay runs at full speed). */
  start(wallNow: number): void {
    if (this.started) return;
    this.started = true;
    this.lastCheckpointWall = wallNow;
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /** Opens a batch if batching is on and none is open. Cheap when one is. */
  begin(): void {
    if (!this.started || this.open || this.db.inTransaction) return;
    this.snapshots++;
    this.beginStmt.run();
    this.open = true;
  }

  /**
   * Makes the writes so far durable and keeps the batch open. Inside a `run` it waits for the
   * outermost one to finish (a savepoint cannot be committed on its own), then commits.
   */
  commit(): void {
    if (!this.open) return;
    if (this.depth > 0) {
      this.commitWanted = true;
      return;
    }
    this.commitWanted = false;
    this.snapshots++;
    for (const f of this.flushers) f();
    this.commitStmt.run();
    this.beginStmt.run();
  }

  /**
   * Commits and closes the batch; checkpoints the WAL when a wall second has passed since the last
   * checkpoint. Without `wallNow` (the end of a run's loop) it only commits: the run's writes on
   * the way out follow, and the store's close checkpoints once after them.
   */
  end(wallNow?: number): void {
    if (this.open && this.depth === 0) {
      for (const f of this.flushers) f();
      this.open = false;
      this.commitWanted = false;
      this.commitStmt.run();
    }
    if (!this.started || this.open || wallNow === undefined) return;
    if (wallNow - this.lastCheckpointWall >= CHECKPOINT_INTERVAL_MS) {
      this.lastCheckpointWall = wallNow;
      this.checkpoint();
    }
  }

  /**
   * Commits and gives the WAL back to SQLite's automatic checkpoint, without checkpointing: the
   * store's close, which follows a stop, checkpoints the whole WAL (SQLite does on the last close)
   * and removes it, and a commit that leaves the WAL past 1,000 pages checkpoints before that. A
   * checkpoint here as well cost a second pair of fsyncs per run (0.5 ms CPU, 1-2 ms wall) for
   * nothing: crash safety is the commit's (a committed transaction is in the WAL).
   */
  stop(): void {
    if (!this.started) return;
    this.end();
    if (this.open) return;
    this.started = false;
    this.db.pragma('wal_autocheckpoint = 1000');
  }

  private checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }
}
