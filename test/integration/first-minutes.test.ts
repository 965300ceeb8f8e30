import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

describe('npm start', () => {
  it('with the shipped config and default seed, fills a pair within the first 10 market minutes (10 s at the default speed of 60)', async () => {
    const db = join(tempDir(), 'start.db');
    const r = await runCli(['run', '--speed', 'max', '--duration', '10m', '--db', db, '--json', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const s = summaryOf(r);
    expect(s['fills']).toBeGreaterThanOrEqual(2);
    const sql = new Database(db, { readonly: true });
    const opened = sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'pair_open'`).get() as { n: number };
    sql.close();
    expect(opened.n).toBeGreaterThanOrEqual(1);
  });
});
