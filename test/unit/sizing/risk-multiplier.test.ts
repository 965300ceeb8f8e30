import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import {
  DEFAULT_RISK_MULTIPLIER_CONFIG,
  computeRiskMultiplier,
  riskMultiplier,
  riskMultiplierConfigSchema,
  shouldRecalculate,
} from '../../../src/sizing/risk-multiplier.js';
import { errorCode } from '../error-code.js';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const between = (min: number, max: number, opts: { minExcluded?: boolean; maxExcluded?: boolean } = {}) =>
  fc.double({ min, max, noNaN: true, ...opts });

describe("seed 000's formula", () => {
  it('defaults are the seed numbers', () => {
    expect(DEFAULT_RISK_MULTIPLIER_CONFIG).toMatchObject({
      signalWeight: 2,
      signalCap: 2,
      confidenceWeight: 0.5,
      pnlCoefficient: 10,
      min: 0.2,
      max: 3,
      defensiveSignalBelow: 0.5,
      recalcEveryTrades: 10,
      recalcEveryMs: 3_600_000,
    });
  });

  it('computes (min(2·signal, 2) + 0.5·confidence) × (1 + 10·avgPnl) inside the bounds', () => {
    const r = computeRiskMultiplier({ signalStrength: 0.6, confidence: 0.4, avgPnlLast50: 0.02 });
    expect(r.signalComponent).toBeCloseTo(1.2, 12);
    expect(r.confidenceComponent).toBeCloseTo(0.2, 12);
    expect(r.performanceFactor).toBeCloseTo(1.2, 12);
    expect(r.multiplier).toBeCloseTo(1.68, 12);
    expect(r.bound).toBe('none');
  });

  it('"$0.10 profit = 2x": the performance factor at +$0.10 per round trip is 2', () => {
    expect(computeRiskMultiplier({ signalStrength: 0.6, confidence: 0, avgPnlLast50: 0.1 }).performanceFactor).toBeCloseTo(2, 12);
  });

  it('caps the signal component at 2 (signal above 1 adds nothing)', () => {
    expect(riskMultiplier({ signalStrength: 1.7, confidence: 0.2 })).toBeCloseTo(2.1, 12);
    expect(riskMultiplier({ signalStrength: 1, confidence: 0.2 })).toBeCloseTo(2.1, 12);
  });

  it.each([null, undefined])('no round trips yet (%s) → performance factor 1.0 (ruling 1)', (avg) => {
    const r = computeRiskMultiplier({ signalStrength: 0.7, confidence: 0.5, avgPnlLast50: avg });
    expect(r.performanceFactor).toBe(1);
    expect(r.multiplier).toBeCloseTo(1.65, 12);
    expect(riskMultiplier({ signalStrength: 0.7, confidence: 0.5 })).toBeCloseTo(1.65, 12);
  });

  it('a losing average that turns the factor negative gives the floor', () => {
    const r = computeRiskMultiplier({ signalStrength: 0.9, confidence: 1, avgPnlLast50: -0.2 });
    expect(r.performanceFactor).toBeCloseTo(-1, 12);
    expect(r.raw).toBeLessThan(0);
    expect(r.multiplier).toBe(0.2);
    expect(r.bound).toBe('floor');
  });

  it('the coefficient and the defensive threshold are config values', () => {
    const config = riskMultiplierConfigSchema.parse({ pnlCoefficient: 5, defensiveSignalBelow: 0.3 });
    expect(riskMultiplier({ signalStrength: 0.4, confidence: 0, avgPnlLast50: 0.1 }, config)).toBeCloseTo(1.2, 12);
    expect(riskMultiplier({ signalStrength: 0.4, confidence: 0, avgPnlLast50: 0.1 })).toBe(0.2);
  });

  it('the config schema is strict and checks min ≤ max', () => {
    expect(riskMultiplierConfigSchema.safeParse({ coefficient: 10 }).success).toBe(false);
    expect(riskMultiplierConfigSchema.safeParse({ min: 4, max: 3 }).success).toBe(false);
  });
});

