import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(join(DATA, 'ETH_USDT-1m.json'));
if (!present) console.warn(`skipping volume-mode exits: ${DATA} not found (../shared beside the checkout)`);

const EXIT_TIMEOUT_MS = 30_000;

/** Per pair: the largest gap between two consecutive post-only exit orders of one leg. */
async function exitGaps(exitReposts: number): Promise<{ gaps: number[]; takerExits: number }> {
  const dir = tempDir();
  const config = join(dir, 'c.json');
  writeFileSync(config, JSON.stringify({ api: { enabled: false }, replay: { from: '2021-04-14', to: '2021-04-15' }, bots: [{ id: 'vol', dnPair: { mode: 'volume', volume: { exitReposts } } }] }));
  const db = join(dir, 'v.db');
  summaryOf(await runCli(['replay', '--config', config, '--data', join(DATA, 'ETH_USDT-1m.json'), '--data', join(DATA, 'SOL_USDT-1m.json'), '--db', db, '--json', '--log-level', 'silent']));
  const sql = new Database(db, { readonly: true });
  try {
    const rows = sql.prepare(`SELECT pair_id AS pair, symbol, created_ts AS ts FROM orders WHERE purpose = 'exit' AND tif = 'POST_ONLY' ORDER BY pair_id, symbol, created_ts`).all() as { pair: string; symbol: string; ts: number }[];
    const gaps: number[] = [];
    for (let k = 1; k < rows.length; k++) {
      const a = rows[k - 1]!;
      const b = rows[k]!;
      if (a.pair === b.pair && a.symbol === b.symbol) gaps.push(b.ts - a.ts);
    }
    const takerExits = (sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'exit' AND tif = 'IOC'`).get() as { n: number }).n;
    return { gaps, takerExits };
  } finally {
    sql.close();
  }
}

describe.skipIf(!present)('volume mode exits', () => {
  it('re-posts unfilled post-only exits after the exit timeout only when exitReposts > 0', async () => {
    const none = await exitGaps(0);
    const one = await exitGaps(1);
    // Without re-posts, a timed-out post-only exit goes to IOC: no second post-only round a timeout later.
    expect(none.gaps.filter((g) => g >= EXIT_TIMEOUT_MS)).toHaveLength(0);
    expect(none.takerExits).toBeGreaterThan(0);
    // With one re-post, some exits are posted again at the new touch a timeout later.
    expect(one.gaps.filter((g) => g >= EXIT_TIMEOUT_MS).length).toBeGreaterThan(0);
  }, 60_000);
});
