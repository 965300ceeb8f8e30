import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

/** Eight hours of real ETH/SOL candles kept in the repository (see test/fixtures/README.md). */
const FIX = resolve(import.meta.dirname, '../fixtures/candles');
const DATA = ['--data', join(FIX, 'ETH_USDT-1m.csv'), '--data', join(FIX, 'SOL_USDT-1m.csv')];

async function replayRows(replay: Record<string, unknown>, seed: number): Promise<{ orders: string; fills: string; summary: Record<string, unknown> }> {
  const dir = tempDir();
  const config = join(dir, 'c.json');
  writeFileSync(config, JSON.stringify({ api: { enabled: false }, replay, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] }));
  const db = join(dir, 'r.db');
  const summary = summaryOf(await runCli(['replay', '--config', config, ...DATA, '--seed', String(seed), '--db', db, '--json', '--log-level', 'silent']));
  const sql = new Database(db, { readonly: true });
  try {
    const orders = JSON.stringify(sql.prepare('SELECT * FROM orders ORDER BY client_order_id').all());
    // Client order ids carry a namespace drawn from the run's seed, so the path comparison leaves them out.
    const fills = JSON.stringify(sql.prepare('SELECT * FROM fills ORDER BY trade_id').all().map((f) => ({ ...(f as Record<string, unknown>), client_order_id: undefined })));
    return { orders, fills, summary };
  } finally {
    sql.close();
  }
}

describe('replay fill model on real candles (fixture)', () => {
  it('same seed, same bridge: the same orders and fills byte for byte; another seed: another path', async () => {
    const a = await replayRows({}, 7);
    const b = await replayRows({}, 7);
    expect(a.orders.length).toBeGreaterThan(100);
    expect(b.orders).toBe(a.orders);
    expect(b.fills).toBe(a.fills);
    const c = await replayRows({}, 8);
    expect(c.fills).not.toBe(a.fills);
    // replay.pathSeed pins the path whatever the run's seed.
    const d = await replayRows({ pathSeed: 7 }, 99);
    expect(d.fills).toBe(a.fills);
  }, 120_000);

  it('the adverse path runs, and no maker fill is better than its order', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ api: { enabled: false }, replay: { intrabar: 'adverse' }, bots: [{ id: 'vol', dnPair: { mode: 'volume' } }] }));
    const db = join(dir, 'r.db');
    const s = summaryOf(await runCli(['replay', '--config', config, ...DATA, '--db', db, '--json', '--log-level', 'silent']));
    expect(s['fills']).toBeGreaterThan(0);
    const sql = new Database(db, { readonly: true });
    try {
      const rows = sql.prepare(`SELECT f.price, f.liquidity, o.side, o.price AS limit_price FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id`).all() as { price: number; liquidity: string; side: string; limit_price: number | null }[];
      for (const r of rows.filter((x) => x.liquidity === 'maker')) expect(r.price).toBe(r.limit_price);
    } finally {
      sql.close();
    }
  }, 120_000);
});

describe('results as a band (replay --paths, compare --paths)', () => {
  it('replays N bridge paths plus adverse on their own databases and reports the spread, reproducibly', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.json');
    const db = join(dir, 'never.db');
    writeFileSync(config, JSON.stringify({ db, api: { enabled: false }, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] }));
    const run = async (): Promise<Record<string, unknown>> => {
      const r = await runCli(['replay', '--config', config, ...DATA, '--paths', '2', '--seed', '11', '--json', '--log-level', 'silent']);
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(r.out).toHaveLength(1);
      return JSON.parse(r.out[0]!) as Record<string, unknown>;
    };
    const a = await run();
    const paths = a['paths'] as { label: string; pathSeed: number | null; netBpsPerVolume: number | null }[];
    expect(paths.map((p) => p.label)).toEqual(['bridge seed 11', 'bridge seed 12', 'adverse']);
    const band = a['band'] as { paths: number; min: number; median: number; max: number; nonNegativeShare: number };
    const nets = paths.map((p) => p.netBpsPerVolume!).sort((x, y) => x - y);
    expect(band).toMatchObject({ paths: 3, min: nets[0], median: nets[1], max: nets[2] });
    expect(paths[0]!.netBpsPerVolume).not.toBe(paths[1]!.netBpsPerVolume);
    expect(await run()).toEqual(a);
    const { existsSync } = await import('node:fs');
    expect(existsSync(db)).toBe(false);
  }, 180_000);

  it('compare --paths prints both bands; a bad --paths is a usage error', async () => {
    const dir = tempDir();
    const config = join(dir, 'c.json');
    writeFileSync(config, JSON.stringify({ api: { enabled: false }, bots: [{ id: 'vol', dnPair: { mode: 'volume' } }] }));
    const r = await runCli(['compare', ...DATA, '--a', config, '--b', config, '--paths', '1', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const bands = r.out.filter((l) => /^[AB] net bps per volume: min /.test(l));
    expect(bands).toHaveLength(2);
    expect(bands[0]!.slice(1)).toBe(bands[1]!.slice(1));
    expect((await runCli(['replay', ...DATA, '--paths', '0'])).code).toBe(2);
  }, 180_000);
});
