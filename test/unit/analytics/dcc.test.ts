import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dccFilter, dccFilterState, dynamicCorrelation, fitDcc } from '../../../src/analytics/dcc.js';
import { simulateGarch } from '../../../src/analytics/garch.js';
import { normalSource, seededUniform } from '../../../src/core/rng.js';
import { analyticsErrorCode } from './analytics-error-code.js';

interface Golden {
  z1: number[];
  z2: number[];
  filter: { a: number; b: number; correlationsHead: number[]; correlationsLast: number; unconditional: number; next: number; objective: number };
  mle: { a: number; b: number; objective: number };
  tiny: { correlations: number[]; next: number };
}
const golden = JSON.parse(readFileSync(new URL('../../fixtures/analytics/dcc-golden.json', import.meta.url), 'utf8')) as Golden;

describe('dccFilter: the DCC(1,1) recursion', () => {
  it('three points by hand: Q̄ = [[2, ⅔], [⅔, 1]], a = 0.1, b = 0.8', () => {
    // ρ₀ = (2/3)/√2; Q₁ = 0.1·Q̄ + 0.1·[[1,1],[1,1]] + 0.8·Q̄ → ρ₁ = 0.7/√1.9;
    // Q₂ = 0.1·Q̄ + 0.1·[[1,−1],[−1,1]] + 0.8·Q₁ → ρ₂ = (0.2/3 − 0.1 + 0.56)/√1.82.
    const f = dccFilter([1, -1, 2], [1, 1, 1], { a: 0.1, b: 0.8 });
    expect(f.correlations[0]).toBeCloseTo(2 / 3 / Math.SQRT2, 14);
    expect(f.correlations[1]).toBeCloseTo(0.7 / Math.sqrt(1.9), 14);
    expect(f.correlations[2]).toBeCloseTo((0.2 / 3 - 0.1 + 0.56) / Math.sqrt(1.82), 14);
    expect(f.nextCorrelation).toBeCloseTo(golden.tiny.next, 12);
    expect(f.unconditionalCorrelation).toBeCloseTo(2 / 3 / Math.SQRT2, 14);
  });

  it('matches numpy on 1,500 simulated residuals (a = 0.04, b = 0.93)', () => {
    const f = dccFilter(golden.z1, golden.z2, { a: golden.filter.a, b: golden.filter.b });
    golden.filter.correlationsHead.forEach((r, t) => expect(f.correlations[t]).toBeCloseTo(r, 11));
    expect(f.correlations.at(-1)).toBeCloseTo(golden.filter.correlationsLast, 10);
    expect(f.unconditionalCorrelation).toBeCloseTo(golden.filter.unconditional, 12);
    expect(f.nextCorrelation).toBeCloseTo(golden.filter.next, 10);
    expect(f.objective).toBeCloseTo(golden.filter.objective, 7);
  });

  it("the end state alone (the hourly reading) is the full filter's, bit for bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_500 }), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 0.69, noNaN: true }), (n, a, b) => {
        const z1 = golden.z1.slice(0, n);
        const z2 = golden.z2.slice(0, n);
        const full = dccFilter(z1, z2, { a, b });
        const state = dccFilterState(z1, z2, { a, b });
        expect(Object.is(state.nextCorrelation, full.nextCorrelation)).toBe(true);
        expect(Object.is(state.unconditionalCorrelation, full.unconditionalCorrelation)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('a = b = 0 is the constant correlation of Q̄; ρ stays in [−1, 1] for any data and parameters', () => {
    const flat = dccFilter(golden.z1.slice(0, 50), golden.z2.slice(0, 50), { a: 0, b: 0 });
    expect(new Set(flat.correlations).size).toBe(1);
    expect(flat.nextCorrelation).toBeCloseTo(flat.unconditionalCorrelation, 15);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 2, maxLength: 60 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.49, noNaN: true }),
        (pts, a, b) => {
          const z1 = pts.map((p) => p[0]);
          const z2 = pts.map((p) => p[1]);
          // A series whose squares all underflow has no Q̄ (refused as degenerate, tested below).
          const ms = (z: number[]): number => z.reduce((s, v) => s + v * v, 0) / z.length;
          if (!(ms(z1) > 0 && ms(z2) > 0)) return;
          const f = dccFilter(z1, z2, { a, b });
          for (const r of [...f.correlations, f.nextCorrelation]) expect(Math.abs(r)).toBeLessThanOrEqual(1);
          expect(Number.isFinite(f.objective)).toBe(true);
        },
      ),
    );
  });

  it('refuses a + b ≥ 1, unequal lengths and an all-zero series, by code', () => {
    expect(analyticsErrorCode(() => dccFilter([1, 2], [1, 2], { a: 0.5, b: 0.5 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => dccFilter([1, 2], [1, 2, 3], { a: 0.1, b: 0.5 }))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => dccFilter([0, 0], [1, 2], { a: 0.1, b: 0.5 }))).toBe('E_ANALYTICS_DEGENERATE');
    expect(analyticsErrorCode(() => dccFilter([1], [1], { a: 0.1, b: 0.5 }))).toBe('E_ANALYTICS_TOO_FEW_POINTS');
  });
});

describe('fitDcc: maximum likelihood', () => {
  it('reaches scipy\'s optimum on the simulated residuals (a = 0.05, b = 0.9 simulated)', () => {
    const fit = fitDcc(golden.z1, golden.z2);
    expect(fit.a).toBeCloseTo(golden.mle.a, 3);
    expect(fit.b).toBeCloseTo(golden.mle.b, 3);
    expect(fit.objective).toBeLessThanOrEqual(golden.mle.objective + 1e-6);
    expect(fit.persistence).toBeLessThan(1);
  });
});

describe('dynamicCorrelation: two-step DCC on returns', () => {
  it('recovers a correlation that jumps: the next-period ρ follows the recent regime, Q̄ the whole window', () => {
    // 800 returns at ρ = 0.9, then 200 at ρ = 0 (σ from a GARCH process each).
    const n = normalSource(seededUniform(11));
    const a = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_000, n).returns;
    const e = simulateGarch({ omega: 1e-7, alpha: 0.05, beta: 0.9 }, 1_000, n).returns;
    const b = a.map((x, t) => (t < 800 ? 0.9 * x + Math.sqrt(1 - 0.81) * e[t]! : e[t]!));
    const d = dynamicCorrelation(a, b);
    expect(d.fit.unconditionalCorrelation).toBeGreaterThan(0.5);
    expect(d.fit.nextCorrelation).toBeLessThan(d.fit.unconditionalCorrelation - 0.3);
    expect(d.fit.correlations[700]!).toBeGreaterThan(0.7);
  });
});
