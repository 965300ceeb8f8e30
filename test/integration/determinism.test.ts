import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

async function runOnce(seed: number): Promise<{ summary: Record<string, unknown>; orders: unknown[]; fills: unknown[] }> {
  const db = join(tempDir(), 'det.db');
  const r = await runCli(['run', '--speed', 'max', '--duration', '3h', '--seed', String(seed), '--db', db, '--json', '--log-level', 'silent']);
  expect(r.code, r.err.join('\n')).toBe(0);
  const { wallSeconds, ...summary } = summaryOf(r);
  expect(wallSeconds).toBeGreaterThan(0);
  const sql = new Database(db, { readonly: true });
  const orders = sql.prepare('SELECT * FROM orders ORDER BY client_order_id').all();
  const fills = sql.prepare('SELECT * FROM fills ORDER BY trade_id').all();
  sql.close();
  return { summary, orders, fills };
}

describe('determinism', () => {
  it('gives identical summaries and identical order and fill rows for the same seed', async () => {
    const a = await runOnce(42);
    const b = await runOnce(42);
    expect(a.orders.length).toBeGreaterThan(4);
    expect(b.summary).toEqual(a.summary);
    expect(JSON.stringify(b.orders)).toBe(JSON.stringify(a.orders));
    expect(JSON.stringify(b.fills)).toBe(JSON.stringify(a.fills));
  });

  it('gives a different run for a different seed', async () => {
    const a = await runOnce(42);
    const c = await runOnce(43);
    expect(JSON.stringify(c.orders)).not.toBe(JSON.stringify(a.orders));
  });
});
