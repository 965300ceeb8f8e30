import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HARD_LEVERAGE_CAP,
  PROHIBITED_LEVERAGE,
  effectiveMaxLeverage,
  maxSafePosition,
  maxSafePositionPerLeg,
  checkLeverage,
} from '../../../src/risk/leverage-validation.js';

/** `Position $X exceeds safe limit $Y (collateral: $C, leverage: L×, safety: S)` */
const SEED_MESSAGE = /^Position \$[\d,]+ exceeds safe limit \$[\d,]+ \(collateral: \$[\d,]+, leverage: [\d.]+×, safety: [\d.]+\)$/;

describe("seed 003's worked example: $2,000 × 10 × 0.8", () => {
  const example = { collateral: 2000, maxLeverage: 10, safetyFactor: 0.8 };

  it('gives a $16,000 safe position and $8,000 per leg', () => {
    expect(maxSafePosition(2000, 10, 0.8)).toBe(16_000);
    expect(maxSafePositionPerLeg(2000, 10, 0.8)).toBe(8_000);
    expect(checkLeverage({ ...example, positionValue: 1 }).maxSafePosition).toBe(16_000);
    expect(checkLeverage({ ...example, positionValue: 1, share: 0.5 }).maxSafePosition).toBe(8_000);
  });

  it.each([
    [16_000, undefined, true],
    [16_001, undefined, false],
    [8_000, 0.5, true],
    [8_000.01, 0.5, false],
    [0, undefined, true],
  ])('position $%s (share %s) → ok %s', (positionValue, share, ok) => {
    const r = checkLeverage(share === undefined ? { ...example, positionValue } : { ...example, positionValue, share });
    expect(r.ok).toBe(ok);
  });

  it('refuses with the seed message shape and its numbers', () => {
    const r = checkLeverage({ ...example, positionValue: 20_000 });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(SEED_MESSAGE);
    expect(r.message).toBe('Position $20,000 exceeds safe limit $16,000 (collateral: $2,000, leverage: 10×, safety: 0.8)');
  });

  it('names the per-leg limit when checking one leg', () => {
    const r = checkLeverage({ ...example, positionValue: 9_000, share: 0.5 });
    expect(r.message).toBe('Position $9,000 exceeds safe limit $8,000 (collateral: $2,000, leverage: 10×, safety: 0.8)');
  });

  it('accepts with a message that is not a refusal', () => {
    const r = checkLeverage({ ...example, positionValue: 500 });
    expect(r.ok).toBe(true);
    expect(r.message).not.toMatch(SEED_MESSAGE);
  });
});

describe('checkLeverage', () => {
  it.each([
    ['NaN position value', { positionValue: Number.NaN, collateral: 2000, maxLeverage: 10, safetyFactor: 0.8 }],
    ['infinite position value', { positionValue: Number.POSITIVE_INFINITY, collateral: 2000, maxLeverage: 10, safetyFactor: 0.8 }],
    ['NaN collateral', { positionValue: 100, collateral: Number.NaN, maxLeverage: 10, safetyFactor: 0.8 }],
    ['NaN leverage', { positionValue: 100, collateral: 2000, maxLeverage: Number.NaN, safetyFactor: 0.8 }],
    ['NaN safety', { positionValue: 100, collateral: 2000, maxLeverage: 10, safetyFactor: Number.NaN }],
    ['negative collateral', { positionValue: 100, collateral: -2000, maxLeverage: 10, safetyFactor: 0.8 }],
  ])('fails closed on %s', (_name, input) => {
    expect(checkLeverage(input).ok).toBe(false);
  });

  it('agrees with the formula for any inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom(0.5, 1),
        (positionValue, collateral, maxLeverage, safetyFactor, share) => {
          const r = checkLeverage({ positionValue, collateral, maxLeverage, safetyFactor, share });
          const limit = collateral * maxLeverage * safetyFactor * share;
          expect(r.ok).toBe(positionValue <= limit);
          if (!r.ok) expect(r.message).toMatch(SEED_MESSAGE);
        },
      ),
    );
  });
});

describe('effectiveMaxLeverage (ruling 3)', () => {
  it('hard cap is 20× and 50× is prohibited', () => {
    expect(HARD_LEVERAGE_CAP).toBe(20);
    expect(PROHIBITED_LEVERAGE).toBe(50);
  });

  it.each([
    // phase, portfolio, effective
    [5, 5, 5],
    [10, 5, 5], // phase 2 under the default portfolio limit
    [10, 20, 10],
    [15, 20, 15],
    [20, 20, 20],
    [25, 30, 20], // never above the hard cap
    [50, 50, 20],
    [3, 20, 3],
  ])('min(phase %s, portfolio %s, 20) = %s', (phase, portfolio, expected) => {
    expect(effectiveMaxLeverage(phase, portfolio)).toBe(expected);
  });

  it('is never above any of its bounds (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1000, noNaN: true }), fc.double({ min: 0.1, max: 1000, noNaN: true }), (phase, portfolio) => {
        const e = effectiveMaxLeverage(phase, portfolio);
        expect(e).toBeLessThanOrEqual(Math.min(phase, portfolio, HARD_LEVERAGE_CAP));
        expect([phase, portfolio, HARD_LEVERAGE_CAP]).toContain(e);
      }),
    );
  });
});
