import { describe, expect, it } from 'vitest';
import { formatBand, pathBand, type PathResult } from '../../../src/metrics/path-band.js';
import { parsePaths } from '../../../src/cli/replay-band.js';
import { ConfigError } from '../../../src/core/errors.js';

const path = (label: string, net: number | null, intrabar: 'bridge' | 'adverse' = 'bridge'): PathResult => ({
  label, intrabar, pathSeed: intrabar === 'bridge' ? 1 : null, volumeUsd: 1000, netBpsPerVolume: net, pnlUsd: 0, makerShare: 0.5, roundTrips: 3,
});

describe('pathBand', () => {
  it.each([
    ['odd count, adverse included', [path('a', -1), path('b', 0.5), path('c', -3), path('adv', -4, 'adverse')], { min: -4, median: -2, max: 0.5, nonNegative: 1, nonNegativeShare: 0.25, adverse: -4, traded: 4 }],
    ['a path that did not trade counts as a path, not as ≥ 0', [path('a', 1), path('b', null), path('adv', 2, 'adverse')], { min: 1, median: 1.5, max: 2, nonNegative: 2, nonNegativeShare: 2 / 3, adverse: 2, traded: 2 }],
    ['nothing traded', [path('a', null)], { min: null, median: null, max: null, nonNegative: 0, nonNegativeShare: 0, adverse: null, traded: 0 }],
    ['no paths', [], { min: null, median: null, max: null, nonNegative: 0, nonNegativeShare: null, adverse: null, traded: 0 }],
  ])('%s', (_name, results, expected) => {
    expect(pathBand(results)).toEqual({ paths: results.length, ...expected });
  });

  it('formats a table of the paths and the band line', () => {
    const rs = [path('bridge seed 1', -1.234), path('adverse', -2, 'adverse')];
    const lines = formatBand(rs, pathBand(rs));
    expect(lines[0]).toMatch(/^path\s+volume\s+net bps\/vol/);
    expect(lines[1]).toContain('-1.23');
    expect(lines.at(-1)).toBe('net bps per volume: min -2.00 / median -1.62 / max -1.23; paths >= 0: 0 of 2 (adverse -2.00)');
  });
});

describe('parsePaths', () => {
  it.each(['0', '-1', '1.5', 'x', '', '101'])('rejects %j naming --paths', (t) => {
    expect(() => parsePaths(t)).toThrow(ConfigError);
    try {
      parsePaths(t);
    } catch (e) {
      expect((e as ConfigError).field).toBe('--paths');
    }
  });
  it('accepts 1 to 100', () => {
    expect(parsePaths('1')).toBe(1);
    expect(parsePaths('100')).toBe(100);
  });
});
