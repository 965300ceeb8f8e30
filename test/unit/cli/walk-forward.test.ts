import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { SweepRunResult } from '../../../src/cli/sweep-grid.js';
import { combineRuns, formatWalkForward, parseFolds, walkForward, walkWindows } from '../../../src/cli/walk-forward.js';

const H = 3_600_000;
const run = (net: number | null, volumeUsd = 1_000, pnlUsd = 0): SweepRunResult => ({ volumeUsd, netBpsPerVolume: net, pnlUsd, makerShare: 0.5, roundTrips: 1 });

describe('walk-forward windows', () => {
  it('cuts the range into folds + 1 consecutive windows on whole minutes, the last one to the end', () => {
    const w = walkWindows(0, 10 * H + 30_000, 4);
    expect(w).toHaveLength(5);
    expect(w[0]).toEqual({ index: 0, from: 0, to: 2 * H });
    for (let i = 1; i < w.length; i++) expect(w[i]!.from).toBe(w[i - 1]!.to);
    expect(w.at(-1)!.to).toBe(10 * H + 30_000);
    for (const x of w) expect(x.from % 60_000).toBe(0);
  });
  it('refuses windows under an hour and a fold count that is not a whole number >= 1, naming the flag', () => {
    expect(() => walkWindows(0, 2 * H, 2)).toThrow(ConfigError);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      try {
        parseFolds(bad);
        expect.unreachable();
      } catch (e) {
        expect((e as ConfigError).field).toBe('--walk-forward');
      }
    }
    expect(parseFolds('3')).toBe(3);
  });
});

describe('walkForward', () => {
  it('chooses each fold on the window before its test window only, and sums the chosen test windows', () => {
    const windows = walkWindows(0, 3 * H, 2);
    const points = [[['a', 1]], [['a', 2]]] as const;
    // Point 0 wins window 0, point 1 wins window 1; each does badly on the window after.
    const results = [
      [run(5), run(-10, 2_000, -2), run(1)],
      [run(-5), run(3), run(-4, 1_000, -0.4)],
    ];
    const wf = walkForward(points, results, windows);
    expect(wf.folds.map((f) => f.chosen)).toEqual([0, 1]);
    expect(wf.folds[0]!.testResult).toEqual(results[0]![1]);
    expect(wf.folds[1]!.testResult).toEqual(results[1]![2]);
    // Out of sample: -10 bps on $2,000 and -4 on $1,000, volume-weighted.
    expect(wf.outOfSample!.volumeUsd).toBe(3_000);
    expect(wf.outOfSample!.netBpsPerVolume).toBeCloseTo(-8, 9);
    expect(wf.outOfSample!.pnlUsd).toBeCloseTo(-2.4, 9);
    // The same inputs give the same folds (no dependence on order of completion).
    expect(walkForward(points, results, windows)).toEqual(wf);
    expect(formatWalkForward(wf).some((l) => l.includes('out of sample') && l.includes('-8.00'))).toBe(true);
  });
  it('a fold where nothing traded chooses nothing', () => {
    const windows = walkWindows(0, 2 * H, 1);
    const wf = walkForward([[['a', 1]]], [[null, run(1)]], windows);
    expect(wf.folds[0]!.chosen).toBeNull();
    expect(wf.outOfSample).toBeNull();
    expect(combineRuns([null, run(2, 100), run(null, 100)])!.netBpsPerVolume).toBe(2);
  });
});
