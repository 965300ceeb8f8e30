import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beta,
  correlation,
  correlationMatrix,
  covarianceMatrix,
  ewmaCorrelation,
  rollingCorrelation,
} from '../../../src/analytics/correlation.js';
import { normalSource, seededUniform } from '../../../src/core/rng.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

// Worked example: x = 1..5, y = [2, 4, 5, 4, 5]. Means 3 and 4; deviations dx = −2, −1, 0, 1, 2 and
// dy = −2, 0, 1, 0, 1; Σdx·dy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60 = √0.6, cov = 6/4, beta = 6/10.
const x = [1, 2, 3, 4, 5];
const y = [2, 4, 5, 4, 5];
const z = [5, 4, 3, 2, 1];

describe('correlation', () => {
  it('perfectly correlated and anti-correlated series give ±1', () => {
    expect(correlation(x, x.map((v) => 3 * v + 1))).toBeCloseTo(1, 15);
    expect(correlation(x, x.map((v) => -2 * v))).toBeCloseTo(-1, 15);
  });

  it('worked example: √0.6', () => {
    expect(correlation(x, y)).toBeCloseTo(Math.sqrt(0.6), 15);
  });

  it('is null when either series is constant', () => {
    expect(correlation(x, [0.1, 0.1, 0.1, 0.1, 0.1])).toBeNull();
  });

  it.each<[string, string, () => unknown]>([
    ['one point', 'E_ANALYTICS_TOO_FEW_POINTS', () => correlation([1], [2])],
    ['unequal lengths', 'E_ANALYTICS_INPUT', () => correlation([1, 2, 3], [1, 2])],
    ['NaN', 'E_ANALYTICS_INPUT', () => correlation([1, Number.NaN], [1, 2])],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });
});

describe('rollingCorrelation', () => {
  it('window 3, worked by hand, aligned to the window end', () => {
    // t = 3: x 2,3,4 / y 2,3,3 → Σdxdy = 1, Σdx² = 2, Σdy² = 2/3 → 1/√(4/3) = 0.8660254;
    // t = 4: x 3,4,5 / y 3,3,2 → Σdxdy = −1 → −0.8660254; t = 5: y falls as x rises → −1.
    const r = rollingCorrelation([1, 2, 3, 4, 5, 6], [1, 2, 3, 3, 2, 1], 3);
    expect(r).toHaveLength(6);
    expect(r[0]).toBeNull();
    expect(r[1]).toBeNull();
    expect(r[2]).toBeCloseTo(1, 15);
    expect(r[3]).toBeCloseTo(Math.sqrt(3) / 2, 15);
    expect(r[4]).toBeCloseTo(-Math.sqrt(3) / 2, 15);
    expect(r[5]).toBeCloseTo(-1, 15);
  });

  it('is null over a window where one series is flat', () => {
    const r = rollingCorrelation([1, 2, 3, 4], [5, 5, 5, 6], 3);
    expect(r[2]).toBeNull();
    expect(r[3]).not.toBeNull();
  });

  it('default window is 30 (seed 002); shorter series → E_ANALYTICS_TOO_FEW_POINTS', () => {
    expect(analyticsErrorCode(() => rollingCorrelation(x, y))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
    expect(analyticsErrorCode(() => rollingCorrelation(x, y, 1))).toBe('E_ANALYTICS_INPUT');
  });
});

describe('ewmaCorrelation', () => {
  it('worked by hand, λ = 0.5: x = [1, 2], y = [1, −1]', () => {
    // Seeds vx = vy = c = 1; then vx = 0.5 + 0.5·4 = 2.5, vy = 1, c = 0.5 + 0.5·(−2) = −0.5.
    expect(ewmaCorrelation([1, 2], [1, -1], 0.5)).toBeCloseTo(-0.5 / Math.sqrt(2.5), 15);
  });

  it('proportional series → 1, opposite → −1; an all-zero series → null', () => {
    const a = [0.01, -0.02, 0.005, 0.03];
    expect(ewmaCorrelation(a, a.map((v) => 2 * v))).toBeCloseTo(1, 14);
    expect(ewmaCorrelation(a, a.map((v) => -v))).toBeCloseTo(-1, 14);
    expect(ewmaCorrelation(a, [0, 0, 0, 0])).toBeNull();
  });
});

describe('covariance and correlation matrices', () => {
  it('worked example with z = reversed x', () => {
    const cov = covarianceMatrix([x, y, z]);
    expect(cov[0]![0]).toBeCloseTo(2.5, 15);
    expect(cov[1]![1]).toBeCloseTo(1.5, 15);
    expect(cov[0]![1]).toBeCloseTo(1.5, 15);
    expect(cov[1]![0]).toBeCloseTo(1.5, 15);
    expect(cov[0]![2]).toBeCloseTo(-2.5, 15);
    const corr = correlationMatrix([x, y, z]);
    const expected = [
      [1, Math.sqrt(0.6), -1],
      [Math.sqrt(0.6), 1, -Math.sqrt(0.6)],
      [-1, -Math.sqrt(0.6), 1],
    ];
    corr.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 14)));
  });

  it('a constant series: null correlations, zero covariances', () => {
    const flat = [0.1, 0.1, 0.1, 0.1, 0.1];
    const corr = correlationMatrix([x, flat]);
    expect(corr[0]![0]).toBe(1);
    expect(corr[0]![1]).toBeNull();
    expect(corr[1]![1]).toBeNull();
    expect(covarianceMatrix([x, flat])[1]).toEqual([0, 0]);
  });

  it('degenerate input', () => {
    expect(analyticsErrorCode(() => correlationMatrix([]))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => correlationMatrix([x, [1, 2]]))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => covarianceMatrix([[1]]))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
  });
});

