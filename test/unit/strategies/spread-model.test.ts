import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/rng.js';
import { fitSpread, spreadZ } from '../../../strategies/dn-pair/spread-model.js';

/** ln(A) = alpha + beta·ln(B) + noise, with ln(B) a random walk. */
function synthetic(n: number, alpha: number, beta: number, noise: number, seed = 1): { logA: number[]; logB: number[] } {
  const rng = new SeededRng(seed);
  const logA: number[] = [];
  const logB: number[] = [];
  let b = Math.log(150);
  for (let i = 0; i < n; i++) {
    b += 0.002 * rng.normal();
    logB.push(b);
    logA.push(alpha + beta * b + noise * rng.normal());
  }
  return { logA, logB };
}

describe('fitSpread', () => {
  it.each([
    [1.3, 1.5],
    [0.8, 3.0],
    [1.0, 2.99],
    [-0.5, 10],
  ])('recovers beta %s (alpha %s) from a known relation', (beta, alpha) => {
    const { logA, logB } = synthetic(600, alpha, beta, 0.0005);
    const fit = fitSpread(logA, logB);
    expect(fit).not.toBeNull();
    expect(fit!.beta).toBeCloseTo(beta, 1);
    expect(Math.abs(fit!.beta - beta)).toBeLessThan(0.03);
    expect(fit!.r2).toBeGreaterThan(0.9);
    expect(fit!.r2).toBeLessThanOrEqual(1);
    expect(fit!.n).toBe(600);
    // OLS residuals have mean ≈ 0 and a std close to the injected noise.
    expect(Math.abs(fit!.mean)).toBeLessThan(1e-9);
    expect(fit!.std).toBeGreaterThan(0.0004);
    expect(fit!.std).toBeLessThan(0.0006);
  });

  it('gives a low R² when leg B does not explain leg A', () => {
    const rng = new SeededRng(4);
    const logB = Array.from({ length: 500 }, () => 5 + 0.01 * rng.normal());
    const logA = Array.from({ length: 500 }, () => 8 + 0.01 * rng.normal());
    const fit = fitSpread(logA, logB);
    expect(fit).not.toBeNull();
    expect(fit!.r2).toBeLessThan(0.05);
  });

  it('needs at least 10 points', () => {
    const { logA, logB } = synthetic(10, 1, 1.2, 0.001);
    expect(fitSpread(logA.slice(0, 9), logB.slice(0, 9))).toBeNull();
    expect(fitSpread(logA, logB)).not.toBeNull();
    expect(fitSpread([], [])).toBeNull();
  });

  it('uses the common length of mismatched windows', () => {
    const { logA, logB } = synthetic(50, 1, 1.2, 0.001);
    expect(fitSpread(logA, logB.slice(0, 30))?.n).toBe(30);
  });

  it.each([
    ['leg B constant', Array.from({ length: 30 }, (_, i) => i * 0.01), Array.from({ length: 30 }, () => 5)],
    ['leg A constant', Array.from({ length: 30 }, () => 8), Array.from({ length: 30 }, (_, i) => i * 0.01)],
    ['an exact relation (no residual variance)', Array.from({ length: 30 }, (_, i) => 1 + 2 * i * 0.01), Array.from({ length: 30 }, (_, i) => i * 0.01)],
  ])('returns null for zero variance: %s', (_name, logA, logB) => {
    expect(fitSpread(logA, logB)).toBeNull();
  });
});

describe('spreadZ', () => {
  const { logA, logB } = synthetic(300, 1.5, 1.3, 0.001, 9);
  const fit = fitSpread(logA, logB)!;
  const priceB = Math.exp(logB[logB.length - 1]!);
  const fairA = Math.exp(fit.alpha + fit.beta * Math.log(priceB) + fit.mean);

  it('is ≈ 0 at the fitted fair value', () => {
    expect(spreadZ(fit, fairA, priceB)).toBeCloseTo(0, 9);
  });

  it('is positive when leg A is rich and negative when cheap', () => {
    expect(spreadZ(fit, fairA * 1.01, priceB)).toBeGreaterThan(0);
    expect(spreadZ(fit, fairA * 0.99, priceB)).toBeLessThan(0);
  });

  it('is negative when leg B is rich against A (beta > 0)', () => {
    expect(spreadZ(fit, fairA, priceB * 1.01)).toBeLessThan(0);
  });

  it('measures the distance in residual standard deviations', () => {
    const twoSigmaRich = fairA * Math.exp(2 * fit.std);
    expect(spreadZ(fit, twoSigmaRich, priceB)).toBeCloseTo(2, 6);
  });
});
