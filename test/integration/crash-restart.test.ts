import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

const BIN = join(process.cwd(), 'bin', 'dnbot.js');

function orderCount(db: string): number {
  try {
    const sql = new Database(db, { readonly: true, fileMustExist: true });
    const n = (sql.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
    sql.close();
    return n;
  } catch {
    return 0;
  }
}

describe('crash and restart', () => {
  it('a bot killed with SIGKILL mid-run restarts on the same database without duplicate ids or lost positions', async () => {
    const dir = tempDir();
    const db = join(dir, 'crash.db');
    // No daily volume target in the way: the restarted run must be free to trade.
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } }));
    const child = spawn(process.execPath, [BIN, 'run', '--config', config, '--speed', 'max', '--duration', '30d', '--seed', '9', '--db', db, '--json', '--log-level', 'silent'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Real process, real time: wait until it has traded, then kill it without warning.
    const deadline = Date.now() + 60_000;
    while (orderCount(db) < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await exited;
    const before = orderCount(db);
    expect(before).toBeGreaterThanOrEqual(30);

    const r = await runCli(['run', '--config', config, '--speed', 'max', '--duration', '12h', '--seed', '9', '--db', db, '--json', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    summaryOf(r);
    const sql = new Database(db, { readonly: true });
    const ids = sql.prepare('SELECT client_order_id FROM orders').all() as { client_order_id: string }[];
    expect(new Set(ids.map((x) => x.client_order_id)).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(before);
    const rec = JSON.parse((sql.prepare(`SELECT data FROM events WHERE kind = 'reconciliation' ORDER BY id DESC LIMIT 1`).get() as { data: string }).data) as { positionMismatches: string[] };
    expect(rec.positionMismatches).toEqual([]);
    // Nothing from the killed process is left in flight.
    const stuck = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE status IN ('pending_submit','unknown','cancel_pending','open','partially_filled')`).get() as { n: number };
    expect(stuck.n).toBe(0);
    const fromFills = sql.prepare(`SELECT symbol, SUM(CASE side WHEN 'buy' THEN size ELSE -size END) AS s FROM fills GROUP BY symbol`).all() as { symbol: string; s: number }[];
    const pos = new Map((sql.prepare('SELECT symbol, SUM(size) AS s FROM positions GROUP BY symbol').all() as { symbol: string; s: number }[]).map((x) => [x.symbol, x.s]));
    for (const f of fromFills) expect(pos.get(f.symbol) ?? 0).toBeCloseTo(f.s, 9);
    sql.close();
  });
  it('one writer per database: a second run is refused with exit 2 naming the holder, reads still work, and a SIGKILLed holder’s lock is taken over', async () => {
    const dir = tempDir();
    const db = join(dir, 'one-writer.db');
    const child = spawn(process.execPath, [BIN, 'run', '--speed', '600', '--duration', '30d', '--seed', '4', '--db', db, '--log-level', 'silent'], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (orderCount(db) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const second = await runCli(['run', '--speed', 'max', '--duration', '1h', '--db', db, '--json', '--log-level', 'silent']);
      expect(second.code).toBe(2);
      expect(second.err.join('\n')).toMatch(new RegExp(`in use by another dnbot process \\(pid ${child.pid} on .+, started \\d{4}-`));
      expect(second.err.join('\n')).not.toMatch(/\n\s+at /);
      const status = await runCli(['status', '--db', db]);
      expect(status.code, status.err.join('\n')).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const after = await runCli(['run', '--speed', 'max', '--duration', '1h', '--db', db, '--json', '--log-level', 'silent']);
    expect(after.code, after.err.join('\n')).toBe(0);
    const sql = new Database(db, { readonly: true });
    expect((sql.prepare('SELECT COUNT(*) AS n FROM writer_lock').get() as { n: number }).n).toBe(0);
    sql.close();
  });
});
