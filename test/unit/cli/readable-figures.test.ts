import { describe, expect, it } from 'vitest';
import { limitValue } from '../../../src/cli/risk-command.js';
import { readable } from '../../../src/cli/status-command.js';

describe('figures people read in status and risk', () => {
  it.each([
    [1.3612159042501357, '1.3612159'],
    [0.30000000000000004, '0.3'],
    [-0.226, '-0.226'],
    [3001.42, '3001.42'],
  ])('readable(%s) = %s', (v, want) => {
    expect(readable(v)).toBe(want);
  });

  it.each([
    ['maxPositionSizeUsd', 686.6355123, '$686.64'],
    ['maxPositionSizePercent', 0.068612345, '6.86%'],
    ['maxPortfolioLeverage', 0.13681234, '0.14×'],
    ['minHealthRatio', 24363.50281, '24364%'],
    ['maxVar1dPercent', null, 'n/a'],
  ] as const)('limit %s shows %s as %s', (limit, v, want) => {
    expect(limitValue(limit, v)).toBe(want);
  });
});
