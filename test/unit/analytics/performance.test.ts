import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calmarRatio,
  compoundReturns,
  downsideDeviation,
  performanceSummary,
  PERIODS_PER_YEAR,
  sharpeRatio,
  sortinoRatio,
} from '../../../src/analytics/performance.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

// [1, 2, −1, 3, 0] %: mean 1%; squared deviations 0, 1, 4, 4, 1 (×1e-4) → sample variance
// 2.5e-4, σ = 1.58114%; per-period Sharpe 0.01/0.0158114 = 0.632456. Below 0 only −1%:
// downside deviation √(1e-4 / 5) = 0.447214%, per-period Sortino 0.01/0.00447214 = √5.
const r = [0.01, 0.02, -0.01, 0.03, 0];

describe('Sharpe', () => {
  it('per period (P = 1) and annualised (× √P)', () => {
    expect(sharpeRatio(r, { periodsPerYear: 1 })).toBeCloseTo(0.6324555320336759, 14);
    expect(sharpeRatio(r, { periodsPerYear: 252 })).toBeCloseTo(0.6324555320336759 * Math.sqrt(252), 12);
  });

  it('risk-free rate: 2.52% a year over 252 periods is 0.01% a period', () => {
    expect(sharpeRatio(r, { periodsPerYear: 252, riskFreeRate: 0.0252 })).toBeCloseTo((0.0099 / Math.sqrt(2.5e-4)) * Math.sqrt(252), 12);
  });

  it('null for a constant series (σ = 0)', () => {
    expect(sharpeRatio([0.001, 0.001, 0.001], { periodsPerYear: 365 })).toBeNull();
  });
});

describe('Sortino', () => {
  it('worked example: √5 per period', () => {
    expect(downsideDeviation(r)).toBeCloseTo(Math.sqrt(1e-4 / 5), 15);
    expect(sortinoRatio(r, { periodsPerYear: 1 })).toBeCloseTo(Math.sqrt(5), 13);
    expect(sortinoRatio(r, { periodsPerYear: PERIODS_PER_YEAR.day })).toBeCloseTo(Math.sqrt(5) * Math.sqrt(365), 11);
  });

  it('null with no return below the target', () => {
    expect(sortinoRatio([0.01, 0.02, 0], { periodsPerYear: 365 })).toBeNull();
  });
});

describe('Calmar', () => {
  it('worked example: +10%, −20%, +25%, +10% over one year of 4 periods', () => {
    // Equity 1 → 1.1 → 0.88 → 1.1 → 1.21: max drawdown 0.88/1.1 − 1 = −20%, CAGR 21% → 1.05.
    const path = compoundReturns([0.1, -0.2, 0.25, 0.1], 4);
    expect(path.totalReturn).toBeCloseTo(0.21, 14);
    expect(path.annualisedReturn).toBeCloseTo(0.21, 14);
    expect(path.maxDrawdown).toBeCloseTo(-0.2, 14);
    expect(calmarRatio([0.1, -0.2, 0.25, 0.1], { periodsPerYear: 4 })).toBeCloseTo(1.05, 13);
    expect(calmarRatio([0.1, -0.2, 0.25, 0.1], { periodsPerYear: 4, riskFreeRate: 0.01 })).toBeCloseTo(1.0, 13);
  });

  it('two years of the same path: CAGR √1.21 − 1 = 10%', () => {
    expect(calmarRatio([0.1, -0.2, 0.25, 0.1], { periodsPerYear: 2 })).toBeCloseTo(0.5, 13);
  });

  it('a first-period loss counts (the start is a peak); a −100% period wipes out', () => {
    expect(compoundReturns([-0.1, 0.05], 365).maxDrawdown).toBeCloseTo(-0.1, 14);
    const wiped = compoundReturns([0.1, -1, 0.5], 3);
    expect(wiped.maxDrawdown).toBe(-1);
    expect(wiped.totalReturn).toBe(-1);
  });

  it('null without a drawdown', () => {
    expect(calmarRatio([0.01, 0.02], { periodsPerYear: 365 })).toBeNull();
  });
});

describe('performanceSummary', () => {
  it('collects the same figures', () => {
    const s = performanceSummary(r, { periodsPerYear: 1 });
    expect(s.sharpeRatio).toBeCloseTo(0.6324555320336759, 14);
    expect(s.sortinoRatio).toBeCloseTo(Math.sqrt(5), 13);
    expect(s.volatility).toBeCloseTo(Math.sqrt(2.5e-4), 15);
    expect(s.maxDrawdown).toBeCloseTo(-0.01, 14); // the single −1% period
    expect(s.totalReturn).toBeCloseTo(1.01 * 1.02 * 0.99 * 1.03 * 1 - 1, 14);
  });
});

describe('degenerate input', () => {
  it.each<[string, string, () => unknown]>([
    ['one return', 'E_ANALYTICS_TOO_FEW_POINTS', () => sharpeRatio([0.01], { periodsPerYear: 365 })],
    ['no returns', 'E_ANALYTICS_TOO_FEW_POINTS', () => calmarRatio([], { periodsPerYear: 365 })],
    ['periodsPerYear 0', 'E_ANALYTICS_INPUT', () => sortinoRatio(r, { periodsPerYear: 0 })],
    ['NaN risk-free rate', 'E_ANALYTICS_INPUT', () => sharpeRatio(r, { periodsPerYear: 1, riskFreeRate: Number.NaN })],
    ['a return below −100%', 'E_ANALYTICS_INPUT', () => calmarRatio([0.1, -1.5], { periodsPerYear: 1 })],
    ['Infinity', 'E_ANALYTICS_INPUT', () => sharpeRatio([0.1, Number.POSITIVE_INFINITY], { periodsPerYear: 1 })],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });
});

describe('properties', () => {
  it('the Sortino downside never exceeds the RMS; max drawdown in [−1, 0]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.99, max: 2, noNaN: true }), { minLength: 2, maxLength: 200 }), (rs) => {
        let rms = 0;
        for (const v of rs) rms += v * v;
        expect(downsideDeviation(rs)).toBeLessThanOrEqual(Math.sqrt(rms / rs.length) * (1 + 1e-12));
        const dd = compoundReturns(rs, 365).maxDrawdown;
        expect(dd).toBeLessThanOrEqual(0);
        expect(dd).toBeGreaterThanOrEqual(-1);
      }),
    );
  });

  it('any numbers in: a typed error or finite figures out (nulls allowed)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 40 }), fc.double(), (rs, p) => {
        finiteOrAnalyticsError(() => performanceSummary(rs, { periodsPerYear: 525_600 }));
        finiteOrAnalyticsError(() => performanceSummary(rs, { periodsPerYear: p, riskFreeRate: 0.05 }));
        finiteOrAnalyticsError(() => sharpeRatio(rs, { periodsPerYear: 365 }));
        finiteOrAnalyticsError(() => sortinoRatio(rs, { periodsPerYear: 365 }));
        finiteOrAnalyticsError(() => calmarRatio(rs, { periodsPerYear: 365 }));
      }),
    );
  });
});
