import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { configFor, expandGrid, formatSweep, rankRows, setPath, sweepCsv, type SweepRow } from '../../../src/cli/sweep-grid.js';
import { parseJobs } from '../../../src/cli/sweep-command.js';

describe('expandGrid', () => {
  it('is the cartesian product in a fixed order, the last key varying fastest', () => {
    const pts = expandGrid({ 'paper.latencyMs': [0, 50], 'bots.0.dnPair.mode': ['signal', 'volume', 'signal'] });
    expect(pts).toHaveLength(6);
    expect(pts[0]).toEqual([['paper.latencyMs', 0], ['bots.0.dnPair.mode', 'signal']]);
    expect(pts[1]).toEqual([['paper.latencyMs', 0], ['bots.0.dnPair.mode', 'volume']]);
    expect(pts[3]).toEqual([['paper.latencyMs', 50], ['bots.0.dnPair.mode', 'signal']]);
  });
  it.each([
    [[], 'grid'],
    [{}, 'grid'],
    [{ 'a.b': [] }, 'grid.a.b'],
    [{ 'a.b': 3 }, 'grid.a.b'],
    [{ 'a..b': [1] }, 'grid.a..b'],
    [{ 'a.b': [{ x: 1 }] }, 'grid.a.b'],
  ])('rejects %j naming %s', (grid, field) => {
    try {
      expandGrid(grid);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe(field);
    }
  });
});

describe('setPath / configFor', () => {
  it('sets nested values, array slots included, without touching the base', () => {
    const base = { bots: [{ id: 'a', dnPair: { mode: 'signal' } }], paper: { latencyMs: 50 } };
    const c = configFor(base, [['bots.0.dnPair.volume.cycleIntervalMs', 60_000], ['paper.latencyMs', 0]]);
    expect(c).toEqual({ bots: [{ id: 'a', dnPair: { mode: 'signal', volume: { cycleIntervalMs: 60_000 } } }], paper: { latencyMs: 0 } });
    expect(base.paper.latencyMs).toBe(50);
    const made = setPath({}, 'x.1.y', true) as { x: unknown[] };
    expect(Array.isArray(made.x) && made.x[1]).toEqual({ y: true });
  });
});

describe('ranking and output', () => {
  const run = (net: number | null, vol = 1000) => ({ volumeUsd: vol, netBpsPerVolume: net, pnlUsd: 0, makerShare: 0.5, roundTrips: 2 });
  const rows: SweepRow[] = [
    { index: 0, point: [['a', 1]], train: run(-2), test: run(5) },
    { index: 1, point: [['a', 2]], train: run(-1), test: run(-9) },
    { index: 2, point: [['a', 3]], train: null, test: null, error: 'exit 1: boom' },
    { index: 3, point: [['a', 4]], train: run(-1, 2000), test: run(0) },
  ];
  it('ranks by the training window only, then volume, then grid order; failures last', () => {
    expect(rankRows(rows).map((r) => r.index)).toEqual([3, 1, 0, 2]);
  });
  it('writes CSV with one column per grid key and quotes what needs it', () => {
    const csv = sweepCsv(rankRows(rows)).trim().split('\n');
    expect(csv[0]).toBe('rank,a,train_net_bps,train_volume_usd,train_pnl_usd,train_maker_share,train_round_trips,test_net_bps,test_volume_usd,test_pnl_usd,test_maker_share,test_round_trips,error');
    expect(csv[1]).toBe('1,4,-1.0000,2000.00,0.00,0.5000,2,0.0000,1000.00,0.00,0.5000,2,');
    expect(csv[4]).toBe('4,3,,,,,,,,,,,exit 1: boom');
  });
  it('prints a table with test columns only when split', () => {
    expect(formatSweep(rankRows(rows), true)[0]).toMatch(/train bps.*test bps/);
    expect(formatSweep(rankRows(rows), false)[0]).not.toMatch(/test/);
  });
  it('--jobs is capped by the cores', () => {
    expect(parseJobs(undefined, 2)).toBe(2);
    expect(parseJobs('8', 2)).toBe(2);
    expect(parseJobs('1', 2)).toBe(1);
    expect(() => parseJobs('0', 2)).toThrow(ConfigError);
  });
});