describe("seed 000's worked rows", () => {
  it('AVNT: signal 0.92 and $1.285/trade give the 3.0 cap at any confidence', () => {
    for (const confidence of [0, 0.21, 0.5, 1]) {
      const r = computeRiskMultiplier({ signalStrength: 0.92, confidence, avgPnlLast50: 404.68 / 315 });
      expect(r.performanceFactor).toBeCloseTo(13.847, 3);
      expect(r.multiplier).toBe(3);
      expect(r.bound).toBe('cap');
    }
  });

  it('ETH: confidence 0.21 and −$0.048/trade give 0.3–0.7 for signals 0.5 to ~0.62', () => {
    const eth = (signalStrength: number, avgPnlLast50 = -0.048): number => riskMultiplier({ signalStrength, confidence: 0.21, avgPnlLast50 });
    // (2·s + 0.105) × 0.52
    expect(eth(0.5)).toBeCloseTo(0.5746, 12);
    expect(eth(0.6)).toBeCloseTo(0.6786, 12);
    for (const s of [0.5, 0.55, 0.6, 0.62]) {
      expect(eth(s)).toBeGreaterThanOrEqual(0.3);
      expect(eth(s)).toBeLessThanOrEqual(0.7);
    }
    // With the unrounded average (−$10.88 / 227 = −$0.04793) the factor is 0.5207: same picture.
    expect(eth(0.5, -10.88 / 227)).toBeCloseTo(0.57538, 5);
    expect(eth(0.6, -10.88 / 227)).toBeLessThanOrEqual(0.7);
    // Not in the table: above signal ≈ 0.62 the formula leaves the row's 0.3–0.7 (0.8 → 0.887).
    expect(eth(0.7)).toBeGreaterThan(0.7);
    expect(eth(0.8)).toBeCloseTo(0.8866, 12);
    // Nor the "ETH at 0.3x" projection: in the 0.5–0.8 band the formula never goes below 0.5746.
    expect(eth(0.5)).toBeGreaterThan(0.3);
  });

  it('row 1 (signal > 0.8, any confidence, > $0.50/trade) → 3.0 everywhere', () => {
    fc.assert(
      fc.property(between(0.8, 1, { minExcluded: true }), unit, between(0.5, 100, { minExcluded: true }), (s, c, pnl) => {
        expect(riskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl })).toBe(3);
      }),
    );
  });

  it('row 2 (signal > 0.8, $0.10–$0.50) does NOT follow the formula: table 2.0–2.8x, formula 3.0', () => {
    // (> 1.6 + ≥ 0) × ≥ 2 > 3.2 → always the cap.
    fc.assert(
      fc.property(between(0.8, 1, { minExcluded: true }), unit, between(0.1, 0.5), (s, c, pnl) => {
        expect(riskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl })).toBe(3);
      }),
    );
  });

  it('row 3 (signal 0.5–0.8, confidence > 0.5, > $0.05) does NOT follow the formula: table 1.0–1.5x, formula > 1.875', () => {
    fc.assert(
      fc.property(between(0.5, 0.8), between(0.5, 1, { minExcluded: true }), between(0.05, 10, { minExcluded: true }), (s, c, pnl) => {
        expect(riskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl })).toBeGreaterThan(1.875);
      }),
    );
  });

  it('row 4 (signal 0.5–0.8, confidence < 0.5, < $0.05) only partly follows: the formula spans the floor to 2.775', () => {
    fc.assert(
      fc.property(between(0.5, 0.8), between(0, 0.5, { maxExcluded: true }), between(-10, 0.05, { maxExcluded: true }), (s, c, pnl) => {
        const m = riskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl });
        expect(m).toBeGreaterThanOrEqual(0.2);
        expect(m).toBeLessThan(2.775);
      }),
    );
  });

  it('row 5 (signal < 0.5) → the 0.2 floor whatever the rest (ruling 1 gate)', () => {
    fc.assert(
      fc.property(between(0, 0.5, { maxExcluded: true }), unit, fc.option(between(-100, 100)), (s, c, pnl) => {
        const r = computeRiskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl });
        expect(r.multiplier).toBe(0.2);
        expect(r.bound).toBe('defensive');
      }),
    );
    // The gate overrides even AVNT-grade performance.
    expect(riskMultiplier({ signalStrength: 0.49, confidence: 1, avgPnlLast50: 1.285 })).toBe(0.2);
  });
});

