import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskyFactor } from '../../../src/analytics/cholesky.js';
import { deltaNormalVar, monteCarloVar, type CovarianceModel } from '../../../src/analytics/portfolio-var.js';
import { seededUniform } from '../../../src/core/rng.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

const Z99 = 2.3263478740408408; // Φ⁻¹(0.99)
const ES99 = 2.665214220345808; // φ(Z99) / 0.01

// ETH long, SOL short (the DN pair) plus a small BTC hedge; daily vols and correlations.
const positionsUsd = [10_000, -9_000, 2_000];
const volatilities = [0.04, 0.05, 0.03];
const corr = [
  [1, 0.8, 0.6],
  [0.8, 1, 0.5],
  [0.6, 0.5, 1],
];
const model: CovarianceModel = { volatilities, correlation: corr };

/** σ_P = √(posᵀ Σ pos) with Σij = σi σj ρij, by plain loops (independent of the code under test). */
function portfolioSigmaUsd(): number {
  let v = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) v += positionsUsd[i]! * positionsUsd[j]! * volatilities[i]! * volatilities[j]! * corr[i]![j]!;
  }
  return Math.sqrt(v);
}

describe('choleskyFactor', () => {
  it('factors the textbook matrix [[4,12,−16],[12,37,−43],[−16,−43,98]] into [[2,0,0],[6,1,0],[−8,5,3]]', () => {
    const l = choleskyFactor([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    const expected = [
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ];
    l.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 12)));
  });

  it.each<[string, string, number[][]]>([
    ['correlations that cannot coexist', 'E_ANALYTICS_NOT_POSITIVE_DEFINITE', [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]],
    ['a negative variance', 'E_ANALYTICS_NOT_POSITIVE_DEFINITE', [[-1, 0], [0, 1]]],
    ['perfect correlation (singular)', 'E_ANALYTICS_NOT_POSITIVE_DEFINITE', [[1, 1], [1, 1]]],
    ['asymmetric', 'E_ANALYTICS_INPUT', [[1, 0.5], [0.4, 1]]],
    ['ragged', 'E_ANALYTICS_INPUT', [[1, 0], [0]]],
    ['NaN entry', 'E_ANALYTICS_INPUT', [[1, Number.NaN], [Number.NaN, 1]]],
    ['empty', 'E_ANALYTICS_INPUT', []],
  ])('%s → %s', (_name, code, m) => {
    expect(analyticsErrorCode(() => choleskyFactor(m))).toBe(code);
  });
});

describe('deltaNormalVar', () => {
  it('= z·σ_P·√h in USD, and as a fraction of the portfolio value', () => {
    const r = deltaNormalVar({ positionsUsd, model, confidence: 0.99, horizonDays: 7, portfolioValueUsd: 25_000 });
    const sigma = portfolioSigmaUsd();
    expect(r.valueAtRiskUsd).toBeCloseTo(Z99 * sigma * Math.sqrt(7), 8);
    expect(r.expectedShortfallUsd).toBeCloseTo(ES99 * sigma * Math.sqrt(7), 8);
    expect(r.valueAtRisk).toBeCloseTo((Z99 * sigma * Math.sqrt(7)) / 25_000, 12);
    expect(r.simulations).toBeNull();
  });

  it('takes a covariance matrix just as well, and subtracts the mean P&L', () => {
    const cov = corr.map((row, i) => row.map((rho, j) => rho * volatilities[i]! * volatilities[j]!));
    const means = [0.001, 0.002, 0];
    const r = deltaNormalVar({ positionsUsd, model: { covariance: cov }, meanReturns: means, confidence: 0.99 });
    const drift = 10_000 * 0.001 - 9_000 * 0.002; // −8 USD a day
    expect(r.valueAtRiskUsd).toBeCloseTo(Z99 * portfolioSigmaUsd() - drift, 8);
    expect(r.valueAtRisk).toBeNull();
  });
});

