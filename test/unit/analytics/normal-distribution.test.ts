import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalDensity, normalQuantile } from '../../../src/analytics/normal-distribution.js';
import { analyticsErrorCode } from './analytics-error-code.js';

describe('normalQuantile (AS 241)', () => {
  // Published values of Φ⁻¹ (tables; scipy.stats.norm.ppf agrees to the digits shown).
  it.each([
    [0.5, 0],
    [0.9, 1.2815515655446004],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.999, 3.090232306167813],
    [0.05, -1.6448536269514722],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%s) = %s', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 13);
  });

  it('is odd around ½ and increasing (property)', () => {
    fc.assert(
      // From 1e-4 on, the rounding of 1 − p moves Φ⁻¹ by < 1e-12.
      fc.property(fc.double({ min: 1e-4, max: 0.5, noNaN: true }), fc.double({ min: 1e-12, max: 0.5, noNaN: true }), (p, q) => {
        expect(normalQuantile(p) + normalQuantile(1 - p)).toBeCloseTo(0, 9);
        if (p < q) expect(normalQuantile(p)).toBeLessThanOrEqual(normalQuantile(q));
      }),
    );
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN])('p = %s → E_ANALYTICS_INPUT', (p) => {
    expect(analyticsErrorCode(() => normalQuantile(p))).toBe('E_ANALYTICS_INPUT');
  });
});

describe('normalDensity', () => {
  it('φ(0) = 1/√(2π), φ(1.6448536) = 0.1031356', () => {
    expect(normalDensity(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalDensity(1.6448536269514722)).toBeCloseTo(0.10313564037537139, 14);
  });
});
