import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { YEAR_MS, timeToLiquidation } from '../../../src/risk/liquidation-time.js';
import { errorCode } from '../error-code.js';

describe('timeToLiquidation: t = (d / (z·σ))² years', () => {
  it.each([
    // d = 10%, σ = 80%, z = 2: (0.1 / 1.6)² = 0.00390625 yr × 31,536,000,000 ms = 123,187,500 ms (≈ 34.2 h)
    [0.1, 0.8, undefined, 123_187_500],
    // z = 1: (0.1 / 0.8)² = 0.015625 yr = 492,750,000 ms
    [0.1, 0.8, 1, 492_750_000],
    // d = 50%, σ = 100%, z = 2: 0.0625 yr = 1,971,000,000 ms (≈ 22.8 d)
    [0.5, 1, 2, 1_971_000_000],
    [0, 0.8, 2, 0], // at or past the liquidation price
  ])('d %s, σ %s, z %s → %s ms', (d, vol, sigmas, expected) => {
    const t = timeToLiquidation({ distanceFraction: d, annualisedVolatility: vol, ...(sigmas === undefined ? {} : { sigmas }) });
    expect(t).toBeCloseTo(expected, 3);
  });

  it('the year is 365 days', () => {
    expect(YEAR_MS).toBe(31_536_000_000);
  });

  it('no liquidation price → null', () => {
    expect(timeToLiquidation({ distanceFraction: null, annualisedVolatility: 0.8 })).toBeNull();
  });

  it('doubling the distance quadruples the time', () => {
    const a = timeToLiquidation({ distanceFraction: 0.05, annualisedVolatility: 0.6 }) as number;
    const b = timeToLiquidation({ distanceFraction: 0.1, annualisedVolatility: 0.6 }) as number;
    expect(b / a).toBeCloseTo(4, 12);
  });

  it.each([
    ['NaN distance', { distanceFraction: Number.NaN, annualisedVolatility: 0.8 }],
    ['negative distance', { distanceFraction: -0.1, annualisedVolatility: 0.8 }],
    ['zero volatility', { distanceFraction: 0.1, annualisedVolatility: 0 }],
    ['zero sigmas', { distanceFraction: 0.1, annualisedVolatility: 0.8, sigmas: 0 }],
  ])('%s → InputError', (_name, input) => {
    expect(errorCode(() => timeToLiquidation(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
