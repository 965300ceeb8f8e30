import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SizingStepRepository } from '../../src/store/sizing-step-repository.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

// A small account so the leverage cap binds: 150 × 5 × 0.8 / 2 = $300 per leg < $500 base.
const COLLATERAL = 150;
const PER_LEG_CAP = (COLLATERAL * 5 * 0.8) / 2;

describe('6-hour simulated paper run at max speed', () => {
  const dir = tempDir();
  const db = join(dir, 'run.db');
  let summary: Record<string, number | string | null>;
  let sql: Database.Database;

  beforeAll(async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ paper: { startingCollateral: COLLATERAL }, bots: [{ id: 'dn-eth-sol', baseNotionalUsd: 500 }] }));
    const r = await runCli(['run', '--config', config, '--speed', 'max', '--duration', '6h', '--seed', '7', '--db', db, '--json', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    summary = summaryOf(r);
    sql = new Database(db, { readonly: true });
  });

  it('prints every summary field', () => {
    for (const k of ['orders', 'fills', 'roundTrips', 'volumeUsd', 'feesUsd', 'realizedPnlUsd', 'endingEquityUsd', 'maxAbsNetDeltaUsd', 'maxGrossNotionalUsd', 'eventsProcessed', 'wallSeconds']) {
      expect(summary, k).toHaveProperty(k);
    }
    expect(summary['roundTrips']).toBeGreaterThanOrEqual(2);
    expect(summary['fills']).toBeGreaterThanOrEqual(8);
  });

  it('breaks the run down into costs that sum to its change in equity', () => {
    const c = summary['costs'] as unknown as Record<string, number>;
    const terms = ['feesMakerUsd', 'feesTakerUsd', 'takerSpreadUsd', 'makerSpreadUsd', 'makerAdverseUsd', 'hedgeUsd', 'fundingUsd', 'marketMoveUsd'].reduce((a, k) => a + c[k]!, 0);
    expect(c['netPnlUsd']).toBeCloseTo(terms, 6);
    // Independent of the breakdown: the paper account's equity before and after (rounded to cents).
    expect(Math.abs(c['netPnlUsd']! - ((summary['endingEquityUsd'] as number) - (summary['startingEquityUsd'] as number)))).toBeLessThan(0.011);
    expect(c['feesMakerUsd']! + c['feesTakerUsd']!).toBeCloseTo(-(summary['feesUsd'] as number), 1);
  });

  it('attaches every fill to an order of ours', () => {
    const orphans = sql.prepare('SELECT COUNT(*) AS n FROM fills f LEFT JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.client_order_id IS NULL').get() as { n: number };
    expect(orphans.n).toBe(0);
    const overfilled = sql.prepare('SELECT COUNT(*) AS n FROM orders o WHERE filled_size > size + 1e-9').get() as { n: number };
    expect(overfilled.n).toBe(0);
    const mismatch = sql
      .prepare('SELECT o.client_order_id FROM orders o JOIN (SELECT client_order_id, SUM(size) s FROM fills GROUP BY client_order_id) f ON f.client_order_id = o.client_order_id WHERE ABS(f.s - o.filled_size) > 1e-9')
      .all();
    expect(mismatch).toEqual([]);
  });

  it('keeps positions equal to the signed sum of fills', () => {
    const fromFills = sql
      .prepare(`SELECT f.symbol, SUM(CASE f.side WHEN 'buy' THEN f.size ELSE -f.size END) AS s FROM fills f GROUP BY f.symbol`)
      .all() as { symbol: string; s: number }[];
    const positions = new Map((sql.prepare('SELECT symbol, SUM(size) AS s FROM positions GROUP BY symbol').all() as { symbol: string; s: number }[]).map((r) => [r.symbol, r.s]));
    expect(fromFills.length).toBeGreaterThan(0);
    for (const r of fromFills) expect(positions.get(r.symbol) ?? 0).toBeCloseTo(r.s, 9);
  });

  it('never sends an entry larger than the leverage cap allows', () => {
    // Each distinct sizing step is stored once in sizing_steps; an order lists the ids of its own.
    const steps = new SizingStepRepository(sql);
    const entries = (sql.prepare(`SELECT size, price, trace_steps FROM orders WHERE purpose = 'entry'`).all() as { size: number; price: number; trace_steps: Buffer }[])
      .map((r) => ({ ...r, trace: steps.resolve(r.trace_steps) }));
    expect(entries.length).toBeGreaterThan(0);
    let capped = 0;
    for (const e of entries) {
      // Collateral only shrinks the cap further when the account loses; the starting cap bounds every entry.
      expect(e.size * e.price).toBeLessThanOrEqual(PER_LEG_CAP * 1.05);
      if (e.trace.some((s) => s.step.startsWith('leverage_cap') && s.output < s.input)) capped++;
    }
    expect(capped).toBe(entries.length);
  });

  it('brings net delta back within tolerance each time a pair opens (after any repair)', () => {
    const opens = (sql.prepare(`SELECT data FROM events WHERE kind = 'pair_open'`).all() as { data: string }[]).map((r) => JSON.parse(r.data) as { netDelta: number; tolerance: number });
    expect(opens.length).toBeGreaterThan(0);
    for (const o of opens) expect(Math.abs(o.netDelta)).toBeLessThanOrEqual(o.tolerance);
    expect(sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'pair_repair_failed'`).get()).toEqual({ n: 0 });
  });

  it('counts fees, and the account reflects them', () => {
    const fees = (sql.prepare('SELECT SUM(fee) AS f FROM fills').get() as { f: number }).f;
    expect(fees).toBeGreaterThan(0);
    expect(summary['feesUsd']).toBeCloseTo(fees, 2);
    const closedPnl = (sql.prepare(`SELECT SUM(realized_pnl) AS p FROM round_trips WHERE status = 'closed'`).get() as { p: number }).p;
    expect(summary['realizedPnlUsd']).toBeCloseTo(closedPnl, 2);
    // Equity = start + realised (ledger) − fees − funding + unrealised at the last marks.
    const realizedGross = (sql.prepare('SELECT SUM(realized_pnl) AS r FROM positions').get() as { r: number }).r;
    const unrealized = (
      sql.prepare('SELECT SUM(p.size * (m.price - p.entry_price)) AS u FROM positions p JOIN market_marks m ON m.symbol = p.symbol AND m.venue = p.venue').get() as { u: number | null }
    ).u ?? 0;
    expect(summary['endingEquityUsd'] as number).toBeCloseTo(COLLATERAL + realizedGross - fees - (summary['fundingUsd'] as number) + unrealized, 1);
  });

  it('leaves no order in flight after a clean stop', () => {
    const live = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE status IN ('pending_submit','unknown','cancel_pending','open','partially_filled')`).get() as { n: number };
    expect(live.n).toBe(0);
  });
});
