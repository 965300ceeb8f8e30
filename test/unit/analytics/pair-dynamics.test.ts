import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REGIME_THRESHOLDS, marketRegime } from '../../../src/analytics/correlation-regime.js';
import { adjustHedgeRatio } from '../../../src/analytics/hedge-ratio.js';
import { pairDynamics, pairDynamicsFromModel } from '../../../src/analytics/pair-dynamics.js';
import { simulateGarch } from '../../../src/analytics/garch.js';
import { normalSource, seededUniform } from '../../../src/core/rng.js';
import { analyticsErrorCode } from './analytics-error-code.js';

describe('marketRegime: thresholds ¾ / 1½ on σ, a 0.3 drop or ρ < 0.3 for a break-down', () => {
  it.each([
    { ratios: [1, 1], rho: 0.8, lr: 0.8, label: 'normal', vol: 'normal', brk: false },
    { ratios: [1.6, 0.9], rho: 0.8, lr: 0.8, label: 'high-volatility', vol: 'high', brk: false },
    { ratios: [1.5, 1.5], rho: 0.8, lr: 0.8, label: 'normal', vol: 'normal', brk: false },
    { ratios: [0.7, 0.74], rho: 0.8, lr: 0.8, label: 'low-volatility', vol: 'low', brk: false },
    { ratios: [0.7, 0.8], rho: 0.8, lr: 0.8, label: 'normal', vol: 'normal', brk: false },
    { ratios: [1, 1], rho: 0.49, lr: 0.8, label: 'correlation-breakdown', vol: 'normal', brk: true },
    { ratios: [1, 1], rho: 0.5, lr: 0.8, label: 'normal', vol: 'normal', brk: false },
    { ratios: [1, 1], rho: 0.29, lr: 0.35, label: 'correlation-breakdown', vol: 'normal', brk: true },
    { ratios: [2, 2], rho: -0.2, lr: 0.8, label: 'correlation-breakdown', vol: 'high', brk: true },
  ])('σ ratios $ratios, ρ $rho (long-run $lr) → $label', ({ ratios, rho, lr, label, vol, brk }) => {
    const r = marketRegime({ volatilityRatios: ratios, correlation: rho, longRunCorrelation: lr });
    expect(r.label).toBe(label);
    expect(r.volatility).toBe(vol);
    expect(r.correlationBreakdown).toBe(brk);
    expect(r.volatilityRatio).toBe(Math.max(...ratios));
  });

  it('refuses a correlation outside [−1, 1], no legs and inverted thresholds', () => {
    expect(analyticsErrorCode(() => marketRegime({ volatilityRatios: [1], correlation: 1.2, longRunCorrelation: 0.5 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => marketRegime({ volatilityRatios: [], correlation: 0.5, longRunCorrelation: 0.5 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => marketRegime({ volatilityRatios: [1], correlation: 0.5, longRunCorrelation: 0.5 }, { ...DEFAULT_REGIME_THRESHOLDS, highVolatilityRatio: 0.9 }))).toBe('E_ANALYTICS_INPUT');
  });
});

describe('adjustHedgeRatio: minimum-variance ratio ρ·σ_L/σ_S', () => {
  it('by hand: ρ 0.8, σ_L 2%, σ_S 1.5% → 1.0667; clamped at 2 and ½; 1 in a break-down', () => {
    expect(adjustHedgeRatio({ correlation: 0.8, longVolatility: 0.02, shortVolatility: 0.015 })).toEqual({ ratio: (0.8 * 0.02) / 0.015, minimumVariance: (0.8 * 0.02) / 0.015, reason: 'minimum-variance' });
    expect(adjustHedgeRatio({ correlation: 0.9, longVolatility: 0.05, shortVolatility: 0.01 }).ratio).toBe(2);
    expect(adjustHedgeRatio({ correlation: 0.2, longVolatility: 0.01, shortVolatility: 0.01 })).toMatchObject({ ratio: 0.5, reason: 'clamped' });
    expect(adjustHedgeRatio({ correlation: 0.2, longVolatility: 0.01, shortVolatility: 0.01, regime: { correlationBreakdown: true } })).toMatchObject({ ratio: 1, reason: 'correlation-breakdown' });
  });

  it('the ratio minimises the variance of r_L − h·r_S (property, against a grid)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0.005, max: 0.05, noNaN: true }), fc.double({ min: 0.005, max: 0.05, noNaN: true }), (rho, sl, ss) => {
        const h = adjustHedgeRatio({ correlation: rho, longVolatility: sl, shortVolatility: ss, maxTilt: 1e6 }).ratio;
        const variance = (k: number): number => sl * sl - 2 * k * rho * sl * ss + k * k * ss * ss;
        for (const k of [h * 0.9, h * 1.1, h - 0.01, h + 0.01]) expect(variance(h)).toBeLessThanOrEqual(variance(k) + 1e-15);
      }),
    );
  });
});

describe('pairDynamics: DCC, regime and hedge ratio from a pair\'s returns', () => {
  it('a pair whose correlation collapses reads as a break-down and hedges dollar-neutral', () => {
    const n = normalSource(seededUniform(5));
    const a = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_000, n).returns;
    const e = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_000, n).returns;
    const b = a.map((x, t) => (t < 850 ? 0.95 * x + Math.sqrt(1 - 0.95 ** 2) * e[t]! : e[t]!));
    const d = pairDynamics(a, b);
    expect(d.regime.label).toBe('correlation-breakdown');
    expect(d.hedgeRatio).toMatchObject({ ratio: 1, reason: 'correlation-breakdown' });
  });

  it('a stable pair whose long leg moves 1.5× the short one hedges about 1.5× the short notional', () => {
    const n = normalSource(seededUniform(6));
    const s = simulateGarch({ omega: 1e-7, alpha: 0.03, beta: 0.9 }, 1_500, n).returns;
    const e = simulateGarch({ omega: 1e-7, alpha: 0.03, beta: 0.9 }, 1_500, n).returns;
    const l = s.map((x, t) => 1.5 * x + 0.3 * e[t]!);
    const d = pairDynamics(l, s);
    expect(d.regime.correlationBreakdown).toBe(false);
    expect(d.correlation).toBeGreaterThan(0.9);
    expect(d.hedgeRatio.ratio).toBeGreaterThan(1.3);
    expect(d.hedgeRatio.ratio).toBeLessThan(1.7);
  });
});

describe('pairDynamicsFromModel: filtering with parameters fitted earlier', () => {
  it('on the fitted window it reproduces the fit\'s reading; on a later window it moves with the data', () => {
    const n = normalSource(seededUniform(9));
    const s = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_200, n).returns;
    const e = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_200, n).returns;
    const l = s.map((x, t) => 1.2 * x + 0.5 * e[t]!);
    const fit = pairDynamics(l.slice(0, 1_000), s.slice(0, 1_000));
    const again = pairDynamicsFromModel(l.slice(0, 1_000), s.slice(0, 1_000), fit.model);
    expect(again.correlation).toBeCloseTo(fit.correlation, 9);
    expect(again.longRunCorrelation).toBeCloseTo(fit.longRunCorrelation, 9);
    expect(again.hedgeRatio.ratio).toBeCloseTo(fit.hedgeRatio.ratio, 9);
    expect(again.volatilityRatios[0]).toBeCloseTo(fit.volatilityRatios[0], 9);
    expect(again.regime.label).toBe(fit.regime.label);
    const later = pairDynamicsFromModel(l.slice(200), s.slice(200), fit.model);
    expect(later.observations).toBe(1_000);
    expect(later.correlation).not.toBe(fit.correlation);
  });
});
