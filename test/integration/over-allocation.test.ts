import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { healthDocument } from '../../src/engine/health-document.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

interface Cut {
  pairId: string;
  check: string;
  fraction: number;
  usage: number;
  allowed: number;
  equity: number;
  marginUsd: number;
}

describe("seed 001: margin above a lowered tier is reduced, both legs together, reduce-only", () => {
  it('an emergency month lowers the tier under the open pair: both legs are cut back to it with reduce-only orders and the pair stays neutral', async () => {
    const db = join(tempDir(), 'over.db');
    // Any loss this month is an emergency, whose tier allows 1% of equity as margin: the first
    // pair's fees push the month below 0 while its $500 legs use 2% at 5×.
    const config = parseConfig({
      db,
      seed: 3,
      run: { speed: 'max', durationMs: 4 * 3_600_000 },
      api: { enabled: false },
      risk: { capitalShare: 1, allocation: { emergencyMonthlyReturnBelow: 0, limits: { EMERGENCY: 0.01 }, totalLimits: { EMERGENCY: 0.01 } } },
      phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } },
    });
    let c: Composed | null = null;
    // Each bot's margin at every event while the cut is worked: it must come down, never go up.
    const after: { ts: number; margin: number; net: number; gross: number }[] = [];
    const source = (s: MarketDataSource): MarketDataSource => wrappedSource(s, (): MarketEvent | null => {
      const bot = c?.bots[0];
      if (bot && c) {
        const e = bot.exposure();
        after.push({ ts: c.runtime.stats.lastTs ?? 0, margin: bot.marginInUse(), net: e.net, gross: e.gross });
      }
      return s.next();
    });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: source });
    await c.runtime.run();
    const health = (healthDocument(c.runtime, c.bots, c.venueName, () => 0, c.portfolio)['bots'] as { allocation: Record<string, number | string | null> }[])[0]!.allocation;
    c.store.close();

    const sql = new Database(db, { readonly: true });
    try {
      const events = sql.prepare(`SELECT ts, data FROM events WHERE kind = 'over_allocation' ORDER BY id`).all() as { ts: number; data: string }[];
      expect(events.length).toBeGreaterThan(0);
      const first = events[0]!;
      const cut = JSON.parse(first.data) as Cut;
      expect(cut.check).toBe('allocation_tier');
      expect(cut.allowed).toBe(0.01);
      expect(cut.usage).toBeGreaterThan(0.0105);
      expect(cut.fraction).toBeCloseTo(1 - (0.01 * cut.equity) / cut.marginUsd, 9);
      // Every order of the pair from the cut on reduces (both legs), none is a market order.
      const orders = sql.prepare(`SELECT symbol, side, type, reduce_only AS reduceOnly, purpose FROM orders WHERE pair_id = ? AND created_ts >= ?`).all(cut.pairId, first.ts) as { symbol: string; side: string; type: string; reduceOnly: number; purpose: string }[];
      expect(orders.length).toBeGreaterThan(1);
      expect(new Set(orders.map((o) => o.symbol)).size).toBe(2);
      for (const o of orders) {
        expect(o.reduceOnly).toBe(1);
        expect(o.type).toBe('limit');
      }
      // The cut is done within seed 001's 30 minutes, and lands at (or just under, lot rounding) the tier.
      const done = after.find((a) => a.ts >= first.ts && a.margin <= 0.01 * cut.equity * 1.05);
      expect(done).toBeDefined();
      expect(done!.ts - first.ts).toBeLessThanOrEqual(30 * 60_000);
      expect(done!.margin).toBeGreaterThan(0);
      // Neutral while it is worked: the legs move together (one slice apart at most).
      for (const a of after.filter((x) => x.ts >= first.ts && x.ts <= done!.ts)) expect(Math.abs(a.net)).toBeLessThanOrEqual(100 * 1.05 + 0.05 * a.gross);
    } finally {
      sql.close();
    }
    // Visible where an operator looks: /health's allocation block has the tier and the numbers.
    expect(health['tier']).toBe('EMERGENCY');
    expect(health['limit']).toBe(0.01);
    expect(health['total_leveraged_limit']).toBe(0.01);
    expect(health['margin_share'] as number).toBeLessThanOrEqual(0.01 * 1.05);
    expect(health['account_margin_usd']).toBe(health['margin_usd']);
  }, 180_000);
});
