import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestPositionSize } from '../../../src/analytics/position-size-suggestion.js';
import { analyticsErrorCode } from './analytics-error-code.js';

const base = { equityUsd: 10_000, grossNotionalUsd: 2_000, currentVar1dUsd: 100, pairVar1dPerUsd: 0.02, hedgeRatio: 1, riskTolerance: 0.05, maxPositionSizeUsd: 50_000, maxPositionSizePercent: 0.3, maxPortfolioLeverage: 5 };

describe('suggestPositionSize: seed 002 suggest_position_sizes', () => {
  it('by hand: 30% of equity binds at $3,000 (VaR budget $20,000, leverage $24,000)', () => {
    // caps: var (500 − 100) / 0.02 = 20,000; position $ 50,000; position % 3,000; leverage (50,000 − 2,000) / 2 = 24,000.
    const s = suggestPositionSize(base);
    expect(s.caps).toEqual({ 'var-budget': 20_000, 'max-position-usd': 50_000, 'max-position-percent': 3_000, 'portfolio-leverage': 24_000 });
    expect(s).toMatchObject({ longNotionalUsd: 3_000, shortNotionalUsd: 3_000, binding: 'max-position-percent', var1dUsd: 60 });
  });

  it('by hand: a tight VaR budget binds; a hedge ratio of 1.5 sizes the short leg 1.5× and caps by the heavier leg', () => {
    expect(suggestPositionSize({ ...base, riskTolerance: 0.012 })).toMatchObject({ binding: 'var-budget', longNotionalUsd: (120 - 100) / 0.02 });
    const h = suggestPositionSize({ ...base, hedgeRatio: 1.5 });
    expect(h.caps['max-position-percent']).toBeCloseTo(2_000, 9);
    expect(h.caps['portfolio-leverage']).toBeCloseTo(48_000 / 2.5, 9);
    expect(h.longNotionalUsd).toBeCloseTo(2_000, 9);
    expect(h.shortNotionalUsd).toBeCloseTo(3_000, 9);
  });

  it('a book already over its VaR budget gets size 0', () => {
    expect(suggestPositionSize({ ...base, currentVar1dUsd: 600 })).toMatchObject({ longNotionalUsd: 0, binding: 'var-budget' });
  });

  it('property: the suggestion keeps every limit and is the largest size that does', () => {
    fc.assert(
      fc.property(
        fc.record({
          equityUsd: fc.double({ min: 100, max: 1e7, noNaN: true }),
          grossNotionalUsd: fc.double({ min: 0, max: 1e7, noNaN: true }),
          currentVar1dUsd: fc.double({ min: 0, max: 1e5, noNaN: true }),
          pairVar1dPerUsd: fc.double({ min: 1e-4, max: 0.2, noNaN: true }),
          hedgeRatio: fc.double({ min: 0.5, max: 2, noNaN: true }),
          riskTolerance: fc.double({ min: 0.001, max: 1, noNaN: true }),
          maxPositionSizeUsd: fc.double({ min: 0, max: 1e6, noNaN: true }),
          maxPositionSizePercent: fc.double({ min: 0, max: 1, noNaN: true }),
          maxPortfolioLeverage: fc.double({ min: 0, max: 20, noNaN: true }),
        }),
        (i) => {
          const s = suggestPositionSize(i);
          const n = s.longNotionalUsd;
          const e = 1e-9 * (1 + n);
          expect(n).toBeGreaterThanOrEqual(0);
          expect(i.currentVar1dUsd + n * i.pairVar1dPerUsd).toBeLessThanOrEqual(Math.max(i.currentVar1dUsd, i.riskTolerance * i.equityUsd) + e);
          expect(Math.max(n, s.shortNotionalUsd)).toBeLessThanOrEqual(Math.min(i.maxPositionSizeUsd, i.maxPositionSizePercent * i.equityUsd) + e);
          expect(i.grossNotionalUsd + n + s.shortNotionalUsd).toBeLessThanOrEqual(Math.max(i.grossNotionalUsd, i.maxPortfolioLeverage * i.equityUsd) + e * 10);
          expect(n).toBe(Math.min(...Object.values(s.caps)));
        },
      ),
    );
  });

  it('refuses a risk tolerance above 1, a zero VaR per USD and a negative gross, by code', () => {
    expect(analyticsErrorCode(() => suggestPositionSize({ ...base, riskTolerance: 1.5 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => suggestPositionSize({ ...base, pairVar1dPerUsd: 0 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => suggestPositionSize({ ...base, grossNotionalUsd: -1 }))).toBe('E_ANALYTICS_INPUT');
  });
});
