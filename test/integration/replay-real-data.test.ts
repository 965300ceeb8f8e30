import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(join(DATA, 'ETH_USDT-1m.json'));
if (!present) console.warn(`skipping real-data replay: ${DATA} not found (../shared beside the checkout)`);

describe.skipIf(!present)('replay of real ETH/SOL candles (Binance 2021)', () => {
  it('runs the bot over recorded data and books fills only from candles that traded through', async () => {
    const dir = tempDir();
    const db = join(dir, 'replay.db');
    const args = ['replay', '--data', join(DATA, 'ETH_USDT-1m.json'), '--data', join(DATA, 'SOL_USDT-1m.json'), '--duration', '2d', '--db', db, '--json', '--log-level', 'silent'];
    const a = summaryOf(await runCli(args));
    expect(a['marketStart']).toBe('2021-04-02T04:00:00.000Z');
    expect(a['eventsProcessed']).toBeGreaterThan(2 * 1440 * 4 * 2 * 3 * 0.9);
    expect(a['fills']).toBeGreaterThan(0);
    const sql = new Database(db, { readonly: true });
    // Replayed fills stay inside the recorded range of their minute (never a better price than printed).
    const eth = JSON.parse((await import('node:fs')).readFileSync(join(DATA, 'ETH_USDT-1m.json'), 'utf8')) as number[][];
    const byMinute = new Map(eth.map((c) => [c[0]!, c]));
    for (const f of sql.prepare(`SELECT price, ts FROM fills WHERE symbol = 'ETH-PERP'`).all() as { price: number; ts: number }[]) {
      const c = byMinute.get(Math.floor(f.ts / 60_000) * 60_000)!;
      expect(f.price).toBeGreaterThanOrEqual(c[3]! * 0.999);
      expect(f.price).toBeLessThanOrEqual(c[2]! * 1.001);
    }
    sql.close();
    // Same data, same summary.
    const b = summaryOf(await runCli([...args.slice(0, -5), '--db', join(dir, 'replay2.db'), '--json', '--log-level', 'silent']));
    const { wallSeconds: _a, ...ra } = a;
    const { wallSeconds: _b, ...rb } = b;
    expect(rb).toEqual(ra);
  });
});
