import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitGarch } from '../../../src/analytics/garch-fit.js';
import { garchConditionalVariance, garchForecast, garchLongRunVariance, simulateGarch } from '../../../src/analytics/garch.js';
import { normalSource, seededUniform } from '../../../src/core/rng.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

const TRUE = { omega: 1e-6, alpha: 0.08, beta: 0.9 } as const; // long-run σ = √(1e-6/0.02) ≈ 0.71% a period

describe('fitGarch: maximum likelihood recovers known parameters', () => {
  // 20,000 simulated returns per seed. Tolerances: α ± 0.03, β ± 0.05, α + β ± 0.03, long-run
  // variance within 30% (it is ω/(1 − α − β), so small errors in the persistence move it most).
  it.each([1, 2, 3])('seed %i: ω = 1e-6, α = 0.08, β = 0.90', (seed) => {
    const { returns } = simulateGarch(TRUE, 20_000, normalSource(seededUniform(seed)));
    const fit = fitGarch(returns);
    expect(Math.abs(fit.alpha - TRUE.alpha)).toBeLessThan(0.03);
    expect(Math.abs(fit.beta - TRUE.beta)).toBeLessThan(0.05);
    expect(Math.abs(fit.persistence - (TRUE.alpha + TRUE.beta))).toBeLessThan(0.03);
    expect(Math.abs(fit.longRunVariance / garchLongRunVariance(TRUE) - 1)).toBeLessThan(0.3);
    expect(fit.converged).toBe(true);
    expect(fit.observations).toBe(20_000);
  });

  it('scale-free: the same shape at 1-minute size (ω = 4e-10) gives the same α, β', () => {
    const { returns } = simulateGarch({ omega: 4e-10, alpha: 0.05, beta: 0.93 }, 20_000, normalSource(seededUniform(8)));
    const fit = fitGarch(returns);
    expect(Math.abs(fit.alpha - 0.05)).toBeLessThan(0.03);
    expect(Math.abs(fit.beta - 0.93)).toBeLessThan(0.05);
  });

  it('the fit\'s end state agrees with the filter and the forecast', () => {
    const { returns } = simulateGarch(TRUE, 2_000, normalSource(seededUniform(4)));
    const fit = fitGarch(returns);
    const series = garchConditionalVariance(returns, fit, { mean: fit.mean });
    expect(fit.lastVariance).toBeCloseTo(series[series.length - 1]!, 15);
    const forecast = garchForecast(fit, fit, 1);
    expect(forecast.variances[0]).toBeCloseTo(fit.nextVariance, 15);
  });

  it('always returns ω > 0, α, β ≥ 0, α + β < 1 (property over short noisy series)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(1e-120, 1e-6, 0.01, 1, 1e50, 1e90), (seed, scale) => {
        const z = normalSource(seededUniform(seed));
        const fit = fitGarch(Array.from({ length: 150 }, () => scale * z() ** 3));
        expect(fit.omega).toBeGreaterThan(0);
        expect(fit.alpha).toBeGreaterThanOrEqual(0);
        expect(fit.beta).toBeGreaterThanOrEqual(0);
        expect(fit.alpha + fit.beta).toBeLessThan(1);
        finiteOrAnalyticsError(() => fit);
      }),
      { numRuns: 30 },
    );
  });

  it.each<[string, string, () => unknown]>([
    ['returns so small their squares underflow (1e-200)', 'E_ANALYTICS_DEGENERATE', () => fitGarch(Array.from({ length: 200 }, (_, i) => ((i % 3) - 1) * 1e-200))],
    ['a constant series', 'E_ANALYTICS_DEGENERATE', () => fitGarch(new Array<number>(500).fill(0.001))],
    ['99 points (minimum 100)', 'E_ANALYTICS_TOO_FEW_POINTS', () => fitGarch(Array.from({ length: 99 }, (_, i) => (i % 3) - 1))],
    ['a NaN', 'E_ANALYTICS_INPUT', () => fitGarch([...Array.from({ length: 200 }, (_, i) => (i % 3) - 1), Number.NaN])],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });
});

describe('GARCH filter and forecast, worked by hand', () => {
  const params = { omega: 0.1, alpha: 0.2, beta: 0.7 }; // long-run variance 0.1 / 0.1 = 1

  it('conditional variance: σ²₀ = 1, σ²₁ = 0.1 + 0.2·1 + 0.7·1 = 1, σ²₂ = 0.1 + 0.2·4 + 0.7·1 = 1.6', () => {
    expect(garchConditionalVariance([1, -2, 0.5], params, { initialVariance: 1 })).toEqual([1, 1, 1.6]);
  });

  it('default σ²₀ is the mean square (1 + 4 + 0.25)/3 = 1.75, so σ²₁ = 0.3 + 0.7·1.75 = 1.525', () => {
    const s = garchConditionalVariance([1, -2, 0.5], params);
    expect(s[0]).toBeCloseTo(1.75, 15);
    expect(s[1]).toBeCloseTo(1.525, 15);
  });

  it('forecast: σ²ₙ₊₁ = 0.1 + 0.2·0.25 + 0.7·1.6 = 1.27, then 1 + 0.9ᵏ⁻¹·0.27', () => {
    const f = garchForecast(params, { lastVariance: 1.6, lastResidual: 0.5 }, 3);
    expect(f.variances[0]).toBeCloseTo(1.27, 14);
    expect(f.variances[1]).toBeCloseTo(1.243, 14);
    expect(f.variances[2]).toBeCloseTo(1.2187, 14);
    expect(f.cumulativeVariance).toBeCloseTo(3.7317, 14);
    expect(f.horizonVolatility).toBeCloseTo(Math.sqrt(3.7317), 14);
    expect(f.longRunVariance).toBeCloseTo(1, 14);
  });

  it('long forecasts head to the long-run variance', () => {
    const f = garchForecast(params, { lastVariance: 9, lastResidual: 3 }, 400);
    expect(f.variances[399]).toBeCloseTo(1, 12);
  });

  it.each<[string, () => unknown]>([
    ['α + β = 1', () => garchForecast({ omega: 0.1, alpha: 0.3, beta: 0.7 }, { lastVariance: 1, lastResidual: 0 }, 1)],
    ['ω = 0', () => garchConditionalVariance([1, 2], { omega: 0, alpha: 0.1, beta: 0.8 })],
    ['negative α', () => simulateGarch({ omega: 0.1, alpha: -0.1, beta: 0.8 }, 10, () => 0)],
    ['0 steps', () => garchForecast(params, { lastVariance: 1, lastResidual: 0 }, 0)],
  ])('%s → E_ANALYTICS_INPUT', (_name, fn) => {
    expect(analyticsErrorCode(fn)).toBe('E_ANALYTICS_INPUT');
  });
});