describe('beta', () => {
  it('worked example: cov/var = 1.5/2.5 = 0.6', () => {
    expect(beta(y, x)).toBeCloseTo(0.6, 15);
  });

  it('y = 2x + ε (10,000 seeded normal draws) → β ≈ 2', () => {
    const n = normalSource(seededUniform(99));
    const bench = Array.from({ length: 10_000 }, () => 0.01 * n());
    const asset = bench.map((b) => 2 * b + 0.005 * n());
    // Standard error of the slope ≈ 0.005 / (0.01·√10,000) = 0.005.
    expect(Math.abs(beta(asset, bench)! - 2)).toBeLessThan(0.02);
  });

  it('null against a constant benchmark, 0 for a constant asset', () => {
    expect(beta(x, [1, 1, 1, 1, 1])).toBeNull();
    expect(beta([3, 3, 3, 3, 3], x)).toBe(0);
  });
});

describe('properties', () => {
  const pair = fc.integer({ min: 2, max: 60 }).chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n }),
    ),
  );
  const inUnit = (v: number | null): void => {
    if (v === null) return;
    expect(v).toBeGreaterThanOrEqual(-1);
    expect(v).toBeLessThanOrEqual(1);
  };

  it('every correlation is in [−1, 1] or null', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        inUnit(correlation(a, b));
        inUnit(ewmaCorrelation(a, b));
        rollingCorrelation(a, b, 2).forEach(inUnit);
        correlationMatrix([a, b]).flat().forEach(inUnit);
      }),
    );
  });

  it('any numbers in: a typed error or finite figures out', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 20 }), fc.array(fc.double(), { maxLength: 20 }), (a, b) => {
        const n = Math.min(a.length, b.length);
        const [u, v] = [a.slice(0, n), b.slice(0, n)];
        finiteOrAnalyticsError(() => correlation(u, v));
        finiteOrAnalyticsError(() => ewmaCorrelation(u, v));
        finiteOrAnalyticsError(() => rollingCorrelation(u, v, 2));
        finiteOrAnalyticsError(() => correlationMatrix([u, v]));
        finiteOrAnalyticsError(() => covarianceMatrix([u, v]));
        finiteOrAnalyticsError(() => beta(u, v));
      }),
    );
  });
});
