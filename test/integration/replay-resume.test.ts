import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { runCli, tempDir } from './cli-harness.js';
import { committedCopy } from '../support/committed-copy.js';
import { wrappedSource } from '../support/wrapped-source.js';

/** Eight hours of real ETH/SOL candles kept in the repository: 240 warm up, 240 are replayed. */
const FIX = resolve(import.meta.dirname, '../fixtures/candles');
const DATA = ['--data', join(FIX, 'ETH_USDT-1m.csv'), '--data', join(FIX, 'SOL_USDT-1m.csv')];
const FIRST_REPLAYED = 1_620_000_000_000 + 240 * 60_000;

function setup(replay: Record<string, unknown> = {}): { config: string; db: string } {
  const dir = tempDir();
  const config = join(dir, 'c.json');
  writeFileSync(config, JSON.stringify({ api: { enabled: false }, replay, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] }));
  return { config, db: join(dir, 'r.db') };
}

const replay = (config: string, db: string, ...extra: string[]): ReturnType<typeof runCli> =>
  runCli(['replay', '--config', config, ...DATA, '--seed', '7', '--db', db, '--json', '--log-level', 'silent', ...extra]);

interface OrderRow {
  client_order_id: string;
  created_ts: number;
  updated_ts: number;
}

function ordersInWriteOrder(db: string): OrderRow[] {
  const sql = new Database(db, { readonly: true });
  try {
    return sql.prepare('SELECT client_order_id, created_ts, updated_ts FROM orders ORDER BY rowid').all() as OrderRow[];
  } finally {
    sql.close();
  }
}

describe('a replay into a database it already used never goes back in market time', () => {
  it('a replay cut short and run again resumes after the latest stamp: orders are created in time order and never updated before they were created', async () => {
    const { config, db } = setup();
    const first = await replay(config, db, '--duration', '1h');
    expect(first.code, first.err.join('\n')).toBe(0);
    const before = ordersInWriteOrder(db);
    expect(before.length).toBeGreaterThan(0);
    const floor = Math.max(...before.map((o) => Math.max(o.created_ts, o.updated_ts)));
    expect(floor).toBeLessThan(FIRST_REPLAYED + 2 * 60 * 60_000);

    const second = await replay(config, db);
    expect(second.code, second.err.join('\n')).toBe(0);
    const orders = ordersInWriteOrder(db);
    expect(orders.length).toBeGreaterThan(before.length);
    for (let i = 1; i < orders.length; i++) expect(orders[i]!.created_ts, orders[i]!.client_order_id).toBeGreaterThanOrEqual(orders[i - 1]!.created_ts);
    for (const o of orders) expect(o.updated_ts, o.client_order_id).toBeGreaterThanOrEqual(o.created_ts);
    // The second run's orders all come after the first run's latest stamp.
    for (const o of orders.slice(before.length)) expect(o.created_ts).toBeGreaterThan(floor);
    const sql = new Database(db, { readonly: true });
    try {
      const ev = sql.prepare("SELECT data FROM events WHERE kind = 'replay_resumed'").all() as { data: string }[];
      expect(ev).toHaveLength(1);
      expect(Date.parse((JSON.parse(ev[0]!.data) as { from: string }).from)).toBeGreaterThan(floor);
    } finally {
      sql.close();
    }
  }, 180_000);

  it('a replay of a range the database already covers, or of an earlier one, exits 2 naming --db and the stored time', async () => {
    const { config, db } = setup();
    expect((await replay(config, db)).code).toBe(0);
    const written = ordersInWriteOrder(db);
    const again = await replay(config, db);
    expect(again.code).toBe(2);
    const msg = again.err.join('\n');
    expect(msg).toContain('--db');
    expect(msg).toContain(db);
    expect(msg).toMatch(/new --db/);
    expect(msg).not.toMatch(/\n\s+at /);

    const earlier = setup({ to: FIRST_REPLAYED + 60 * 60_000 });
    const r = await replay(earlier.config, db);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--db');
    // Nothing was written by the refused runs.
    expect(ordersInWriteOrder(db)).toEqual(written);
  }, 180_000);

  it('a replay killed mid-run (its committed state copied at that instant) restarts after the latest stamp, not at its first candle', async () => {
    const dir = tempDir();
    const db = join(dir, 'run.db');
    const killed = join(dir, 'killed.db');
    const raw = { venue: 'replay', mode: 'replay', db, seed: 7, run: { speed: 'max' }, api: { enabled: false }, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] };
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ api: raw.api, bots: raw.bots }));
    const inputs = [{ path: join(FIX, 'ETH_USDT-1m.csv') }, { path: join(FIX, 'SOL_USDT-1m.csv') }];
    let stop = (): void => undefined;
    const first = await compose({
      config: parseConfig(raw),
      logger: silentLogger,
      wall: new LiveClock(),
      replay: inputs,
      wrapSource: (src: MarketDataSource): MarketDataSource => {
        let n = 0;
        return wrappedSource(src, (): MarketEvent | null => {
          // A batch boundary at event 2,500: a run commits its batch every 100 ms of wall time, and
          // this fixture can replay in less, so without it the copy could hold no order at all
          // (the orders go to the in-process paper venue and commit with their batch).
          if (++n === 2_500) first.store.batching.commit();
          // Event 3,000 is about a third of the way to the day's max_trades (reached near minute 79 of
          // the fixture): the restarted run has trading left to do, however far the kill's copy lags.
          if (n === 3_000) {
            committedCopy(db, killed);
            stop();
          }
          return src.next();
        });
      },
    });
    stop = () => first.runtime.requestStop();
    await first.runtime.run();
    first.store.close();
    const before = ordersInWriteOrder(killed);
    expect(before.length).toBeGreaterThan(0);

    const second = await runCli(['replay', ...DATA, '--config', join(dir, 'c.json'), '--seed', '7', '--db', killed, '--json', '--log-level', 'silent']);
    expect(second.code, second.err.join('\n')).toBe(0);
    const orders = ordersInWriteOrder(killed);
    expect(orders.length).toBeGreaterThan(before.length);
    for (let i = 1; i < orders.length; i++) expect(orders[i]!.created_ts, orders[i]!.client_order_id).toBeGreaterThanOrEqual(orders[i - 1]!.created_ts);
    for (const o of orders) expect(o.updated_ts, o.client_order_id).toBeGreaterThanOrEqual(o.created_ts);
  }, 180_000);
});
