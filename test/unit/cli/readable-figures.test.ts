import { describe, expect, it } from 'vitest';
import { limitValue } from '../../../src/cli/risk-command.js';
import { readable } from '../../../src/cli/status-command.js';
import { healthRatioText, leverageText } from '../../../src/report/figure-text.js';

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
    ['minHealthRatio', 245.50281, '246%'],
    ['minHealthRatio', 24363.50281, '> 1,000%'],
    ['maxVar1dPercent', null, 'n/a'],
  ] as const)('limit %s shows %s as %s', (limit, v, want) => {
    expect(limitValue(limit, v)).toBe(want);
  });

  // Right values that read as bugs printed raw: 167069% (a small position on a large account) and
  // an ExitBrain plan's 0.0680712013143518× (one leg's notional over equity).
  it.each([
    [167069.4, '> 1,000%'],
    [1000, '1000%'],
    [149.6, '150%'],
    [null, 'n/a'],
  ] as const)('health ratio %s reads %s', (v, want) => {
    expect(healthRatioText(v)).toBe(want);
  });

  it.each([
    [0.0680712013143518, '0.0681×'],
    [0.009812345678901234, '0.00981×'],
    [2.5, '2.5×'],
    [12.345, '12.3×'],
  ] as const)('leverage %s reads %s', (v, want) => {
    expect(leverageText(v)).toBe(want);
  });
});
