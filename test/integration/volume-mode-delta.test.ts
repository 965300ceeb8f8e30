import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pairTolerance } from '../../src/hedging/pair-imbalance.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';
import { equityRows } from '../support/equity-rows.js';

const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(join(DATA, 'ETH_USDT-1m.json'));
if (!present) console.warn(`skipping volume-mode replay: ${DATA} not found (../shared beside the checkout)`);

interface Pair {
  id: string;
  target_notional: number;
  entry_ts: number;
  open_ts: number | null;
  exit_ts: number | null;
  status: string;
}

describe.skipIf(!present)('volume mode on real ETH/SOL candles', () => {
  it('cycles post-only pairs and keeps |net delta| within the pair tolerance whenever no pair is being entered or exited', async () => {
    const dir = tempDir();
    const db = join(dir, 'volume.db');
    const config = join(dir, 'volume.json');
    writeFileSync(
      config,
      JSON.stringify({
        api: { enabled: false },
        replay: { from: '2021-04-10', to: '2021-04-12' },
        bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }],
      }),
    );
    const s = summaryOf(await runCli(['replay', '--config', config, '--data', join(DATA, 'ETH_USDT-1m.json'), '--data', join(DATA, 'SOL_USDT-1m.json'), '--db', db, '--json', '--log-level', 'silent']));
    expect(s['marketStart']).toBe('2021-04-10T00:00:00.000Z');
    const sql = new Database(db, { readonly: true });
    try {
      const pairs = sql.prepare(`SELECT id, target_notional, entry_ts, open_ts, exit_ts, status FROM round_trips WHERE bot_id = 'vol' ORDER BY entry_ts`).all() as Pair[];
      const closed = pairs.filter((p) => p.status === 'closed');
      // Phase 1 allows 40 trades a UTC day (seed 003), a trade being a pair leg opened or closed:
      // 10 round trips a day, so the two days cycle to that cap.
      expect(closed.length).toBeGreaterThanOrEqual(20);
      // Post-only entries on both legs, sliced: more entry orders than legs of pairs.
      const entries = sql.prepare(`SELECT COUNT(*) AS n, SUM(tif = 'POST_ONLY') AS po FROM orders WHERE bot_id = 'vol' AND purpose = 'entry'`).get() as { n: number; po: number };
      expect(entries.po).toBe(entries.n);
      expect(entries.n).toBeGreaterThan(2 * pairs.length);
      // Stops at the phase's daily volume target like everything else ($20,000 + the last cycle in flight).
      for (const d of sql.prepare(`SELECT volume_usd FROM daily_volume WHERE bot_id = 'vol'`).all() as { volume_usd: number }[]) expect(d.volume_usd).toBeLessThan(20_000 + 2_500);
      const exiting = new Map((sql.prepare(`SELECT ts, data FROM events WHERE kind = 'pair_exiting'`).all() as { ts: number; data: string }[]).map((e) => [JSON.parse(e.data).pairId as string, e.ts]));
      const settled = (ts: number): Pair | 'flat' | null => {
        const p = pairs.find((x) => x.entry_ts <= ts && (x.exit_ts === null || x.exit_ts >= ts));
        if (!p) return 'flat';
        const exitStart = exiting.get(p.id) ?? p.exit_ts ?? Number.POSITIVE_INFINITY;
        return p.open_ts !== null && p.open_ts < ts && ts < exitStart ? p : null;
      };
      const snaps = equityRows(sql).filter((r) => r.botId === 'vol');
      let checked = 0;
      for (const snap of snaps) {
        const p = settled(snap.ts);
        if (p === null) continue;
        checked++;
        const tol = p === 'flat' ? 1e-6 : pairTolerance(p.target_notional, 0.1, 10);
        expect(Math.abs(snap.netDelta), `net delta at ${new Date(snap.ts).toISOString()}`).toBeLessThanOrEqual(tol + 1e-6);
      }
      expect(checked).toBeGreaterThan(snaps.length / 2);
      // Over the whole replay (legging included), the time-weighted |net delta| from fills stays inside one pair's tolerance.
      expect((s['neutrality'] as unknown as { twAbsNetDeltaUsd: number }).twAbsNetDeltaUsd).toBeLessThan(pairTolerance(500, 0.1, 10));
    } finally {
      sql.close();
    }
  }, 60_000);
});
