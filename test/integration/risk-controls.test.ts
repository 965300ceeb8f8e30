import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

const DAY = 86_400_000;

describe('loss-limit circuit breaker on the simulated market', () => {
  it('a forced drawdown trips the breaker, entries stop for the rest of the UTC day and resume the next day', async () => {
    const dir = tempDir();
    const db = join(dir, 'breaker.db');
    const config = join(dir, 'config.json');
    // A 0.02% daily portfolio limit: ordinary trading losses are enough to trip it.
    writeFileSync(config, JSON.stringify({ risk: { lossLimits: { portfolioDaily: 0.0002 } }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } }));
    const r = await runCli(['run', '--config', config, '--speed', 'max', '--duration', '30h', '--seed', '21', '--db', db, '--json', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    summaryOf(r);
    const sql = new Database(db, { readonly: true });
    const trips = sql.prepare(`SELECT scope, period, tripped_ts AS ts FROM circuit_breakers ORDER BY tripped_ts`).all() as { scope: string; period: string; ts: number }[];
    expect(trips.length).toBeGreaterThan(0);
    const first = trips[0]!;
    expect(first.scope).toBe('portfolio_day');
    const nextDay = Math.floor(first.ts / DAY) * DAY + DAY;
    // Allow the in-flight cadence: nothing new after the control tick that saw the trip.
    const entriesAfter = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND created_ts > ? AND created_ts < ?`).get(first.ts, nextDay) as { n: number };
    expect(entriesAfter.n).toBe(0);
    const refused = sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'entry_refused' AND data LIKE '%circuit_breaker%' AND ts > ?`).get(first.ts) as { n: number };
    expect(refused.n).toBeGreaterThan(0);
    const resumed = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND created_ts >= ?`).get(nextDay) as { n: number };
    expect(resumed.n).toBeGreaterThan(0);
    // Entries resting at the trip were cancelled, and no entry is left working.
    const working = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND status IN ('open','partially_filled','pending_submit')`).get() as { n: number };
    expect(working.n).toBe(0);
    sql.close();
  });
});

describe('controls survive a restart', () => {
  it('breakers, halt, phase, risk multiplier and volume counters come back from SQLite', async () => {
    const db = join(tempDir(), 'controls.db');
    const cfg = parseConfig({ db, seed: 4, run: { speed: 'max', durationMs: 8 * 3_600_000 }, risk: { lossLimits: { portfolioDaily: 0.0002 } } });
    const a = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock() });
    await a.runtime.run();
    const before = a.bots[0]!.controlSnapshot();
    const day = new Date(a.runtime.stats.lastTs!).toISOString().slice(0, 10);
    const volumeBefore = a.store.dailyVolume.get('dn-eth-sol', day).volumeUsd;
    const marketTs = a.store.bots.get('dn-eth-sol')!.lastMarketTs!;
    a.store.close();
    expect(before.breakers.length).toBeGreaterThan(0);
    expect(volumeBefore).toBeGreaterThan(0);

    // An operator halts the bot and approves phase 2 (forced) between runs.
    expect((await runCli(['halt', '--db', db, '--reason', 'maintenance'])).code).toBe(0);
    expect((await runCli(['phase', 'approve', '--db', db, '--force'])).code).toBe(0);

    const b = await compose({ config: { ...cfg, run: { ...cfg.run, durationMs: 60_000 } }, logger: silentLogger, wall: new LiveClock() });
    const after = b.bots[0]!.controlSnapshot();
    expect(after.riskMultiplier).toBe(before.riskMultiplier);
    expect(after.breakers).toEqual(before.breakers);
    expect(after.halted).toBe('maintenance');
    expect(after.phase).toBe(2);
    expect(b.store.dailyVolume.get('dn-eth-sol', day).volumeUsd).toBe(volumeBefore);
    expect(b.store.controls.interventionsSince('dn-eth-sol', 0)).toBe(2);
    // The bot runs on simulated market time, so the operator's actions are stamped with it (not the
    // wall): the new phase's days and round trips are counted from the bot's own clock.
    expect(b.store.phases.changes('dn-eth-sol', 1)[0]!.ts).toBe(marketTs);
    expect(b.store.controls.interventionsSince('dn-eth-sol', marketTs)).toBe(2);
    expect(b.store.controls.interventionsSince('dn-eth-sol', marketTs + 1)).toBe(0);
    await b.runtime.run();
    b.store.close();
  });

  it('a halted bot opens no pair, and says why', async () => {
    const db = join(tempDir(), 'halt.db');
    expect((await runCli(['run', '--speed', 'max', '--duration', '1m', '--db', db, '--json', '--log-level', 'silent'])).code).toBe(0);
    expect((await runCli(['halt', '--db', db, '--bot', 'all', '--reason', 'kill switch test'])).code).toBe(0);
    const s = summaryOf(await runCli(['run', '--speed', 'max', '--duration', '6h', '--db', db, '--json', '--log-level', 'silent']));
    const sql = new Database(db, { readonly: true });
    const entries = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND created_ts >= ?`).get(new Date(s['marketStart'] as string).getTime()) as { n: number };
    const why = sql.prepare(`SELECT data FROM events WHERE kind = 'entry_refused' ORDER BY id DESC LIMIT 1`).get() as { data: string };
    sql.close();
    expect(entries.n).toBe(0);
    expect(JSON.parse(why.data)).toMatchObject({ check: 'halt' });
    expect(JSON.parse(why.data).reason).toMatch(/kill switch test/);
  });
});
