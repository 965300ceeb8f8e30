import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { runCli, tempDir } from './cli-harness.js';

describe('bad flags and config exit 2 naming the field', () => {
  const dir = tempDir();
  const cfg = (name: string, body: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
    return p;
  };
  const cases: [string, string[], RegExp][] = [
    ['speed', ['run', '--speed', 'fast'], /--speed/],
    ['zero speed', ['run', '--speed', '0'], /--speed/],
    ['duration', ['run', '--duration', 'soon'], /--duration/],
    ['seed', ['run', '--seed', '-3'], /--seed/],
    ['venue', ['run', '--venue', 'binance'], /binance|venue/i],
    ['unknown flag', ['run', '--turbo'], /turbo/],
    ['missing config file', ['run', '--config', join(dir, 'nope.json')], /--config/],
    ['config not JSON', ['run', '--config', cfg('broken.json', '{ nope')], /--config/],
    ['prohibited leverage', ['run', '--config', cfg('lev50.json', { phases: { 1: { leverage: 50 } } })], /phases\.1\.leverage.*prohibited/],
    ['above hard cap', ['run', '--config', cfg('lev25.json', { phases: { 4: { leverage: 25 } } })], /phases\.4\.leverage/],
    ['unknown key', ['run', '--config', cfg('typo.json', { execution: { maxSlipageBps: 5 } })], /execution\.maxSlipageBps/],
    ['wrong type', ['run', '--config', cfg('type.json', { bots: [{ baseNotionalUsd: 'lots' }] })], /bots\.0\.baseNotionalUsd/],
    ['unknown leg', ['run', '--config', cfg('leg.json', { bots: [{ dnPair: { legA: 'DOGE-PERP' } }] })], /bots\.0\.dnPair\.legA/],
    ['bad thresholds', ['run', '--config', cfg('z.json', { bots: [{ dnPair: { entryZ: 5, stopZ: 4 } }] })], /entryZ/],
    ['replay without data', ['replay'], /--data/],
    ['replay missing file', ['replay', '--data', join(dir, 'ETH.csv'), '--data', join(dir, 'SOL.csv')], /ETH\.csv/],
    ['orders without db', ['orders', '--db', join(dir, 'none.db')], /--db/],
    ['orders bad status', ['orders', '--db', join(dir, 'none.db'), '--status', 'done'], /--status/],
  ];
  it.each(cases)('%s', async (_name, args, pattern) => {
    const extra = args[0] === 'run' || args[0] === 'replay' ? ['--db', join(dir, 'never.db')] : [];
    const r = await runCli([...args, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(pattern);
    expect(r.out.filter((l) => l.startsWith('{'))).toEqual([]);
  });

  it('--help works on every command and exits 0', async () => {
    for (const cmd of [[], ['run'], ['replay'], ['orders'], ['status']]) {
      const r = await runCli([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out.join('\n')).toMatch(/Usage: dnbot/);
    }
  });
});

describe('malformed market events', () => {
  it('are dropped and counted, never traded on', async () => {
    const db = join(tempDir(), 'garbage.db');
    const config = parseConfig({ db, seed: 3, run: { speed: 'max', durationMs: 2 * 3_600_000 } });
    let injected = 0;
    const poison = (s: MarketDataSource): MarketDataSource => {
      let n = 0;
      return {
        instruments: s.instruments,
        startTs: s.startTs,
        history: (sym, bars) => s.history(sym, bars),
        next: (): MarketEvent | null => {
          const ev = s.next();
          if (!ev || ++n % 500 !== 0) return ev;
          injected++;
          const bad: MarketEvent[] = [
            { kind: 'trade', ts: ev.ts, trade: { symbol: 'ETH-PERP', ts: ev.ts, price: Number.NaN, size: 1, aggressor: 'sell', tradeId: `bad-${n}` } },
            { kind: 'book', ts: ev.ts, book: { symbol: 'SOL-PERP', ts: ev.ts, seq: 0, bids: [{ price: 0, size: 5 }], asks: [{ price: 150, size: 5 }] } },
            { kind: 'book', ts: ev.ts, book: { symbol: 'ETH-PERP', ts: ev.ts, seq: 0, bids: [{ price: 3100, size: 5 }], asks: [{ price: 3000, size: 5 }] } },
            { kind: 'mark', ts: ev.ts, mark: { symbol: 'ETH-PERP', ts: ev.ts, markPrice: -1, fundingRate: 0 } },
            { kind: 'trade', ts: ev.ts, trade: { symbol: 'SOL-PERP', ts: ev.ts, price: 150, size: Number.POSITIVE_INFINITY, aggressor: 'buy', tradeId: `bad-${n}` } },
          ];
          return bad[injected % bad.length]!;
        },
      };
    };
    const c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: poison });
    await c.runtime.run();
    expect(injected).toBeGreaterThan(50);
    expect(c.runtime.guard.dropped).toBe(injected);
    expect(Object.keys(c.runtime.guard.reasons()).length).toBeGreaterThanOrEqual(4);
    c.store.close();
    const sql = new Database(db, { readonly: true });
    const orders = sql.prepare('SELECT price, size FROM orders').all() as { price: number | null; size: number }[];
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(Number.isFinite(o.size) && o.size > 0).toBe(true);
      if (o.price !== null) expect(Number.isFinite(o.price) && o.price > 0).toBe(true);
    }
    const fills = sql.prepare('SELECT price FROM fills').all() as { price: number }[];
    for (const f of fills) expect(f.price).toBeGreaterThan(100);
    sql.close();
  });
});
