import { readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import type { Clock } from '../core/clock.js';
import type { Db } from './database.js';

/**
 * How long an operator's command (dnbot halt, resume, rebalance, …) tries to get the write lock
 * of a database a run is writing to before it gives up and changes nothing.
 */
export const OPERATOR_WAIT_MS = 5_000;
/** Longest wall time a run leaves the write lock free for one waiting command. */
export const GIVE_WAY_MAX_MS = 1_000;
/** How often a run that gives way looks whether the command is through. */
const GIVE_WAY_POLL_MS = 1;

/**
 * The signal an operator's command leaves beside the database while it waits for the write lock:
 * a file `<db>-waiting` holding a token of its own, removed as soon as its transaction is committed.
 */
export function waitingSignalPath(dbPath: string): string {
  return `${dbPath}-waiting`;
}


/**
 * The run's side of the write turn. A sim or replay run at full speed holds the write lock almost
 * all the time (its write batches follow each other within microseconds), so a command from
 * another process would time out waiting for it. At each batch boundary the run looks for the
 * command's signal (one `stat`) and, when one is there, leaves the lock free until the command
 * removes it or {@link GIVE_WAY_MAX_MS} passes.
 *
 * A signal left behind by a command that was killed is not waited for again: after the bound (or
 * at once when it is older than a command ever waits) the run removes it and ignores it.
 */
export class WriteTurns {
  private ignored: string | null = null;

  /** `signalPath` null: nothing to watch (an in-memory database). */
  constructor(private readonly signalPath: string | null) {}

  static of(db: Db): WriteTurns {
    return new WriteTurns(db.memory ? null : waitingSignalPath(db.name));
  }

  /** Whether a command waits for the write lock now. One `stat` of the signal's path. */
  waiting(wall: Clock): boolean {
    const s = this.stat();
    if (s === undefined) return false;
    const id = this.idOf(s);
    if (id === this.ignored) return false;
    if (wall.now() - s.mtimeMs > 2 * OPERATOR_WAIT_MS) {
      this.dismiss(id);
      return false;
    }
    return true;
  }

  /**
   * Waits (the write lock free: call it between two batches) until the waiting command is through
   * or the bound passes; a signal still there then is stale: removed and ignored from now on.
   */
  async giveWay(wall: Clock): Promise<void> {
    const until = wall.now() + GIVE_WAY_MAX_MS;
    for (;;) {
      await wall.sleep(GIVE_WAY_POLL_MS);
      const s = this.stat();
      if (s === undefined) return;
      if (wall.now() >= until) {
        this.dismiss(this.idOf(s));
        return;
      }
    }
  }

  private stat(): Stats | undefined {
    return this.signalPath === null ? undefined : statSync(this.signalPath, { throwIfNoEntry: false });
  }

  /** One signal, told apart from a later one at the same path (read only when a signal is there). */
  private idOf(s: Stats): string {
    let token = '';
    try {
      token = readFileSync(this.signalPath!, 'utf8');
    } catch {
      // Removed since the stat: the command is through.
    }
    return `${s.ino}:${s.mtimeMs}:${token}`;
  }

  /** Ignores this signal from now on and removes it (a command still waiting writes a new one). */
  private dismiss(id: string): void {
    this.ignored = id;
    const s = this.stat();
    if (s !== undefined && this.idOf(s) === id) rmSync(this.signalPath!, { force: true });
  }
}
