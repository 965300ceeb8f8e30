/**
 * Crash soak: runs a paper bot, SIGKILLs it at random moments, restarts it on the same database,
 * and checks what a kill -9 must never break: every restart succeeds; positions equal the sum of
 * fills; the paper account's collateral equals start + realised − fees − funding; order and round
 * trip timestamps never go back; nothing is left in flight after a final clean run; SQLite's
 * integrity check passes. `npm run soak -- --kills 200` runs it at length; the integration test
 * runs a bounded version.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SeededRng } from '../../src/core/rng.js';

const BIN = fileURLToPath(new URL('../../bin/dnbot.js', import.meta.url));
const NON_TERMINAL = "('pending_submit','unknown','open','partially_filled','cancel_pending')";

/** One database under test: a config, the speed it runs at, and its starting collateral. */
export interface SoakScenario {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly speed: string;
  readonly startingCollateral: number;
}

export const SOAK_SCENARIOS: readonly SoakScenario[] = [
  {
    name: 'volume-600x',
    speed: '600',
    startingCollateral: 10_000,
    config: {
      api: { enabled: false },
      phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1_000_000 } },
      bots: [{ id: 'vol', strategy: 'dn-pair', baseNotionalUsd: 500, dnPair: { legA: 'ETH-PERP', legB: 'SOL-PERP', mode: 'volume' } }],
    },
  },
  {
    name: 'default-max',
    speed: 'max',
    startingCollateral: 10_000,
    config: { api: { enabled: false } },
  },
];

export interface SoakOptions {
  /** SIGKILLs in all, shared out across the scenarios. */
  readonly kills: number;
  readonly seed?: number;
  /** Longest a child lives after it holds the database before it is killed (ms). */
  readonly maxLifeMs?: number;
  readonly dir?: string;
  readonly scenarios?: readonly SoakScenario[];
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly kills: number;
  readonly restarts: number;
  /** Every broken invariant, in words; empty when the soak passed. */
  readonly failures: string[];
  readonly databases: string[];
}

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function holdsLock(db: string, pid: number): boolean {
  try {
    const sql = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const r = sql.prepare('SELECT pid FROM writer_lock WHERE id = 1').get() as { pid: number } | undefined;
      return r?.pid === pid;
    } finally {
      sql.close();
    }
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `dnbot run` on `db`; kills it `killAfterMs` after it holds the database (null: let it finish). */
async function runChild(args: readonly string[], db: string, killAfterMs: number | null): Promise<ChildResult & { killed: boolean }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += d.toString();
  });
  let done = false;
  const exited = new Promise<ChildResult>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal, stderr });
    }),
  );
  let killed = false;
  if (killAfterMs !== null) {
    const deadline = Date.now() + 120_000;
    while (!done && Date.now() < deadline && !holdsLock(db, child.pid!)) await sleep(20);
    if (!done) {
      await Promise.race([sleep(killAfterMs), exited]);
      if (!done) {
        killed = child.kill('SIGKILL');
      }
    }
  }
  const r = await exited;
  return { ...r, killed };
}

