import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalSource, seededUniform } from '../../../src/core/rng.js';
import { ewmaVarianceSeries, ewmaVolatility, realisedVolatility } from '../../../src/analytics/volatility.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

describe('realisedVolatility', () => {
  it('root mean square, per period and annualised', () => {
    // Squares 1, 1, 4, 4 (×1e-4), mean 2.5e-4.
    const r = [0.01, -0.01, 0.02, -0.02];
    expect(realisedVolatility(r)).toBeCloseTo(Math.sqrt(2.5e-4), 15);
    expect(realisedVolatility(r, { periodsPerYear: 365 })).toBeCloseTo(Math.sqrt(2.5e-4 * 365), 14);
  });

  it('demeaned: the sample standard deviation (n − 1)', () => {
    // 1..5 %: mean 3%, squared deviations 4, 1, 0, 1, 4 (×1e-4), / 4 = 2.5e-4.
    expect(realisedVolatility([0.01, 0.02, 0.03, 0.04, 0.05], { demean: true })).toBeCloseTo(Math.sqrt(2.5e-4), 15);
    expect(realisedVolatility([0.3, 0.3, 0.3], { demean: true })).toBe(0);
  });

  it('degenerate input', () => {
    expect(analyticsErrorCode(() => realisedVolatility([]))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
    expect(analyticsErrorCode(() => realisedVolatility([0.01], { demean: true }))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
    expect(analyticsErrorCode(() => realisedVolatility([0.01, Number.NaN]))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => realisedVolatility([0.01], { periodsPerYear: 0 }))).toBe('E_ANALYTICS_INPUT');
  });
});

describe('EWMA volatility (RiskMetrics, λ = 0.94)', () => {
  it('worked by hand: r = [1%, 2%, −1%]', () => {
    // v₀ = 0.94·r₀² + 0.06·r₀² = 1e-4; v₁ = 0.94·1e-4 + 0.06·4e-4 = 1.18e-4;
    // v₂ = 0.94·1.18e-4 + 0.06·1e-4 = 1.1692e-4.
    const series = ewmaVarianceSeries([0.01, 0.02, -0.01]);
    expect(series[0]).toBeCloseTo(1e-4, 18);
    expect(series[1]).toBeCloseTo(1.18e-4, 18);
    expect(series[2]).toBeCloseTo(1.1692e-4, 18);
    expect(ewmaVolatility([0.01, 0.02, -0.01])).toBeCloseTo(Math.sqrt(1.1692e-4), 15);
    expect(ewmaVolatility([0.01, 0.02, -0.01], { periodsPerYear: 365 })).toBeCloseTo(Math.sqrt(1.1692e-4 * 365), 14);
  });

  it('λ and the seed variance are honoured: λ = 0.5, seed 0', () => {
    // v₀ = 0.5·0 + 0.5·4 = 2; v₁ = 0.5·2 + 0.5·0 = 1.
    expect(ewmaVarianceSeries([2, 0], { lambda: 0.5, seedVariance: 0 })).toEqual([2, 1]);
  });

  it('returns of constant size σ give σ exactly', () => {
    expect(ewmaVolatility([0.03, -0.03, 0.03, 0.03, -0.03])).toBeCloseTo(0.03, 15);
  });

  it('tracks the true σ of a long normal series (within 10%)', () => {
    const z = normalSource(seededUniform(21));
    const r = Array.from({ length: 5_000 }, () => 0.01 * z());
    expect(Math.abs(ewmaVolatility(r, { lambda: 0.995 }) / 0.01 - 1)).toBeLessThan(0.1);
  });

  it('stays between the smallest and the largest |r| (a convex mix of squares; property)', () => {
    fc.assert(
      fc.property(
        // Values below 1e-150 would square to (sub)normal dust; that underflow is not the point here.
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }).map((x) => (Math.abs(x) < 1e-150 ? 0 : x)), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (r, lambda) => {
          const v = ewmaVolatility(r, { lambda });
          const abs = r.map(Math.abs);
          expect(v).toBeGreaterThanOrEqual(Math.min(...abs) * (1 - 1e-12));
          expect(v).toBeLessThanOrEqual(Math.max(...abs) * (1 + 1e-12));
        },
      ),
    );
  });

  it('degenerate input', () => {
    expect(analyticsErrorCode(() => ewmaVolatility([]))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
    expect(analyticsErrorCode(() => ewmaVolatility([0.01], { lambda: 1 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => ewmaVarianceSeries([0.01], { seedVariance: -1 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => ewmaVarianceSeries([0.01, Number.POSITIVE_INFINITY]))).toBe('E_ANALYTICS_INPUT');
  });

  it('any numbers in: a typed error or finite figures out (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 50 }), fc.double(), (r, lambda) => {
        finiteOrAnalyticsError(() => ewmaVarianceSeries(r, { lambda }));
        finiteOrAnalyticsError(() => ewmaVolatility(r, { periodsPerYear: 525_600 }));
        finiteOrAnalyticsError(() => realisedVolatility(r, { demean: true, periodsPerYear: 525_600 }));
      }),
    );
  });
});
