import { statSync } from 'node:fs';
import type { Db } from './database.js';

/** SQLite's default: a commit that leaves the WAL past this many pages checkpoints inline. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1_000;

/** Wall ms between two reads of the WAL file's size while requests are in flight. */
const GUARD_READ_MS = 1_000;

export interface WalCheckpointSettings {
  /** Wall ms between two checkpoints taken while no order request is in flight. */
  readonly intervalMs: number;
  /** A WAL file past this many bytes is checkpointed at the next tick even with requests in flight. */
  readonly guardBytes: number;
  /**
   * Pages at which SQLite's own checkpoint still runs inside a commit: a backstop only, far past
   * `guardBytes`, for a loop that stopped ticking; never reached while the ticks run.
   */
  readonly backstopPages: number;
  /** Bytes the WAL file is cut back to when SQLite restarts it after a full checkpoint. */
  readonly keepBytes: number;
}

export const WAL_CHECKPOINT_DEFAULTS: WalCheckpointSettings = {
  intervalMs: 5_000,
  guardBytes: 64 * 1024 * 1024,
  backstopPages: 64 * 1024,
  keepBytes: 4 * 1024 * 1024,
};

/** What one checkpoint did: SQLite's `wal_checkpoint` row, and why it ran. */
export interface CheckpointRun {
  readonly why: 'interval' | 'guard';
  /** True when a reader kept SQLite from checkpointing the whole WAL. */
  readonly busy: boolean;
  /** Frames in the WAL, and frames copied into the database file. */
  readonly logFrames: number;
  readonly checkpointedFrames: number;
}

/**
 * WAL checkpoints of a live run, off the order path. SQLite's automatic checkpoint runs inside
 * whichever commit crosses 1,000 pages: in a live run that may be the commit of an order's
 * write-ahead row, right before its request leaves. Here it is pushed back to a far backstop,
 * and the run loop calls {@link tick} between events instead: a PASSIVE checkpoint every
 * `intervalMs` of wall time when no order request is in flight, and at once, in flight or not,
 * when the WAL file has grown past `guardBytes`. {@link stop} (a clean stop) checkpoints with
 * TRUNCATE and gives the WAL back to SQLite.
 *
 * Crash safety is the commit's, not the checkpoint's: a committed transaction is in the WAL
 * (written before COMMIT returns; `synchronous = NORMAL` as the database is opened), and a
 * process killed before any checkpoint leaves it there for the next open to read.
 */
export class WalCheckpoints {
  private readonly s: WalCheckpointSettings;
  private readonly walPath: string | null;
  private started = false;
  private lastWall = 0;
  private lastGuardWall = 0;

  constructor(
    private readonly db: Db,
    settings: Partial<WalCheckpointSettings> = {},
  ) {
    this.s = { ...WAL_CHECKPOINT_DEFAULTS, ...settings };
    this.walPath = db.memory ? null : `${db.name}-wal`;
  }

  /** True between {@link startLive} and {@link stop}. */
  get live(): boolean {
    return this.started;
  }

  /** Takes checkpoints off the commit path (live runs, paper runs on live books). */
  startLive(wallNow: number): void {
    if (this.started || this.walPath === null) return;
    this.started = true;
    this.lastWall = wallNow;
    this.lastGuardWall = wallNow;
    this.db.pragma(`wal_autocheckpoint = ${this.s.backstopPages}`);
    this.db.pragma(`journal_size_limit = ${this.s.keepBytes}`);
  }

  /**
   * Called by the run loop between events. Checkpoints (PASSIVE: never waits for a reader, never
   * blocks a writer of another process) when due and no request is in flight, or when the WAL is
   * past its guard. Returns what it did, or null. Does nothing inside a transaction.
   */
  tick(wallNow: number, requestsInFlight: boolean): CheckpointRun | null {
    if (!this.started || this.db.inTransaction) return null;
    let why: CheckpointRun['why'] | null = null;
    if (!requestsInFlight && wallNow - this.lastWall >= this.s.intervalMs) why = 'interval';
    // The file's size is read at most once a wall second: ticks come with every live event.
    else if (wallNow - this.lastGuardWall >= GUARD_READ_MS) {
      this.lastGuardWall = wallNow;
      if (this.walBytes() > this.s.guardBytes) why = 'guard';
    }
    if (why === null) return null;
    this.lastWall = wallNow;
    const r = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return { why, busy: r[0]!.busy !== 0, logFrames: r[0]!.log, checkpointedFrames: r[0]!.checkpointed };
  }

  /** Size of the WAL file now (0 when there is none). */
  walBytes(): number {
    if (this.walPath === null) return 0;
    try {
      return statSync(this.walPath).size;
    } catch {
      return 0;
    }
  }

  /** A clean stop: checkpoints everything, truncates the WAL file, and restores SQLite's automatic checkpoint. */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    if (!this.db.open) return;
    if (!this.db.inTransaction) this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  }
}
