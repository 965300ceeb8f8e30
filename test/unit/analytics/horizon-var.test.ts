import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historicalVar, horizonVar, horizonVarFigure, overlappingSums, riskContributions, varianceRatio } from '../../../src/analytics/index.js';

/** A deterministic standard-normal-ish stream (Box–Muller over a small LCG). */
function noise(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** AR(1) returns rₜ = φ·rₜ₋₁ + εₜ: φ < 0 is a mean-reverting book (its variance ratio → (1+φ)/(1−φ)). */
function ar1(n: number, phi: number, seed: number): number[] {
  const e = noise(n, seed);
  const out: number[] = [];
  let prev = 0;
  for (const x of e) {
    prev = phi * prev + 0.001 * x;
    out.push(prev);
  }
  return out;
}

describe('variance ratio and overlapping windows', () => {
  it('matches numpy on a small table (ddof = 1, overlapping windows of 3)', () => {
    const x = [0.01, -0.02, 0.015, 0.003, -0.007, 0.004, 0.01, -0.012, 0.002, 0.006];
    expect(overlappingSums(x, 3)).toHaveLength(8);
    expect(varianceRatio(x, 3, 2)).toBeCloseTo(0.06958432826861252, 12);
  });

  it.each([
    ['independent', 0, 1],
    ['mean-reverting', -0.5, 1 / 3],
  ])('%s returns: VR(60) ≈ %s', (_name, phi, expected) => {
    expect(varianceRatio(ar1(40_000, phi, 7), 60)!).toBeCloseTo(expected, 1);
  });
});

describe('horizonVar: a horizon that respects mean reversion', () => {
  const opts = { confidence: 0.95, horizonDays: 1, periodsPerDay: 60, portfolioValueUsd: 10_000 } as const;

  it('uses overlapping windows when the history allows, far below √t on a mean-reverting book', () => {
    const r = ar1(20_000, -0.5, 3);
    const honest = horizonVar(r, opts);
    const rootT = historicalVar(r, { ...opts, horizonMethod: 'square-root-of-time' });
    expect(honest.horizonMethod).toBe('overlapping-sum');
    expect(honest.valueAtRisk).toBeCloseTo(historicalVar(r, { ...opts, horizonMethod: 'overlapping-sum' }).valueAtRisk, 15);
    expect(honest.valueAtRisk / rootT.valueAtRisk).toBeGreaterThan(0.45);
    expect(honest.valueAtRisk / rootT.valueAtRisk).toBeLessThan(0.75); // ≈ √(1/3)
    expect(honest.varianceRatio!).toBeLessThan(0.45);
  });

  it('falls back to √t, flagged, when fewer than 20 windows remain (95%)', () => {
    const r = ar1(78, -0.5, 5); // 78 − 60 + 1 = 19 windows
    const est = horizonVar(r, opts);
    expect(est.horizonMethod).toBe('square-root-of-time');
    expect(est.valueAtRisk).toBeCloseTo(historicalVar(r, { ...opts, horizonMethod: 'square-root-of-time' }).valueAtRisk, 15);
    expect(horizonVar(ar1(79, -0.5, 5), opts).horizonMethod).toBe('overlapping-sum');
  });

  it('a 7-day horizon on 1-minute returns needs 7 days and 19 minutes of history', () => {
    const week = { confidence: 0.95, horizonDays: 7, periodsPerDay: 1_440 } as const;
    expect(horizonVar(ar1(10_080, 0, 1), week).horizonMethod).toBe('square-root-of-time');
    expect(horizonVar(ar1(10_099, 0, 1), week).horizonMethod).toBe('overlapping-sum');
  });
});

describe('horizonVarFigure: the figure without the variance ratio', () => {
  it("is horizonVar's VaR, ES and method, bit for bit, on both sides of the overlapping-window threshold", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 3_000 }), fc.double({ min: -0.6, max: 0.6, noNaN: true }), fc.nat(1_000), fc.constantFrom(0.95, 0.99), (n, phi, seed, confidence) => {
        const r = ar1(n, phi, seed);
        const opts = { confidence, horizonDays: 1, periodsPerDay: 1_440, portfolioValueUsd: 10_000 };
        const { varianceRatio: _vr, ...want } = horizonVar(r, opts);
        expect(horizonVarFigure(r, opts)).toStrictEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});

describe('riskContributions (Euler shares of portfolio variance)', () => {
  it('matches numpy on a small table', () => {
    const R = [
      [0.01, -0.02, 0.015, 0.003, -0.007],
      [0.004, 0.01, -0.012, 0.002, 0.006],
      [-0.003, 0.001, 0.002, -0.004, 0.009],
    ];
    const c = riskContributions(R, [0.5, -0.3, 0.2])!;
    [0.7631860187338907, 0.255547872006035, -0.018733890739925825].forEach((v, k) => expect(c[k]).toBeCloseTo(v, 12));
  });

  it('sum to 1, not n/(n − 1) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 3, max: 60 }), fc.integer({ min: 0, max: 1e6 }), (k, n, seed) => {
        const R = Array.from({ length: k }, (_, i) => noise(n, seed + i * 7919).map((x) => 0.01 * x));
        const w = noise(k, seed + 13);
        const c = riskContributions(R, w);
        if (c === null) return;
        expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }),
    );
  });

  it('a flat portfolio has no shares', () => {
    expect(riskContributions([[0.01, 0.02, 0.03]], [0])).toBeNull();
  });
});
