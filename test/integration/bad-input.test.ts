import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { openDatabase } from '../../src/store/database.js';
import { runCli, tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

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

describe('bad input a user or a hostile world gives exits 2 naming the field or path, without a stack trace', () => {
  const dir = tempDir();
  const file = (name: string, body: string | Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };
  const cfg = (name: string, body: unknown): string => file(name, JSON.stringify(body));
  const run = (...more: string[]): string[] => ['run', '--speed', 'max', '--duration', '1m', '--log-level', 'silent', ...more];
  // Databases that cannot be used.
  mkdirSync(join(dir, 'a-directory.db'));
  const notAFolder = file('plain-file', 'x');
  const corrupt = file('corrupt.db', Buffer.alloc(8192, 'garbage '));
  const full = openDatabase(join(dir, 'full.db'));
  full.exec('CREATE TABLE filler (x TEXT); INSERT INTO filler SELECT hex(randomblob(500)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) SELECT i FROM n);');
  full.pragma('wal_checkpoint(TRUNCATE)');
  full.close();
  const truncated = file('truncated.db', readFileSync(join(dir, 'full.db')).subarray(0, 10_000));
  const future = openDatabase(join(dir, 'future.db'));
  future.prepare("INSERT INTO schema_migrations (version, name, applied_ts) VALUES (999, 'from the future', 0)").run();
  future.close();
  const empty = join(dir, 'empty.db');
  openDatabase(empty).close();
  // A recording whose header would book fees as profit, and one whose tick would break rounding.
  const inst = { venue: 'nado', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.1, lotSize: 0.01, minSize: 0.01, minNotional: 1, maxLeverage: 20, makerFeeRate: 0.0001, takerFeeRate: 0.0004, initialMarginRatio: 0.05, maxLeverageNote: 'x', maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 };
  const recording = (name: string, over: Record<string, unknown>): string =>
    file(name, `${JSON.stringify({ format: 'dnbot-recording/1', venue: 'nado', startTs: 1, instruments: [{ ...inst, ...over }] })}\n${JSON.stringify({ ts: 2, kind: 'trade', trade: { symbol: 'ETH-PERP', price: 2000, size: 1, side: 'buy', ts: 2 } })}\n`);

  const cases: [string, string[], RegExp][] = [
    ['--db a directory', run('--db', join(dir, 'a-directory.db')), /--db: .*a-directory\.db is a directory/],
    ['--db under a file', run('--db', join(notAFolder, 'x.db')), /--db: .*plain-file\/x\.db: /],
    ['--db corrupt', run('--db', corrupt), /--db: .*corrupt\.db: not an SQLite database/],
    ['--db truncated', run('--db', truncated), /--db: .*truncated\.db: /],
    ['--db of a future schema', run('--db', join(dir, 'future.db')), /--db: .*future\.db: database schema version 999 is newer/],
    ['status on a corrupt --db', ['status', '--db', corrupt], /--db: .*corrupt\.db/],
    ['report --out into a missing folder', ['report', '--db', empty, '--out', join(dir, 'missing', 'r.html')], /--out: cannot write .*missing\/r\.html: its folder does not exist/],
    ['log.file unwritable', run('--db', join(dir, 'log.db'), '--config', cfg('log.json', { log: { file: join(dir, 'no-such-folder', 'dnbot.log') } })), /log\.file: cannot write .*no-such-folder/],
    ['recording with tickSize 0', ['replay', '--data', recording('tick0.jsonl', { tickSize: 0 }), '--db', join(dir, 'rec1.db'), '--log-level', 'silent'], /tick0\.jsonl:1: header instruments\.0\.tickSize/],
    ['recording with makerFeeRate -0.5', ['replay', '--data', recording('fee.jsonl', { makerFeeRate: -0.5 }), '--db', join(dir, 'rec2.db'), '--log-level', 'silent'], /fee\.jsonl:1: header instruments\.0\.makerFeeRate/],
    ['mode: 1', run('--db', join(dir, 'c1.db'), '--config', cfg('m1.json', { mode: 1 })), /^dnbot: mode: /],
    ['mode: null', run('--db', join(dir, 'c2.db'), '--config', cfg('m2.json', { mode: null })), /^dnbot: mode: /],
    ['venue: ["sim"]', run('--db', join(dir, 'c3.db'), '--config', cfg('v.json', { venue: ['sim'] })), /^dnbot: venue: /],
    ['run: []', run('--db', join(dir, 'c4.db'), '--config', cfg('r.json', { run: [] })), /^dnbot: run: /],
    ['paper.startingCollateral: 0', run('--db', join(dir, 'c5.db'), '--config', cfg('p.json', { paper: { startingCollateral: 0 } })), /paper\.startingCollateral/],
    ['risk.multiplier.max above its bound', run('--db', join(dir, 'c6.db'), '--config', cfg('rm.json', { risk: { multiplier: { max: 1e9 } } })), /risk\.multiplier\.max/],
  ];
  it.each(cases)('%s', async (_name, args, pattern) => {
    const r = await runCli(args);
    const err = r.err.join('\n');
    expect(r.code, err).toBe(2);
    expect(err).toMatch(pattern);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a real venue that cannot be reached: exit 1, what failed and a pointer to dnbot doctor, no stack trace (unless --verbose)', async () => {
    const offline = cfg('offline.json', { nado: { urls: { gateway: 'http://127.0.0.1:9/v1', gatewayV2: 'http://127.0.0.1:9/v2', archive: 'http://127.0.0.1:9/a', archiveV2: 'http://127.0.0.1:9/a2', trigger: 'http://127.0.0.1:9/t', subscribe: 'ws://127.0.0.1:9/s' } } });
    const r = await runCli(['run', '--venue', 'nado', '--config', offline, '--db', join(dir, 'offline.db'), '--duration', '1m', '--log-level', 'silent']);
    const err = r.err.join('\n');
    expect(r.code, err).toBe(1);
    expect(err).toMatch(/^dnbot: nado: could not open the venue: .+; run `dnbot doctor --venue nado`/);
    expect(err).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['run', '--venue', 'nado', '--config', offline, '--db', join(dir, 'offline.db'), '--duration', '1m', '--log-level', 'silent', '--verbose']);
    expect(verbose.code).toBe(1);
  }, 60_000);
});

describe('malformed market events', () => {
  it('are dropped and counted, never traded on', async () => {
    const db = join(tempDir(), 'garbage.db');
    const config = parseConfig({ db, seed: 3, run: { speed: 'max', durationMs: 2 * 3_600_000 } });
    let injected = 0;
    const poison = (s: MarketDataSource): MarketDataSource => {
      let n = 0;
      return wrappedSource(s, (): MarketEvent | null => {
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
      });
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
