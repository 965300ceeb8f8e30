import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Store } from '../../src/store/store.js';
import { runCli, tempDir } from './cli-harness.js';
import { SnapshotRepository } from '../../src/store/snapshot-repository.js';

const BOT = 'dn-eth-sol';
const configFor = (db: string, hours: number) =>
  parseConfig({ db, seed: 1, run: { speed: 'max', durationMs: hours * 3_600_000 }, api: { enabled: false } });

/** Runs the bot on `db` for `hours` of market time; `whileHeld` runs once it holds the database, before it trades. */
async function runBot(db: string, hours: number, whileHeld?: () => Promise<void>): Promise<void> {
  const c = await compose({ config: configFor(db, hours), logger: silentLogger, wall: new LiveClock() });
  try {
    await whileHeld?.();
    await c.runtime.run();
  } finally {
    c.store.close();
  }
}

interface Row {
  symbol: string;
  side: string;
  type: string;
  tif: string;
  size: number;
  filled: number;
  reduceOnly: number;
  pairId: string;
  clientOrderId: string;
}

function read(db: string) {
  const sql = new Database(db, { readonly: true });
  try {
    const manual = sql.prepare(`SELECT symbol, side, type, tif, size, filled_size AS filled, reduce_only AS reduceOnly, pair_id AS pairId, client_order_id AS clientOrderId FROM orders WHERE purpose = 'manual' ORDER BY created_ts, client_order_id`).all() as Row[];
    const requests = sql.prepare('SELECT id, status, pair_id AS pairId, outcome, targets FROM rebalance_requests ORDER BY id').all() as { id: number; status: string; pairId: string | null; outcome: string | null; targets: string }[];
    const started = (sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'rebalance_started'`).get() as { n: number }).n;
    const interventions = (sql.prepare(`SELECT COUNT(*) AS n FROM manual_interventions WHERE action = 'rebalance'`).get() as { n: number }).n;
    return { manual, requests, started, interventions };
  } finally {
    sql.close();
  }
}

function openPair(db: string): { id: string; long: string; short: string; sizes: Map<string, number> } {
  const sql = new Database(db, { readonly: true });
  try {
    const rt = sql.prepare(`SELECT id, long_symbol AS long, short_symbol AS short FROM round_trips WHERE status = 'open'`).get() as { id: string; long: string; short: string };
    const sizes = new Map((sql.prepare('SELECT symbol, size FROM positions WHERE bot_id = ?').all(BOT) as { symbol: string; size: number }[]).map((p) => [p.symbol, p.size]));
    return { ...rt, sizes };
  } finally {
    sql.close();
  }
}

/** Filled size of the manual (rebalance) orders per symbol. */
const filledBySymbol = (rows: readonly Row[]): Map<string, number> => rows.reduce((m, r) => m.set(r.symbol, (m.get(r.symbol) ?? 0) + r.filled), new Map<string, number>());

describe('dnbot rebalance (sending): queued for the running bot, worked through its order manager once', () => {
  // Three hours of seed 1 leave an open SOL/ETH pair of about $100 a leg on $10,000 of equity.
  const base = join(tempDir(), 'base.db');
  const ready = runBot(base, 3);

  it('on the simulated market: the planned reduction is sent as reduce-only limit orders (post-only, then IOC), exactly once, also across a restart', async () => {
    await ready;
    const db = join(tempDir(), 'send.db');
    copyFileSync(base, db);
    const before = openPair(db);
    expect(before.sizes.get(before.long)! > 0 && before.sizes.get(before.short)! < 0).toBe(true);
    // Half of each leg: $50 of equity each way.
    const target = `${before.long}=0.005,${before.short}=-0.005`;
    let queued: Awaited<ReturnType<typeof runCli>> | null = null;
    const bad: [string[], string][] = [];
    await runBot(db, 1, async () => {
      // Refused while the bot holds the database, each naming the field: one leg alone leaves the
      // pair outside its band, growth and flips are entries, unknown markets are unknown.
      for (const [args, field] of [
        [['--target', `${before.long}=0.005`], '--target'],
        [['--target', `${before.long}=0.05,${before.short}=-0.05`], `--target.`],
        [['--target', `${before.long}=-0.005,${before.short}=0.005`], `--target.`],
        [['--target', 'DOGE-PERP=0.01'], '--target.DOGE-PERP'],
        [['--target', `${before.long}`], '--target'],
        [['--target', `${before.long}=0.005`, '--bot', 'nobody'], '--bot'],
      ] as const) {
        const r = await runCli(['rebalance', '--db', db, ...args]);
        if (r.code !== 2 || !r.err.join('\n').includes(field)) bad.push([[...args], r.err.join('\n')]);
      }
      queued = await runCli(['rebalance', '--db', db, '--target', target]);
    });
    expect(bad).toEqual([]);
    expect(queued!.code, queued!.err.join('\n')).toBe(0);
    expect(queued!.out.at(-1)).toMatch(/^queued as rebalance #1: bot dn-eth-sol works it on pair /);

    const first = read(db);
    expect(first.requests).toHaveLength(1);
    expect(first.requests[0]!.status, first.requests[0]!.outcome ?? '').toBe('done');
    expect(first.requests[0]!.pairId).toBe(before.id);
    expect(first.started).toBe(1);
    expect(first.interventions).toBe(1);
    // Through the order manager: limit orders only (post-only, then IOC within the cap), reduce-only, on the pair.
    expect(first.manual.length).toBeGreaterThan(0);
    for (const o of first.manual) {
      expect(o.type).toBe('limit');
      expect(['POST_ONLY', 'IOC']).toContain(o.tif);
      expect(o.reduceOnly).toBe(1);
      expect(o.pairId).toBe(before.id);
    }
    expect(new Set(first.manual.map((o) => o.clientOrderId)).size).toBe(first.manual.length);
    // What filled is the planned trade: each leg from its size to the target, on the lot grid.
    const targets = JSON.parse(first.requests[0]!.targets) as Record<string, number>;
    const filled = filledBySymbol(first.manual);
    for (const s of [before.long, before.short]) {
      expect(filled.get(s)!).toBeCloseTo(Math.abs(before.sizes.get(s)!) - Math.abs(targets[s]!), 9);
    }

    // The pair's own executor leaves the resized pair alone: no trim (hedge) of it from the start
    // of the rebalance to ten minutes after it was done.
    const sql = new Database(db, { readonly: true });
    const span = sql.prepare(`SELECT MIN(ts) AS start, MAX(ts) AS done FROM events WHERE kind IN ('rebalance_started', 'rebalance_done')`).get() as { start: number; done: number };
    const trims = (sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE pair_id = ? AND purpose = 'hedge' AND created_ts BETWEEN ? AND ?`).get(before.id, span.start, span.done + 600_000) as { n: number }).n;
    sql.close();
    expect(span.done).toBeGreaterThan(span.start);
    expect(trims).toBe(0);

    // Visible where an operator looks.
    const status = await runCli(['status', '--db', db]);
    expect(status.out.join('\n')).toMatch(new RegExp(`rebalance #1 queued .*: DONE on ${before.id} to .*: legs now`));

    // A restart sends nothing more: the request was executed once.
    await runBot(db, 1);
    const second = read(db);
    expect(second.manual).toEqual(first.manual);
    expect(second.requests[0]!.status).toBe('done');
    expect(second.started).toBe(1);
    expect(second.interventions).toBe(1);
  }, 180_000);

  it('a request claimed by a bot that then died is taken up by the next start and sent once, to the same sizes', async () => {
    await ready;
    const db = join(tempDir(), 'crash.db');
    copyFileSync(base, db);
    const before = openPair(db);
    // Queued while a process holds the database, then claimed as a bot dying right after would leave it.
    const holder = Store.open(db);
    holder.acquireWriter(Date.now());
    // A bot that stopped cleanly is not run by whoever holds the database: refused naming --bot.
    const stopped = await runCli(['rebalance', '--db', db, '--target', `${before.long}=0.004,${before.short}=-0.004`]);
    expect([stopped.code, stopped.err.join('\n')]).toEqual([2, expect.stringMatching(/--bot: bot dn-eth-sol is stopped/)]);
    holder.db.prepare(`UPDATE bots SET status = 'starting'`).run(); // as the holder's start marks it
    try {
      // Delta-neutral already (inside the hedging band): nothing to send, nothing queued.
      const neutral = await runCli(['rebalance', '--db', db]);
      expect(neutral.code, neutral.err.join('\n')).toBe(0);
      expect(neutral.out).toContain('  no trades: the book is at target');
      expect(read(db).requests).toHaveLength(0);
      expect((await runCli(['rebalance', '--db', db, '--target', `${before.long}=0.004,${before.short}=-0.004`])).code).toBe(0);
    } finally {
      holder.close();
    }
    const sql = new Database(db);
    sql.prepare(`UPDATE rebalance_requests SET status = 'executing', pair_id = ? WHERE id = 1 AND status = 'pending'`).run(before.id);
    sql.close();
    expect(read(db).manual).toHaveLength(0);
    await runBot(db, 1);
    const after = read(db);
    expect(after.requests[0]!.status, after.requests[0]!.outcome ?? '').toBe('done');
    const targets = JSON.parse(after.requests[0]!.targets) as Record<string, number>;
    const filled = filledBySymbol(after.manual);
    for (const s of [before.long, before.short]) expect(filled.get(s)!).toBeCloseTo(Math.abs(before.sizes.get(s)!) - Math.abs(targets[s]!), 9);
    await runBot(db, 1);
    expect(read(db).manual).toEqual(after.manual);
  }, 180_000);

  it('with no bot running it says so (exit 2 naming --db) and queues nothing; a live venue needs --live', async () => {
    await ready;
    const db = join(tempDir(), 'idle.db');
    copyFileSync(base, db);
    const pair = openPair(db);
    const target = `${pair.long}=0.005,${pair.short}=-0.005`;
    const idle = await runCli(['rebalance', '--db', db, '--target', target]);
    expect(idle.code).toBe(2);
    expect(idle.err.join('\n')).toMatch(/--db: no bot is running on .*idle\.db/);
    expect(read(db).requests).toHaveLength(0);
    // The same book, as a live account on a real venue, held by a running process.
    const sql = new Database(db);
    for (const table of ['positions', 'instruments', 'market_marks']) sql.prepare(`UPDATE ${table} SET venue = 'drift'`).run();
    sql.prepare(`UPDATE bots SET venue = 'drift', status = 'starting'`).run();
    sql.close();
    const holder = Store.open(db);
    holder.acquireWriter(Date.now());
    try {
      const refused = await runCli(['rebalance', '--db', db, '--target', target]);
      expect(refused.code).toBe(2);
      expect(refused.err.join('\n')).toContain('--live');
      expect(read(db).requests).toHaveLength(0);
      // A ttl that is not a duration, or shorter than the bot's look at its queue: exit 2 naming --ttl.
      for (const ttl of ['soon', '1s', '-5m']) {
        const bad = await runCli(['rebalance', '--db', db, '--target', target, '--live', '--ttl', ttl]);
        expect([bad.code, bad.err.join('\n')]).toEqual([2, expect.stringContaining('--ttl')]);
      }
      expect(read(db).requests).toHaveLength(0);
      const confirmed = await runCli(['rebalance', '--db', db, '--target', target, '--live', '--ttl', '2m', '--json']);
      expect(confirmed.code, confirmed.err.join('\n')).toBe(0);
      expect(JSON.parse(confirmed.out[0]!) as { queued: number; ttlMs: number }).toMatchObject({ queued: 1, ttlMs: 120_000 });
      expect(read(db).requests.map((r) => r.status)).toEqual(['pending']);
      const rows = new Database(db, { readonly: true });
      expect(rows.prepare('SELECT ttl_ms AS ttl FROM rebalance_requests').all()).toEqual([{ ttl: 120_000 }]);
      rows.close();
    } finally {
      holder.close();
    }
  }, 180_000);

  it('targets are shares of the account\'s equity, which every bot on it records: a second bot does not double it', async () => {
    await ready;
    const db = join(tempDir(), 'two.db');
    copyFileSync(base, db);
    const pair = openPair(db);
    const dry = async () => JSON.parse((await runCli(['rebalance', '--db', db, '--dry-run', '--json', '--target', `${pair.long}=0.005,${pair.short}=-0.005`])).out[0]!) as { trades: unknown[] };
    const one = await dry();
    expect(one.trades.length).toBeGreaterThan(0);
    const sql = new Database(db);
    sql.prepare(`INSERT INTO bots (id, strategy, venue, status, created_ts, updated_ts) SELECT 'second', strategy, venue, 'stopped', created_ts, updated_ts FROM bots WHERE id = ?`).run(BOT);
    const snapshots = new SnapshotRepository(sql);
    snapshots.saveEquity({ ...snapshots.latestEquity(BOT)!, botId: 'second', netDelta: 0, grossNotional: 0 });
    sql.close();
    expect(await dry()).toEqual(one);
  }, 180_000);
});
