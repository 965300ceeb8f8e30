import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { setHalt } from '../../src/cli/control-commands.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Store } from '../../src/store/store.js';
import { waitingSignalPath } from '../../src/store/write-turn.js';
import { runCli, tempDir } from './cli-harness.js';

const BIN = join(process.cwd(), 'bin', 'dnbot.js');

/** One value from the database as another process sees it; null while the file is not ready. */
function query<T>(db: string, sql: string, ...args: unknown[]): T | null {
  try {
    const c = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (c.prepare(sql).get(...args) as T | undefined) ?? null;
    } finally {
      c.close();
    }
  } catch {
    return null;
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('operator commands during a run at full speed', () => {
  it('dnbot halt from another process goes through within seconds, and the running bot halts', async () => {
    const dir = tempDir();
    const db = join(dir, 'ops.db');
    // Entries as often as the strategy allows, so a halt shows at once in what the bot does.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } }));
    const child = spawn(process.execPath, [BIN, 'run', '--config', config, '--speed', 'max', '--duration', '60d', '--seed', '5', '--db', db, '--log-level', 'silent'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // Real processes, real time: wait until the run is well under way (it has entered pairs).
      const deadline = Date.now() + 90_000;
      const entries = (): number => query<{ n: number }>(db, `SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry'`)?.n ?? 0;
      while (entries() < 4 && Date.now() < deadline) await pause(100);
      expect(entries()).toBeGreaterThanOrEqual(4);

      const started = Date.now();
      const halt = await runCli(['halt', '--db', db, '--config', config, '--reason', 'operator during max speed']);
      const took = Date.now() - started;
      expect(halt.code, halt.err.join('\n')).toBe(0);
      expect(took).toBeLessThan(10_000);
      expect(existsSync(waitingSignalPath(db))).toBe(false);
      const haltEvent = query<{ id: number }>(db, `SELECT id FROM events WHERE kind = 'halt' ORDER BY id DESC LIMIT 1`);
      expect(haltEvent).not.toBeNull();

      // The running bot reads the halt and refuses its next entries because of it.
      const refusedAfterHalt = (): { id: number; data: string } | null =>
        query<{ id: number; data: string }>(db, `SELECT id, data FROM events WHERE kind = 'entry_refused' AND id > ? ORDER BY id LIMIT 1`, haltEvent!.id);
      const until = Date.now() + 60_000;
      while (refusedAfterHalt() === null && Date.now() < until) await pause(100);
      const refused = refusedAfterHalt();
      expect(refused).not.toBeNull();
      expect(JSON.parse(refused!.data)).toMatchObject({ check: 'halt' });
      expect(JSON.parse(refused!.data).reason).toMatch(/operator during max speed/);
      // ...and sends none after it.
      const entryOrdersAfter = query<{ n: number }>(db, `SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND created_ts > (SELECT ts FROM events WHERE id = ?)`, refused!.id);
      expect(entryOrdersAfter?.n).toBe(0);
    } finally {
      // The halted run stops on SIGTERM like any other (SIGKILL only if it did not, so no process is left).
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), pause(60_000).then(() => false)]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
      expect(stopped).toBe(true);
    }
  }, 180_000);
});

describe('a run at full speed gives way to a waiting command', () => {
  it('with the signal beside the database, a writer that never waits on SQLite gets the lock while the run goes on', async () => {
    const db = join(tempDir(), 'turns.db');
    const cfg = parseConfig({ db, seed: 5, run: { speed: 'max', durationMs: 2 * 86_400_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    const run = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock() });
    // The command's side, in this process: it may not block the thread (the run shares it), so it
    // tries the lock without SQLite's busy wait, between turns of the event loop.
    const operator = Store.open(db);
    operator.db.pragma('busy_timeout = 0');
    const signal = waitingSignalPath(db);
    let lifecycleWhenWritten: string | null = null;
    const command = (async (): Promise<void> => {
      while (run.runtime.lifecycle() !== 'running') await pause(1);
      writeFileSync(signal, 'test');
      for (;;) {
        try {
          operator.db.exec('BEGIN IMMEDIATE');
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
          await pause(1);
        }
      }
      setHalt({ store: operator, io: { out: () => undefined, err: () => undefined, stdoutIsTty: false, stderrIsTty: false }, now: 0, phases: cfg.phases }, undefined, true, 'given way');
      operator.db.exec('COMMIT');
      rmSync(signal);
      lifecycleWhenWritten = run.runtime.lifecycle();
    })();
    await run.runtime.run();
    await command;
    run.store.close();
    operator.close();

    // Without the run giving way, the only moment the lock is free with the event loop turning is
    // after the run has ended.
    expect(lifecycleWhenWritten).toBe('running');
    const refused = query<{ data: string }>(db, `SELECT data FROM events WHERE kind = 'entry_refused' ORDER BY id LIMIT 1`);
    expect(JSON.parse(refused!.data)).toMatchObject({ check: 'halt', reason: 'entries halted: given way' });
  }, 120_000);
});

describe('a halted run at full speed still hears a stop', () => {
  it('with no order work to wait on, a stop asked for from a timer (as Ctrl-C does) ends the run long before its end', async () => {
    const db = join(tempDir(), 'halted.db');
    expect((await runCli(['run', '--speed', 'max', '--duration', '1m', '--db', db, '--json', '--log-level', 'silent'])).code).toBe(0);
    expect((await runCli(['halt', '--db', db, '--bot', 'all', '--reason', 'quiet'])).code).toBe(0);
    const cfg = parseConfig({ db, seed: 5, run: { speed: 'max', durationMs: 3 * 86_400_000 } });
    const run = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock() });
    // A signal handler runs like this timer: only when the event loop gets a turn.
    setTimeout(() => run.runtime.requestStop(), 0);
    await run.runtime.run();
    const { firstTs, lastTs } = run.runtime.stats;
    run.store.close();
    // Stopped within a batch or two of wall time: well inside the first of the three days.
    expect(lastTs! - firstTs!).toBeLessThan(86_400_000);
  }, 180_000);
});
