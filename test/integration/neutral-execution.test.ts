import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

interface Neutrality {
  maxNakedUsd: number;
  maxAbsNetDeltaShare: number | null;
  twAbsNetDeltaShare: number | null;
}

/**
 * Price drift between a slice's sizing (at marks) and its fills, and lot rounding: the slice's
 * notional at fill prices may exceed `sliceUsd` by this share.
 */
const SLICE_SLACK = 0.05;

async function simRun(p: { seed: number; sliceUsd: number; mode: 'signal' | 'volume'; hours: number }): Promise<{ s: Record<string, unknown>; db: string }> {
  const dir = tempDir();
  const db = join(dir, 'sim.db');
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ api: { enabled: false }, execution: { sliceUsd: p.sliceUsd }, bots: [{ id: 'b', baseNotionalUsd: 500, dnPair: { mode: p.mode } }] }));
  const r = await runCli(['run', '--config', config, '--speed', 'max', '--duration', `${p.hours}h`, '--seed', String(p.seed), '--db', db, '--json', '--log-level', 'silent']);
  expect(r.code, r.err.join('\n')).toBe(0);
  return { s: summaryOf(r) as Record<string, unknown>, db };
}

/** Four replayed hours of real ETH/SOL candles kept in the repository (see test/fixtures/README.md). */
const FIX = resolve(import.meta.dirname, '../fixtures/candles');

async function fixtureReplay(p: { mode: 'signal' | 'volume'; execution: Record<string, number>; volume?: Record<string, number> }): Promise<{ s: Record<string, unknown>; db: string }> {
  const dir = tempDir();
  const db = join(dir, 'replay.db');
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ api: { enabled: false }, execution: p.execution, bots: [{ id: 'b', baseNotionalUsd: 500, dnPair: { mode: p.mode, ...(p.volume ? { volume: p.volume } : {}) } }] }));
  const r = await runCli(['replay', '--config', config, '--data', join(FIX, 'ETH_USDT-1m.csv'), '--data', join(FIX, 'SOL_USDT-1m.csv'), '--db', db, '--json', '--log-level', 'silent']);
  expect(r.code, r.err.join('\n')).toBe(0);
  return { s: summaryOf(r) as Record<string, unknown>, db };
}

describe('neutrality while holding, on real candles (honest replay)', () => {
  it('keeps an open pair within 1% of gross on time average: the drift rebalancer brings the legs back together post-only', async () => {
    // Without it (driftShare 0) this replay holds 2.8% of gross: pairs open off by up to a slice
    // (an entry's deadline with one leg ahead, inside the 10% tolerance) and stay so for hours.
    const { s, db } = await fixtureReplay({ mode: 'signal', execution: {} });
    const n = s['neutrality'] as Neutrality;
    expect(n.twAbsNetDeltaShare).not.toBeNull();
    expect(n.twAbsNetDeltaShare!).toBeLessThanOrEqual(0.01);
    const sql = new Database(db, { readonly: true });
    try {
      // Only the drift rebalancer posts hedges: hedge on fill rests the entry's own order, and crosses by IOC.
      const events = (sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'drift_rebalance'`).get() as { n: number }).n;
      const posted = (sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'hedge' AND tif = 'POST_ONLY'`).get() as { n: number }).n;
      expect(events).toBeGreaterThan(0);
      expect(posted).toBe(events);
    } finally {
      sql.close();
    }
  }, 60_000);

  it('off (driftShare 0), the same replay is measurably less neutral', async () => {
    const { s } = await fixtureReplay({ mode: 'signal', execution: { driftShare: 0 } });
    expect((s['neutrality'] as Neutrality).twAbsNetDeltaShare!).toBeGreaterThan(0.015);
  }, 60_000);

  it('volume mode hedges a fill at once: within 1% of gross on time average, one slice at most naked', async () => {
    const { s } = await fixtureReplay({ mode: 'volume', execution: {} });
    const n = s['neutrality'] as Neutrality;
    expect(n.twAbsNetDeltaShare!).toBeLessThanOrEqual(0.01);
    expect(n.maxNakedUsd).toBeLessThanOrEqual(100 * (1 + SLICE_SLACK));
    // Waiting 10 s for the hedge to fill post-only (the signal mode's default) leaves 2.3% here:
    // entries and exits, not holding, are where a volume bot is naked.
    const waited = await fixtureReplay({ mode: 'volume', execution: {}, volume: { nakedMaxMs: 10_000 } });
    expect((waited.s['neutrality'] as Neutrality).twAbsNetDeltaShare!).toBeGreaterThan(0.015);
  }, 60_000);
});

describe('neutral execution on the simulated market', () => {
  it('never leaves more than one slice naked, whatever the seed, slice and mode (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(60, 150, 250), fc.constantFrom('signal' as const, 'volume' as const), async (seed, sliceUsd, mode) => {
        const { s } = await simRun({ seed, sliceUsd, mode, hours: 2 });
        const n = s['neutrality'] as Neutrality;
        expect((s['fills'] as number) > 0).toBe(true);
        expect(n.maxNakedUsd).toBeLessThanOrEqual(sliceUsd * (1 + SLICE_SLACK));
      }),
      { numRuns: 4 },
    );
  }, 240_000);

  it('slices entries and exits: every entry order is post-only and at most one slice; hedges and exits, urgent ones too, are never larger than a slice', async () => {
    const { s, db } = await simRun({ seed: 3, sliceUsd: 100, mode: 'signal', hours: 3 });
    const sql = new Database(db, { readonly: true });
    try {
      const entries = sql.prepare(`SELECT tif, size * price AS usd FROM orders WHERE purpose = 'entry'`).all() as { tif: string; usd: number }[];
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        expect(e.tif).toBe('POST_ONLY');
        expect(e.usd).toBeLessThanOrEqual(100 * (1 + SLICE_SLACK));
      }
      const hedges = sql.prepare(`SELECT tif, size * price AS usd FROM orders WHERE purpose = 'hedge'`).all() as { tif: string; usd: number }[];
      for (const h of hedges) expect(h.usd).toBeLessThanOrEqual(100 * (1 + SLICE_SLACK));
      // Exits and harvests too, urgent ones (stops, IOC) included: never a whole leg at once.
      const exits = sql.prepare(`SELECT tif, size * COALESCE(avg_fill_price, price) AS usd FROM orders WHERE purpose IN ('exit', 'harvest') AND filled_size > 0`).all() as { tif: string; usd: number }[];
      expect(exits.some((e) => e.tif === 'IOC')).toBe(true);
      for (const e of exits) expect(e.usd).toBeLessThanOrEqual(100 * (1 + SLICE_SLACK));
    } finally {
      sql.close();
    }
    const n = s['neutrality'] as Neutrality;
    // A whole leg alone would be 50% of gross; one slice of a $1,500 leg is a few percent.
    expect(n.maxAbsNetDeltaShare).not.toBeNull();
    expect(n.maxAbsNetDeltaShare!).toBeLessThan(0.1);
  }, 120_000);
});
