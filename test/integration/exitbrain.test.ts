import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { healthDocument } from '../../src/engine/health-document.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

interface PlanRow { pair_id: string; long_symbol: string; short_symbol: string; long_size: number; short_size: number; harvest_scheme: string; levels_hit: number; closed_fraction: number }

describe('ExitBrain on the simulated market', () => {
  const db = join(tempDir(), 'exitbrain.db');
  let sql: Database.Database;
  let c: Composed;

  beforeAll(async () => {
    // No daily volume target in the way, so the day holds many pairs.
    const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 36 * 3_600_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    sql = new Database(db, { readonly: true });
  });

  it('reaches TP1 and TP2 and harvests the scheme fraction of both legs, reduce-only', () => {
    const hits = sql.prepare(`SELECT pair_id, level FROM exit_events WHERE kind = 'level_hit' ORDER BY id`).all() as { pair_id: string; level: string }[];
    expect(hits.some((h) => h.level === 'tp1')).toBe(true);
    expect(hits.some((h) => h.level === 'tp2')).toBe(true);
    const plans = sql.prepare(`SELECT * FROM exit_plans`).all() as PlanRow[];
    for (const p of plans.filter((x) => x.levels_hit >= 1)) {
      const scheme = JSON.parse(p.harvest_scheme) as number[];
      const harvested = (symbol: string): number =>
        (sql.prepare(`SELECT COALESCE(SUM(filled_size), 0) AS s FROM orders WHERE pair_id = ? AND purpose = 'harvest' AND symbol = ?`).get(p.pair_id, symbol) as { s: number }).s;
      const notReduceOnly = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE pair_id = ? AND purpose IN ('harvest','exit') AND reduce_only = 0`).get(p.pair_id) as { n: number };
      expect(notReduceOnly.n).toBe(0);
      if (p.levels_hit >= 3 || p.closed_fraction >= 1) continue;
      // Both legs reduced by the same fraction of their original size (delta-neutral partial closes).
      const expected = scheme.slice(0, p.levels_hit).reduce((a, b) => a + b, 0);
      expect(harvested(p.long_symbol) / p.long_size).toBeCloseTo(expected, 1);
      expect(harvested(p.short_symbol) / p.short_size).toBeCloseTo(expected, 1);
      expect(Math.abs(harvested(p.long_symbol) / p.long_size - harvested(p.short_symbol) / p.short_size)).toBeLessThan(0.05);
    }
  });

  it('closes the rest with the stop or TP3, and every level fires at most once per pair', () => {
    const reasons = (sql.prepare(`SELECT DISTINCT exit_reason AS r FROM round_trips WHERE status = 'closed'`).all() as { r: string }[]).map((x) => x.r);
    expect(reasons.some((r) => ['stop_loss', 'stop_after_tp', 'tp3'].includes(r))).toBe(true);
    const dup = sql.prepare(`SELECT pair_id, level, COUNT(*) AS n FROM exit_events WHERE kind = 'level_hit' GROUP BY pair_id, level HAVING n > 1`).all();
    expect(dup).toEqual([]);
  });

  it('records every harvest and exit fill in exit_events, matching the fills table', () => {
    const events = sql.prepare(`SELECT trade_id, fill_symbol, fill_size, fill_price FROM exit_events WHERE kind IN ('harvest_fill','exit_fill')`).all() as { trade_id: string; fill_symbol: string; fill_size: number; fill_price: number }[];
    const fills = sql
      .prepare(`SELECT f.trade_id, f.symbol, f.size, f.price FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.purpose IN ('harvest','exit') AND o.pair_id IN (SELECT pair_id FROM exit_plans)`)
      .all() as { trade_id: string; symbol: string; size: number; price: number }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBe(fills.length);
    const byId = new Map(fills.map((f) => [f.trade_id, f]));
    for (const e of events) expect(byId.get(e.trade_id)).toEqual({ trade_id: e.trade_id, symbol: e.fill_symbol, size: e.fill_size, price: e.fill_price });
  });

  it('serves /health on 127.0.0.1 with seed 004 fields consistent with SQLite', async () => {
    const server = new ApiServer({ host: '127.0.0.1', port: 0, logger: silentLogger, handlers: { health: () => healthDocument(c.runtime, c.bots, c.venueName, () => 0) } });
    const port = await server.start();
    expect(port).not.toBeNull();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { adaptive_leverage_status: Record<string, unknown>; bots: { risk_multiplier: number }[] };
      const a = body.adaptive_leverage_status;
      for (const k of ['enabled', 'models', 'volatility_source', 'avg_pnl_last_20', 'win_rate', 'total_trades', 'pnl_stream_entries', 'status']) expect(a).toHaveProperty(k);
      const closed = (sql.prepare(`SELECT COUNT(*) AS n FROM round_trips WHERE status = 'closed'`).get() as { n: number }).n;
      const entries = (sql.prepare(`SELECT COUNT(*) AS n FROM exit_events`).get() as { n: number }).n;
      expect(a['total_trades']).toBe(closed);
      expect(a['pnl_stream_entries']).toBe(entries);
      expect(a['enabled']).toBe(true);
      expect(['OK', 'DEGRADED']).toContain(a['status']);
      // Each plan carries its own position's leverage (one leg's notional over equity), not the cap.
      const levs = (sql.prepare(`SELECT DISTINCT leverage AS l, lsf FROM exit_plans`).all() as { l: number; lsf: number }[]);
      expect(levs.length).toBeGreaterThan(1);
      expect(levs.every((x) => x.l !== c.bots[0]!.leverage())).toBe(true);
      expect(new Set(levs.map((x) => x.lsf.toFixed(6))).size).toBeGreaterThan(1);
      const bot = sql.prepare(`SELECT current_risk_multiplier AS m FROM bots`).get() as { m: number };
      expect(body.bots[0]!.risk_multiplier).toBe(bot.m);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/health`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.stop();
      c.store.close();
    }
  });
});

