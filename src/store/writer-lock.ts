import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DnbotError, ErrorCodes } from '../core/errors.js';
import type { Db } from './database.js';

/** Who holds (or asks for) the right to trade on a database. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** The process's start as the OS reports it (Linux: /proc start ticks); null when unknown. */
  readonly processStart: string | null;
  /** Wall time the lock was taken. */
  readonly startedWall: number;
}

/** Whether the process that took a lock still runs (the same process, not a new one with its pid). */
export type HolderAlive = (h: LockHolder) => boolean;

/** Start time of a process, from /proc on Linux (ticks since boot); null elsewhere or if gone. */
export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which may hold spaces) in parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process with this id runs on this host (one that belongs to another user counts: EPERM). */
export function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Liveness on this host: the pid exists and, where the OS tells a process's start time, it is the
 * one recorded (a pid reused after a SIGKILL, or after a container restart, is not the holder).
 * A holder on another host cannot be checked and counts as alive.
 */
export const holderAliveOnThisHost: HolderAlive = (h) => {
  if (h.host !== hostname()) return true;
  if (!pidRuns(h.pid)) return false;
  if (h.processStart === null) return true;
  const now = processStartOf(h.pid);
  return now === null || now === h.processStart;
};

export interface WriterLockOptions {
  readonly db: Db;
  /** The database path, for messages. */
  readonly path: string;
  readonly self?: Omit<LockHolder, 'startedWall'>;
  readonly wallNow: number;
  readonly alive?: HolderAlive;
}

/** How the lock was obtained: fresh, or taken over from a holder that no longer runs. */
export interface LockAcquired {
  readonly takenOverFrom: LockHolder | null;
}

/**
 * One writer per database: a row naming the process that trades on it, taken and checked in one
 * immediate transaction (two processes starting at once cannot both win). A row left by a process
 * that died (SIGKILL, power loss) is taken over once its holder is seen not to run; read-only
 * commands never take it.
 */
export class WriterLock {
  private token: string | null = null;

  constructor(private readonly o: WriterLockOptions) {}

  /**
   * Takes the lock.
   * @throws E_STORE_LOCKED naming the holder (pid, host, start time) when another live process has it.
   */
  acquire(): LockAcquired {
    const self = this.o.self ?? { pid: process.pid, host: hostname(), processStart: processStartOf(process.pid) };
    const alive = this.o.alive ?? holderAliveOnThisHost;
    const token = randomUUID();
    const result = this.o.db
      .transaction((): LockAcquired => {
        const held = this.holder();
        if (held && alive(held)) {
          const since = new Date(held.startedWall).toISOString();
          throw new DnbotError(
            ErrorCodes.STORE_LOCKED,
            `${this.o.path}: in use by another dnbot process (pid ${held.pid} on ${held.host}, started ${since}); one process per database: stop it first, or use another --db`,
            { ...held },
          );
        }
        this.o.db
          .prepare('INSERT OR REPLACE INTO writer_lock (id, pid, host, process_start, started_wall, token) VALUES (1, ?, ?, ?, ?, ?)')
          .run(self.pid, self.host, self.processStart, this.o.wallNow, token);
        return { takenOverFrom: held };
      })
      .immediate();
    this.token = token;
    return result;
  }

  /** The current holder, or null. */
  holder(): LockHolder | null {
    const r = this.o.db.prepare('SELECT pid, host, process_start, started_wall FROM writer_lock WHERE id = 1').get() as
      | { pid: number; host: string; process_start: string | null; started_wall: number }
      | undefined;
    return r ? { pid: r.pid, host: r.host, processStart: r.process_start, startedWall: r.started_wall } : null;
  }

  /** Gives the lock back (only if still ours). Safe to call twice. */
  release(): void {
    if (this.token === null || !this.o.db.open) return;
    this.o.db.prepare('DELETE FROM writer_lock WHERE id = 1 AND token = ?').run(this.token);
    this.token = null;
  }
}
