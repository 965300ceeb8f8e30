import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

// 480 real minutes in the repo (test/fixtures/candles): 240 warm up, 240 are compared.
const DATA = resolve(process.cwd(), 'test/fixtures/candles');

describe('dnbot compare', () => {
  const dir = tempDir();
  const write = (name: string, mode: 'signal' | 'volume'): string => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify({ db: join(dir, 'never-used.db'), bots: [{ id: 'dn', dnPair: { mode } }] }));
    return p;
  };
  const signal = write('signal.json', 'signal');
  const volume = write('volume.json', 'volume');
  const data = ['--data', join(DATA, 'ETH_USDT-1m.csv'), '--data', join(DATA, 'SOL_USDT-1m.csv')];
  const window = ['--from', '2021-05-03T04:00:00Z', '--to', '2021-05-03T08:00:00Z'];

  it('replays both configurations over the same window on fresh databases and prints them side by side', async () => {
    const r = await runCli(['compare', ...data, '--a', signal, '--b', volume, ...window, '--log-level', 'silent']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toContain('2021-05-03T04:00:00.000Z');
    const row = (name: string): string[] => r.out.find((l) => l.startsWith(name))!.slice(name.length).trim().split(/\s{2,}/);
    for (const name of ['volume', 'net bps per volume', 'PnL (equity change)', 'max drawdown', 'Sharpe (hourly, annualised)', 'maker share of volume', '|net delta| max', '|net delta| time-weighted (fills)']) {
      expect(row(name), name).toHaveLength(2);
    }
    // Progress on stderr while each replay runs, so a long compare is never silent.
    expect(r.err[0]).toMatch(/^compare: replaying A/);
    expect(r.err.some((l) => /^compare: B done in \d+ s: \d+ round trips/.test(l))).toBe(true);
    // The configured db is never touched: each run gets its own temp file.
    expect(existsSync(join(dir, 'never-used.db'))).toBe(false);
  }, 60_000);

  it('--json gives both summaries; the same configuration twice gives the same numbers', async () => {
    const r = await runCli(['compare', ...data, '--a', volume, '--b', volume, ...window, '--json', '--log-level', 'silent']);
    expect(r.out).toHaveLength(1);
    const j = JSON.parse(r.out[0]!) as { a: { row: Record<string, unknown>; summary: Record<string, unknown> }; b: { row: Record<string, unknown> } };
    expect(j.a.row['volumeUsd']).toBeGreaterThan(0);
    expect(j.a.summary['marketStart']).toBe('2021-05-03T04:00:00.000Z');
    expect(j.a.summary['marketEnd']).toBe('2021-05-03T07:59:55.000Z'); // the last of 12 bridge points
    expect(j.b.row).toEqual(j.a.row);
  }, 60_000);

  it('a missing configuration file is a usage error', async () => {
    const r = await runCli(['compare', ...data, '--a', join(dir, 'nope.json'), '--b', volume, ...window]);
    expect(r.code).toBe(2);
  });
});