describe('ExitBrain across a restart mid-ladder', () => {
  it('resumes the plan exactly: no level fires twice, no harvest is doubled', async () => {
    const db = join(tempDir(), 'ladder-restart.db');
    const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 36 * 3_600_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    // Stop right after the first TP1 harvest is decided, before it can fill.
    let stopNow = (): void => undefined;
    const watch = (s: MarketDataSource): MarketDataSource => wrappedSource(s, (): MarketEvent | null => {
      stopNow();
      return s.next();
    });
    const a = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: watch });
    stopNow = () => {
      if (a.bots[0]!.exits.activePlans().some((p) => p.levelsHit >= 1)) a.runtime.requestStop();
    };
    await a.runtime.run();
    const plan = a.store.exitPlans.active('dn-eth-sol').find((p) => p.levelsHit >= 1);
    a.store.close();
    expect(plan).toBeDefined();

    stopNow = () => undefined;
    const b = await compose({ config: { ...config, run: { ...config.run, durationMs: 2 * 3_600_000 } }, logger: silentLogger, wall: new LiveClock(), wrapSource: watch });
    await b.runtime.run();
    b.store.close();
    const sql = new Database(db, { readonly: true });
    const hits = sql.prepare(`SELECT level, COUNT(*) AS n FROM exit_events WHERE pair_id = ? AND kind = 'level_hit' GROUP BY level`).all(plan!.pairId) as { level: string; n: number }[];
    for (const h of hits) expect(h.n).toBe(1);
    const harvested = (symbol: string): number =>
      (sql.prepare(`SELECT COALESCE(SUM(filled_size), 0) AS s FROM orders WHERE pair_id = ? AND purpose = 'harvest' AND symbol = ?`).get(plan!.pairId, symbol) as { s: number }).s;
    const after = sql.prepare(`SELECT levels_hit, closed_fraction, status FROM exit_plans WHERE pair_id = ?`).get(plan!.pairId) as { levels_hit: number; closed_fraction: number; status: string };
    const lot = 0.001;
    if (after.status === 'active') {
      // Harvests never exceed what the plan decided (a lot of rounding aside).
      expect(harvested(plan!.longSymbol)).toBeLessThanOrEqual(plan!.longSize * after.closed_fraction + 2 * lot);
    } else {
      // Closed: the legs came down to zero exactly once; fills do not exceed the original size.
      expect(harvested(plan!.longSymbol)).toBeLessThanOrEqual(plan!.longSize + lot);
    }
    sql.close();
  });
});