/** Every invariant a crash must not break, read from the database; returns what is broken. */
export function checkDatabase(db: string, scenario: SoakScenario): string[] {
  const bad: string[] = [];
  const sql = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const integrity = (sql.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
    if (integrity !== 'ok') bad.push(`integrity_check: ${integrity}`);
    // Positions = the signed sum of fills, per bot and symbol.
    const fromFills = sql
      .prepare(
        `SELECT o.bot_id AS bot, f.venue AS venue, f.symbol AS symbol, SUM(CASE f.side WHEN 'buy' THEN f.size ELSE -f.size END) AS s
         FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id GROUP BY o.bot_id, f.venue, f.symbol`,
      )
      .all() as { bot: string; venue: string; symbol: string; s: number }[];
    const positions = new Map(
      (sql.prepare('SELECT bot_id, venue, symbol, size FROM positions').all() as { bot_id: string; venue: string; symbol: string; size: number }[]).map((p) => [`${p.bot_id}/${p.venue}/${p.symbol}`, p.size]),
    );
    for (const f of fromFills) {
      const held = positions.get(`${f.bot}/${f.venue}/${f.symbol}`) ?? 0;
      if (Math.abs(held - f.s) > 1e-6) bad.push(`position ${f.bot} ${f.symbol}: ledger ${held}, fills ${f.s}`);
    }
    // Collateral identity of the paper account.
    const acct = sql.prepare("SELECT collateral, funding_paid FROM paper_accounts WHERE venue = 'sim'").get() as { collateral: number; funding_paid: number } | undefined;
    const sums = sql.prepare('SELECT COALESCE(SUM(realized_pnl), 0) AS realised, COALESCE(SUM(fees_usd), 0) AS fees FROM daily_volume').get() as { realised: number; fees: number };
    const fillFees = (sql.prepare('SELECT COALESCE(SUM(fee), 0) AS f FROM fills').get() as { f: number }).f;
    if (Math.abs(fillFees - sums.fees) > 1e-6) bad.push(`fees: fills ${fillFees}, daily volume ${sums.fees}`);
    if (acct) {
      const expected = scenario.startingCollateral + sums.realised - fillFees - acct.funding_paid;
      if (Math.abs(acct.collateral - expected) > 1e-6) {
        bad.push(`collateral ${acct.collateral} ≠ start ${scenario.startingCollateral} + realised ${sums.realised} − fees ${fillFees} − funding ${acct.funding_paid} = ${expected}`);
      }
    } else if (fillFees > 0) bad.push('fills booked but no paper account saved');
    // Time never goes back: orders in insertion order, each order's own stamps, round trips.
    const backOrders = sql
      .prepare('SELECT COUNT(*) AS n FROM (SELECT created_ts, LAG(created_ts) OVER (ORDER BY rowid) AS prev FROM orders) WHERE created_ts < prev')
      .get() as { n: number };
    if (backOrders.n > 0) bad.push(`${backOrders.n} orders created before the order written ahead of them`);
    const updatedBefore = sql.prepare('SELECT COUNT(*) AS n FROM orders WHERE updated_ts < created_ts').get() as { n: number };
    if (updatedBefore.n > 0) bad.push(`${updatedBefore.n} orders updated before they were created`);
    const rtBack = sql.prepare('SELECT COUNT(*) AS n FROM round_trips WHERE open_ts < entry_ts OR exit_ts < entry_ts OR exit_ts < open_ts OR updated_ts < entry_ts').get() as { n: number };
    if (rtBack.n > 0) bad.push(`${rtBack.n} round trips stamped out of order (exit or open before entry)`);
    const rtSeq = sql
      .prepare('SELECT COUNT(*) AS n FROM (SELECT entry_ts, LAG(entry_ts) OVER (PARTITION BY bot_id ORDER BY rowid) AS prev FROM round_trips) WHERE entry_ts < prev')
      .get() as { n: number };
    if (rtSeq.n > 0) bad.push(`${rtSeq.n} round trips entered before the one ahead of them`);
    const fillsBefore = sql.prepare('SELECT COUNT(*) AS n FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE f.ts < o.created_ts').get() as { n: number };
    if (fillsBefore.n > 0) bad.push(`${fillsBefore.n} fills before their order was created`);
    // After the final clean run: nothing in flight, no pair stuck half-way behind the current one.
    const stuck = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE status IN ${NON_TERMINAL}`).get() as { n: number };
    if (stuck.n > 0) bad.push(`${stuck.n} orders left non-terminal after a clean shutdown`);
    const stuckPairs = sql
      .prepare(
        `SELECT id, status FROM round_trips r WHERE status IN ('entering','open','exiting')
           AND rowid < (SELECT MAX(rowid) FROM round_trips WHERE bot_id = r.bot_id)`,
      )
      .all() as { id: string; status: string }[];
    for (const p of stuckPairs) bad.push(`pair ${p.id} left ${p.status} behind a newer pair`);
    const lock = sql.prepare('SELECT COUNT(*) AS n FROM writer_lock').get() as { n: number };
    if (lock.n > 0) bad.push('writer lock still held after a clean shutdown');
  } finally {
    sql.close();
  }
  return bad;
}

/** Runs the soak; never throws for a broken invariant (it is in `failures`). */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const rng = new SeededRng(o.seed ?? 1);
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'dnbot-soak-'));
  const scenarios = o.scenarios ?? SOAK_SCENARIOS;
  const maxLife = o.maxLifeMs ?? 1_500;
  const log = o.log ?? (() => undefined);
  const failures: string[] = [];
  const databases: string[] = [];
  let kills = 0;
  let restarts = 0;
  for (const [i, sc] of scenarios.entries()) {
    const db = join(dir, `${sc.name}.db`);
    const config = join(dir, `${sc.name}.json`);
    writeFileSync(config, JSON.stringify(sc.config));
    databases.push(db);
    const share = Math.floor(o.kills / scenarios.length) + (i < o.kills % scenarios.length ? 1 : 0);
    const args = ['run', '--config', config, '--db', db, '--speed', sc.speed, '--duration', '30d', '--seed', String((o.seed ?? 1) + i), '--log-level', 'error'];
    for (let k = 0; k < share; k++) {
      const r = await runChild(args, db, Math.floor(rng.next() * maxLife));
      if (k > 0 || r.killed) restarts++;
      if (r.killed) kills++;
      else if (r.code !== 0) failures.push(`${sc.name}: start ${k + 1} exited ${r.code ?? r.signal} before it was killed: ${r.stderr.trim().slice(-600)}`);
      log(`${sc.name}: kill ${k + 1}/${share}${r.killed ? '' : ` (exited ${r.code})`}`);
    }
    // A final clean run on the same database: must start, settle what the kills left, and stop cleanly.
    const last = await runChild(['run', '--config', config, '--db', db, '--speed', 'max', '--duration', '2h', '--seed', String((o.seed ?? 1) + i), '--log-level', 'error'], db, null);
    restarts++;
    if (last.code !== 0) failures.push(`${sc.name}: final clean run exited ${last.code ?? last.signal}: ${last.stderr.trim().slice(-600)}`);
    for (const f of checkDatabase(db, sc)) failures.push(`${sc.name}: ${f}`);
  }
  return { kills, restarts, failures, databases };
}