describe('monteCarloVar', () => {
  it('is repeatable with a seed, and differs with another', () => {
    const a = monteCarloVar({ positionsUsd, model, confidence: 0.95, seed: 11, simulations: 5_000 });
    const b = monteCarloVar({ positionsUsd, model, confidence: 0.95, seed: 11, simulations: 5_000 });
    const c = monteCarloVar({ positionsUsd, model, confidence: 0.95, seed: 12, simulations: 5_000 });
    expect(a).toEqual(b);
    expect(c.valueAtRiskUsd).not.toBe(a.valueAtRiskUsd);
  });

  it.each([1.5, Number.NaN, 2 ** 32, -(2 ** 31) - 1])('seed %s → E_ANALYTICS_INPUT', (seed) => {
    expect(analyticsErrorCode(() => monteCarloVar({ positionsUsd, model, confidence: 0.95, seed, simulations: 100 }))).toBe('E_ANALYTICS_INPUT');
  });

  it('uses an injected uniform source when given (same source, same answer)', () => {
    const a = monteCarloVar({ positionsUsd, model, confidence: 0.95, uniform: seededUniform(5), simulations: 2_000 });
    const b = monteCarloVar({ positionsUsd, model, confidence: 0.95, uniform: seededUniform(5), simulations: 2_000, seed: 999 });
    expect(a.valueAtRiskUsd).toBe(b.valueAtRiskUsd);
  });

  it('converges to the parametric (delta-normal) VaR and ES for normal returns: 200,000 simulations within 1.5%', () => {
    // Standard error of the simulated 99% quantile ≈ 0.36% of it at 200k draws; 1.5% is > 4 SE.
    const sigma = portfolioSigmaUsd();
    const r = monteCarloVar({ positionsUsd, model, confidence: 0.99, horizonDays: 10, simulations: 200_000, seed: 3 });
    const expectedVar = Z99 * sigma * Math.sqrt(10);
    const expectedEs = ES99 * sigma * Math.sqrt(10);
    expect(Math.abs(r.valueAtRiskUsd / expectedVar - 1)).toBeLessThan(0.015);
    expect(Math.abs(r.expectedShortfallUsd / expectedEs - 1)).toBeLessThan(0.02);
    expect(r.expectedShortfallUsd).toBeGreaterThanOrEqual(r.valueAtRiskUsd);
    expect(r.simulations).toBe(200_000);
  });

  it('one asset: $1,000 at 2% daily vol, 95% → 1.6449 × $20', () => {
    const r = monteCarloVar({ positionsUsd: [1_000], model: { covariance: [[0.0004]] }, confidence: 0.95, simulations: 100_000 });
    expect(Math.abs(r.valueAtRiskUsd / (1.6448536269514722 * 20) - 1)).toBeLessThan(0.02);
  });

  it.each<[string, string, () => unknown]>([
    [
      'a covariance that is not positive definite',
      'E_ANALYTICS_NOT_POSITIVE_DEFINITE',
      () => monteCarloVar({ positionsUsd: [1, 1, 1], model: { volatilities: [0.1, 0.1, 0.1], correlation: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]] }, confidence: 0.95 }),
    ],
    ['correlation diagonal ≠ 1', 'E_ANALYTICS_INPUT', () => monteCarloVar({ positionsUsd: [1, 1], model: { volatilities: [0.1, 0.1], correlation: [[0.9, 0], [0, 1]] }, confidence: 0.95 })],
    ['|ρ| > 1', 'E_ANALYTICS_INPUT', () => monteCarloVar({ positionsUsd: [1, 1], model: { volatilities: [0.1, 0.1], correlation: [[1, 1.2], [1.2, 1]] }, confidence: 0.95 })],
    ['positions and matrix of different sizes', 'E_ANALYTICS_INPUT', () => monteCarloVar({ positionsUsd: [1, 1], model, confidence: 0.95 })],
    ['no positions', 'E_ANALYTICS_TOO_FEW_POINTS', () => monteCarloVar({ positionsUsd: [], model: { covariance: [] }, confidence: 0.95 })],
    ['NaN position', 'E_ANALYTICS_INPUT', () => monteCarloVar({ positionsUsd: [Number.NaN, 1, 1], model, confidence: 0.95 })],
    ['fewer simulations than 1/(1 − c)', 'E_ANALYTICS_TOO_FEW_POINTS', () => monteCarloVar({ positionsUsd, model, confidence: 0.99, simulations: 50 })],
    ['zero simulations', 'E_ANALYTICS_INPUT', () => monteCarloVar({ positionsUsd, model, confidence: 0.99, simulations: 0 })],
    ['negative variance', 'E_ANALYTICS_INPUT', () => deltaNormalVar({ positionsUsd: [1], model: { covariance: [[-1]] }, confidence: 0.95 })],
    ['portfolio value 0', 'E_ANALYTICS_INPUT', () => deltaNormalVar({ positionsUsd, model, confidence: 0.95, portfolioValueUsd: 0 })],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });

  it('VaR is non-decreasing in confidence and ES ≥ VaR for any positions (property, same seed)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (pos, c1, c2) => {
          const [lo, hi] = c1 <= c2 ? [c1, c2] : [c2, c1];
          const a = monteCarloVar({ positionsUsd: pos, model, confidence: lo, simulations: 1_000, seed: 1 });
          const b = monteCarloVar({ positionsUsd: pos, model, confidence: hi, simulations: 1_000, seed: 1 });
          expect(b.valueAtRiskUsd).toBeGreaterThanOrEqual(a.valueAtRiskUsd);
          expect(a.expectedShortfallUsd).toBeGreaterThanOrEqual(a.valueAtRiskUsd);
          finiteOrAnalyticsError(() => a);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('no NaN out', () => {
  it('any positions and means (NaN, ±∞, 1e308 included): a typed error or finite figures', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 3, maxLength: 3 }), fc.array(fc.double(), { minLength: 3, maxLength: 3 }), (pos, means) => {
        finiteOrAnalyticsError(() => deltaNormalVar({ positionsUsd: pos, meanReturns: means, model, confidence: 0.99, horizonDays: 10 }));
        finiteOrAnalyticsError(() => monteCarloVar({ positionsUsd: pos, meanReturns: means, model, confidence: 0.99, simulations: 200 }));
      }),
      { numRuns: 100 },
    );
  });
});
