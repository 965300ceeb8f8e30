import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

const FIX = resolve(import.meta.dirname, '../fixtures/candles');
const DATA = ['--data', join(FIX, 'ETH_USDT-1m.csv'), '--data', join(FIX, 'SOL_USDT-1m.csv')];

describe('dnbot sweep on the candle fixture', () => {
  it('replays each combination on train and test windows in child processes, ranks on train, writes CSV and JSON; a second sweep gives the same document', async () => {
    const dir = tempDir();
    const base = join(dir, 'base.json');
    const grid = join(dir, 'grid.json');
    writeFileSync(base, JSON.stringify({ db: join(dir, 'never.db'), replay: { to: '2021-05-03T07:00:00Z' }, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] }));
    writeFileSync(grid, JSON.stringify({ 'bots.0.dnPair.volume.cycleIntervalMs': [60_000, 600_000] }));
    const args = ['sweep', '--config', base, '--grid', grid, ...DATA, '--split', '2021-05-03T06:00:00Z', '--jobs', '2'];
    const r = await runCli([...args, '--out', join(dir, 'sweep')]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.err.some((l) => l.startsWith('sweep [') && l.includes('4/4 replays'))).toBe(true);
    expect(r.out[0]).toMatch(/train bps.*test bps/);
    const doc = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as { rows: { rank: number; parameters: Record<string, number>; train: { netBpsPerVolume: number | null; volumeUsd: number }; test: { volumeUsd: number } }[] };
    expect(doc.rows).toHaveLength(2);
    expect(doc.rows.map((x) => x.parameters['bots.0.dnPair.volume.cycleIntervalMs']).sort()).toEqual([60_000, 600_000]);
    for (const row of doc.rows) {
      expect(row.train.volumeUsd).toBeGreaterThan(0);
      expect(row.test.volumeUsd).toBeGreaterThan(0);
    }
    expect((doc.rows[0]!.train.netBpsPerVolume ?? -Infinity) >= (doc.rows[1]!.train.netBpsPerVolume ?? -Infinity)).toBe(true);
    expect(readFileSync(join(dir, 'sweep.csv'), 'utf8').split('\n')[0]).toContain('bots.0.dnPair.volume.cycleIntervalMs');
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
    // The JSON on stdout is the file's document (rows in rank order, not in finishing order).
    const again = await runCli([...args, '--json']);
    expect(JSON.parse(again.out[0]!)).toEqual(doc);
  }, 300_000);

  it('walks forward: each fold picks its combination on the window before its test window, the same every time', async () => {
    const dir = tempDir();
    const base = join(dir, 'base.json');
    const grid = join(dir, 'grid.json');
    writeFileSync(base, JSON.stringify({ bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] }));
    writeFileSync(grid, JSON.stringify({ 'bots.0.dnPair.volume.cycleIntervalMs': [60_000, 600_000] }));
    const args = ['sweep', '--config', base, '--grid', grid, ...DATA, '--walk-forward', '2', '--jobs', '2'];
    const r = await runCli([...args, '--out', join(dir, 'wf')]);
    expect(r.code, r.err.join('\n')).toBe(0);
    // 2 combinations × 3 windows.
    expect(r.err.some((l) => l.includes('6/6 replays'))).toBe(true);
    expect(r.out.some((l) => l.startsWith('walk-forward'))).toBe(true);
    type Run = { netBpsPerVolume: number | null; volumeUsd: number } | null;
    const doc = JSON.parse(readFileSync(join(dir, 'wf.json'), 'utf8')) as { walkForward: { windows: { from: string; to: string }[]; folds: { fold: number; train: { from: string; to: string }; test: { from: string; to: string }; parameters: Record<string, number> | null; trainResult: Run; testResult: Run }[]; outOfSample: Run } };
    const wf = doc.walkForward;
    expect(wf.windows).toHaveLength(3);
    expect(wf.folds.map((f) => f.fold)).toEqual([1, 2]);
    for (const f of wf.folds) {
      expect(f.train).toEqual(wf.windows[f.fold - 1]);
      expect(f.test).toEqual(wf.windows[f.fold]);
      expect(f.train.to).toBe(f.test.from);
    }
    // The windows follow one another from the end of the warm-up (240 of the fixture's 480 minutes).
    expect(wf.windows[0]!.from).toBe('2021-05-03T04:00:00.000Z');
    const again = await runCli([...args, '--json']);
    expect(JSON.parse(again.out[0]!)).toEqual(doc);
    // --split and --walk-forward together are a usage error naming the flag.
    const both = await runCli([...args, '--split', '2021-05-03T06:00:00Z']);
    expect(both.code).toBe(2);
    expect(both.err.join('\n')).toContain('--walk-forward');
  }, 300_000);

  it('a grid naming nothing is a config error (exit 2)', async () => {
    const dir = tempDir();
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, '{}');
    expect((await runCli(['sweep', '--grid', grid, ...DATA])).code).toBe(2);
  });
});