describe('riskMultiplier properties and domain', () => {
  it('is always in [0.2, 3]', () => {
    fc.assert(
      fc.property(between(0, 10), unit, fc.option(between(-1e6, 1e6), { nil: undefined }), (s, c, pnl) => {
        const m = riskMultiplier({ signalStrength: s, confidence: c, avgPnlLast50: pnl });
        expect(m).toBeGreaterThanOrEqual(0.2);
        expect(m).toBeLessThanOrEqual(3);
      }),
    );
  });

  it.each([
    ['NaN signal', { signalStrength: Number.NaN, confidence: 0.5 }],
    ['negative signal', { signalStrength: -0.1, confidence: 0.5 }],
    ['infinite signal', { signalStrength: Number.POSITIVE_INFINITY, confidence: 0.5 }],
    ['NaN confidence', { signalStrength: 0.7, confidence: Number.NaN }],
    ['confidence above 1', { signalStrength: 0.7, confidence: 1.01 }],
    ['negative confidence', { signalStrength: 0.7, confidence: -0.01 }],
    ['NaN average', { signalStrength: 0.7, confidence: 0.5, avgPnlLast50: Number.NaN }],
    ['infinite average', { signalStrength: 0.7, confidence: 0.5, avgPnlLast50: Number.NEGATIVE_INFINITY }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => riskMultiplier(input))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('out-of-domain input always throws E_INPUT_INVALID (property)', () => {
    const bad = fc.oneof(fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.double({ max: -1e-9, noNaN: true }));
    fc.assert(
      fc.property(bad, unit, (s, c) => {
        expect(errorCode(() => riskMultiplier({ signalStrength: s, confidence: c }))).toBe(ErrorCodes.INPUT_INVALID);
        expect(errorCode(() => riskMultiplier({ signalStrength: c, confidence: s }))).toBe(ErrorCodes.INPUT_INVALID);
      }),
    );
  });
});

describe('shouldRecalculate (every 10 round trips or 1 hour, whichever first)', () => {
  it.each([
    [0, 0, false],
    [9, 3_599_999, false],
    [10, 0, true],
    [25, 5, true],
    [0, 3_600_000, true],
    [3, null, true],
    [0, null, true],
  ])('%s trades, %s ms → %s', (tradesSinceLast, msSinceLast, expected) => {
    expect(shouldRecalculate({ tradesSinceLast, msSinceLast })).toBe(expected);
  });

  it('both thresholds are configurable', () => {
    const config = riskMultiplierConfigSchema.parse({ recalcEveryTrades: 5, recalcEveryMs: 60_000 });
    expect(shouldRecalculate({ tradesSinceLast: 5, msSinceLast: 0 }, config)).toBe(true);
    expect(shouldRecalculate({ tradesSinceLast: 0, msSinceLast: 60_000 }, config)).toBe(true);
    expect(shouldRecalculate({ tradesSinceLast: 4, msSinceLast: 59_999 }, config)).toBe(false);
  });

  it.each([
    [-1, 0],
    [1.5, 0],
    [Number.NaN, 0],
    [0, -1],
    [0, Number.NaN],
  ])('refuses %s trades / %s ms with E_INPUT_INVALID', (tradesSinceLast, msSinceLast) => {
    expect(errorCode(() => shouldRecalculate({ tradesSinceLast, msSinceLast }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('riskMultiplier overflow', () => {
  it('an overflowing performance factor with a zero base fails closed to the floor, never NaN', () => {
    const config = riskMultiplierConfigSchema.parse({ defensiveSignalBelow: 0 });
    const r = computeRiskMultiplier({ signalStrength: 0, confidence: 0, avgPnlLast50: 1e308 }, config);
    expect(r.multiplier).toBe(0.2);
    expect(r.bound).toBe('floor');
    expect(riskMultiplier({ signalStrength: 0.9, confidence: 0.5, avgPnlLast50: 1e308 })).toBe(3);
  });
});
