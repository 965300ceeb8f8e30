import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';
import { dropEquityAfter } from '../support/equity-rows.js';

function positions(db: string): Record<string, number> {
  const sql = new Database(db, { readonly: true });
  const rows = sql.prepare('SELECT symbol, size FROM positions WHERE size != 0 ORDER BY symbol').all() as { symbol: string; size: number }[];
  sql.close();
  return Object.fromEntries(rows.map((r) => [r.symbol, r.size]));
}

/** Stops the runtime after `n` events, as Ctrl-C would, mid-run. */
function stopAfter(n: number, stop: () => void): (s: MarketDataSource) => MarketDataSource {
  return (s) => {
    let seen = 0;
    return wrappedSource(s, (): MarketEvent | null => {
      if (++seen === n) stop();
      return s.next();
    });
  };
}

describe('restart on the same database', () => {
  it('continues after a stop mid-run: same positions, no duplicate client order ids, market time moves on', async () => {
    const db = join(tempDir(), 'restart.db');
    const cfg = parseConfig({ db, seed: 11, run: { speed: 'max' } });
    // First run: stopped by request in the middle of the simulated day, with a pair likely open.
    let stop = (): void => undefined;
    const first = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock(), wrapSource: stopAfter(150_000, () => stop()) });
    stop = () => first.runtime.requestStop();
    await first.runtime.run();
    const lastTs = first.runtime.stats.lastTs!;
    const paperAfterFirst = first.paper!.snapshot();
    first.store.close();
    const held = positions(db);

    // Second run on the same file.
    const second = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock(), wrapSource: stopAfter(60_000, () => second.runtime.requestStop()) });
    const restored = second.paper!.snapshot();
    expect(Object.fromEntries(restored.positions.filter((p) => p.size !== 0).map((p) => [p.symbol, p.size]))).toEqual(held);
    expect(restored.collateral).toBeCloseTo(paperAfterFirst.collateral, 6);
    expect(second.source.startTs).toBeGreaterThan(lastTs);
    const reconciliation = second.store.events.recent(1, 'reconciliation')[0]!;
    expect(reconciliation.data['positionMismatches']).toEqual([]);
    await second.runtime.run();
    const venueAfter = Object.fromEntries(second.paper!.snapshot().positions.filter((p) => p.size !== 0).map((p) => [p.symbol, p.size]));
    second.store.close();
    // The restarted venue's fills are booked (trade ids never repeat across runs): ledger = venue.
    expect(positions(db)).toEqual(venueAfter);

    const sql = new Database(db, { readonly: true });
    const ids = sql.prepare('SELECT client_order_id FROM orders').all() as { client_order_id: string }[];
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids.map((r) => r.client_order_id)).size).toBe(ids.length);
    const secondRunOrders = (sql.prepare('SELECT COUNT(*) AS n FROM orders WHERE created_ts > ?').get(lastTs) as { n: number }).n;
    expect(secondRunOrders).toBeGreaterThan(0);
    const secondRunFills = (sql.prepare('SELECT COUNT(*) AS n FROM fills WHERE ts > ?').get(lastTs) as { n: number }).n;
    expect(secondRunFills).toBeGreaterThan(0);
    const short = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE status = 'filled' AND filled_size < size - 1e-9`).get() as { n: number };
    expect(short.n).toBe(0);
    // Positions still equal the signed sum of all fills across both runs.
    const fromFills = sql.prepare(`SELECT symbol, SUM(CASE side WHEN 'buy' THEN size ELSE -size END) AS s FROM fills GROUP BY symbol`).all() as { symbol: string; s: number }[];
    for (const r of fromFills) expect(positions(db)[r.symbol] ?? 0).toBeCloseTo(r.s, 9);
    sql.close();
  });

  it('via the CLI: a second bounded run continues the first run’s counters', async () => {
    const db = join(tempDir(), 'cli-restart.db');
    const a = summaryOf(await runCli(['run', '--speed', 'max', '--duration', '2h', '--seed', '5', '--db', db, '--json', '--log-level', 'silent']));
    const b = summaryOf(await runCli(['run', '--speed', 'max', '--duration', '2h', '--seed', '5', '--db', db, '--json', '--log-level', 'silent']));
    expect(new Date(b['marketStart'] as string).getTime()).toBeGreaterThan(new Date(a['marketEnd'] as string).getTime());
    expect(b['startingEquityUsd']).toBeCloseTo(a['endingEquityUsd'] as number, 0);
  });
  it('after a crash between snapshots, market time resumes after the latest stamp of any kind and the start succeeds', async () => {
    const db = join(tempDir(), 'crash-between-snapshots.db');
    const a = await runCli(['run', '--speed', 'max', '--duration', '3h', '--seed', '11', '--db', db, '--json', '--log-level', 'silent']);
    expect(a.code, a.err.join('\n')).toBe(0);
    // What a SIGKILL just before the next 60 s snapshot leaves: the last snapshot (bot market
    // time, marks, equity) up to 59 s behind orders, fills and a risk recalculation written later.
    const sql = new Database(db);
    const latest = (sql.prepare('SELECT MAX(updated_ts) AS t FROM orders').get() as { t: number }).t;
    const snap = latest - 59_000;
    sql.prepare('UPDATE bots SET last_market_ts = ?, last_risk_calculation = ?').run(snap, latest);
    sql.prepare('UPDATE market_marks SET ts = ?').run(snap);
    dropEquityAfter(sql, snap);
    sql.prepare("INSERT INTO risk_adjustments (bot_id, ts, previous_multiplier, multiplier, signal_strength, confidence, avg_pnl_last_50, trades_in_window, trigger, inputs) SELECT id, ?, 1, 1, 0.5, 0.5, NULL, 0, 'elapsed', '{}' FROM bots").run(latest);
    sql.close();

    const b = await runCli(['run', '--speed', 'max', '--duration', '2h', '--seed', '11', '--db', db, '--json', '--log-level', 'silent']);
    expect(b.code, b.err.join('\n')).toBe(0);
    expect(new Date(summaryOf(b)['marketStart'] as string).getTime()).toBeGreaterThan(latest);
    const after = new Database(db, { readonly: true });
    // No order was updated before it was created, and no round trip exits before it enters.
    expect((after.prepare('SELECT COUNT(*) AS n FROM orders WHERE updated_ts < created_ts').get() as { n: number }).n).toBe(0);
    expect((after.prepare('SELECT COUNT(*) AS n FROM round_trips WHERE exit_ts < entry_ts OR open_ts < entry_ts').get() as { n: number }).n).toBe(0);
    expect((after.prepare('SELECT COUNT(*) AS n FROM orders WHERE created_ts > ?').get(latest) as { n: number }).n).toBeGreaterThan(0);
    after.close();
  });
  it('a client order id already used (a counter that went back) stops the run with exit 1, never a silent success', async () => {
    const db = join(tempDir(), 'reused-ids.db');
    const a = await runCli(['run', '--speed', 'max', '--duration', '2h', '--seed', '5', '--db', db, '--json', '--log-level', 'silent']);
    expect(a.code, a.err.join('\n')).toBe(0);
    const sql = new Database(db);
    sql.prepare("UPDATE id_sequences SET value = 0 WHERE name LIKE 'coid:%'").run();
    sql.close();
    const b = await runCli(['run', '--speed', 'max', '--duration', '2h', '--seed', '5', '--db', db, '--json', '--log-level', 'silent']);
    expect(b.code).toBe(1);
    expect(b.err.join('\n')).toMatch(/client order id .* already used/);
  });
});
