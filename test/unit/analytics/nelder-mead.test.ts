import { describe, expect, it } from 'vitest';
import { minimizeNelderMead } from '../../../src/analytics/nelder-mead.js';
import { analyticsErrorCode } from './analytics-error-code.js';

describe('minimizeNelderMead', () => {
  it('finds the Rosenbrock minimum (1, 1) from (−1.2, 1)', () => {
    const rosenbrock = (x: readonly number[]): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5_000, xTolerance: 1e-10, fTolerance: 1e-16 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.value).toBeLessThan(1e-12);
  });

  it('minimises a 4-d quadratic centred at (1, −2, 3, 0.5)', () => {
    const c = [1, -2, 3, 0.5];
    const r = minimizeNelderMead((x) => x.reduce((s, v, i) => s + (i + 1) * (v - c[i]!) ** 2, 0), [0, 0, 0, 0], {
      maxIterations: 5_000,
    });
    r.x.forEach((v, i) => expect(v).toBeCloseTo(c[i]!, 5));
  });

  it('treats a non-finite value as +∞ and backs away from it', () => {
    const r = minimizeNelderMead((x) => (x[0]! < 0 ? Number.NaN : (x[0]! - 2) ** 2), [0.1]);
    expect(r.x[0]).toBeCloseTo(2, 5);
  });

  it('reports non-convergence at the iteration cap', () => {
    const r = minimizeNelderMead((x) => (x[0]! - 100) ** 2, [0], { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
  });

  it('refuses a non-finite or empty start', () => {
    expect(analyticsErrorCode(() => minimizeNelderMead(() => 0, [Number.NaN]))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => minimizeNelderMead(() => 0, []))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
  });
});
