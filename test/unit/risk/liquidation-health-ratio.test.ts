import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { healthRatio } from '../../../src/risk/liquidation-health-ratio.js';
import { maintenanceMargin } from '../../../src/risk/liquidation-margin.js';
import { errorCode } from '../error-code.js';

describe('maintenanceMargin and healthRatio (ruling 6: percent)', () => {
  it('a known DN account', () => {
    // Long 5 ETH @ 2000 (10,000) and short 100 SOL @ 100 (10,000), MMR 5% each:
    // MM = 0.05 × 10,000 + 0.05 × 10,000 = 1,000. Collateral 10,000 → 10,000 / 1,000 × 100 = 1,000%.
    const positions = [
      { symbol: 'ETH-PERP', size: 5, mark: 2_000, maintenanceMarginRatio: 0.05 },
      { symbol: 'SOL-PERP', size: -100, mark: 100, maintenanceMarginRatio: 0.05 },
    ];
    const mm = maintenanceMargin(positions);
    expect(mm).toBeCloseTo(1_000, 9);
    expect(healthRatio({ collateral: 10_000, maintenanceMargin: mm })).toBeCloseTo(1_000, 9);
  });

  it.each([
    [1_500, 1_000, 150], // 1.5× maintenance = 150 (seed 002 min_health_ratio)
    [1_000, 1_000, 100], // at the liquidation line
    [-200, 1_000, -20], // underwater
    [0, 400, 0],
  ])('collateral %s over MM %s → %s%%', (collateral, mm, expected) => {
    expect(healthRatio({ collateral, maintenanceMargin: mm })).toBeCloseTo(expected, 9);
  });

  it('no positions (no maintenance margin) gives null, not 0', () => {
    expect(maintenanceMargin([])).toBe(0);
    expect(healthRatio({ collateral: 10_000, maintenanceMargin: 0 })).toBeNull();
  });

  it('is monotone in collateral (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        (a, b, mm) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const hLo = healthRatio({ collateral: lo, maintenanceMargin: mm });
          const hHi = healthRatio({ collateral: hi, maintenanceMargin: mm });
          expect(hLo).not.toBeNull();
          expect((hLo as number) <= (hHi as number)).toBe(true);
        },
      ),
    );
  });

  it.each([
    ['NaN collateral', () => healthRatio({ collateral: Number.NaN, maintenanceMargin: 1 })],
    ['negative MM', () => healthRatio({ collateral: 1, maintenanceMargin: -1 })],
    ['infinite MM', () => healthRatio({ collateral: 1, maintenanceMargin: Number.POSITIVE_INFINITY })],
    ['negative MMR', () => maintenanceMargin([{ symbol: 'X', size: 1, mark: 1, maintenanceMarginRatio: -0.01 }])],
    ['MMR of 1', () => maintenanceMargin([{ symbol: 'X', size: 1, mark: 1, maintenanceMarginRatio: 1 }])],
    ['zero mark', () => maintenanceMargin([{ symbol: 'X', size: 1, mark: 0, maintenanceMarginRatio: 0.05 }])],
    ['NaN size', () => maintenanceMargin([{ symbol: 'X', size: Number.NaN, mark: 1, maintenanceMarginRatio: 0.05 }])],
    [
      'duplicate symbol',
      () =>
        maintenanceMargin([
          { symbol: 'X', size: 1, mark: 1, maintenanceMarginRatio: 0.05 },
          { symbol: 'X', size: 1, mark: 1, maintenanceMarginRatio: 0.05 },
        ]),
    ],
  ])('%s → InputError', (_name, fn) => {
    expect(errorCode(fn)).toBe(ErrorCodes.INPUT_INVALID);
  });
});
