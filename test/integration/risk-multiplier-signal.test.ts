import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';

describe('seed 000: the risk multiplier is recalculated with a current signal', () => {
  it('each recalculation happens at an entry with that entry’s signal, and the first entry is sized by the formula', async () => {
    const db = join(tempDir(), 'multiplier.db');
    const cfg = parseConfig({ db, seed: 3, run: { speed: 'max', durationMs: 12 * 3_600_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    const c = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    const sql = c.store.db;
    const trips = sql.prepare(`SELECT entry_ts AS ts, signal FROM round_trips WHERE bot_id = 'dn-eth-sol' ORDER BY entry_ts`).all() as { ts: number; signal: string }[];
    const recalcs = sql.prepare(`SELECT ts, multiplier, signal_strength AS s, confidence AS c, previous_multiplier AS prev FROM risk_adjustments WHERE bot_id = 'dn-eth-sol' ORDER BY id`).all() as {
      ts: number;
      multiplier: number;
      s: number;
      c: number;
      prev: number;
    }[];
    c.store.close();
    expect(trips.length).toBeGreaterThan(3);
    expect(recalcs.length).toBeGreaterThan(1);
    const entries = trips.map((t) => ({ ts: t.ts, ...(JSON.parse(t.signal) as { signalStrength: number; confidence: number; riskMultiplier: number }) }));
    // Every recalculation read the signal of an entry decided at that very moment (not hours old).
    for (const r of recalcs) {
      const at = entries.filter((e) => e.ts === r.ts);
      if (at.length === 0) continue; // an entry refused after the recalculation (a later gate) opens no pair
      expect(at.some((e) => e.signalStrength === r.s && e.confidence === r.c)).toBe(true);
    }
    expect(recalcs.filter((r) => entries.some((e) => e.ts === r.ts)).length).toBeGreaterThan(1);
    // A fresh bot: the first recalculation precedes (or is) the first entry, and that entry used it.
    expect(recalcs[0]!.ts).toBeLessThanOrEqual(entries[0]!.ts);
    expect(recalcs[0]!.prev).toBe(1);
    const first = entries[0]!;
    const inForce = [...recalcs].reverse().find((r) => r.ts <= first.ts)!;
    expect(first.riskMultiplier).toBe(inForce.multiplier);
  }, 120_000);
});
