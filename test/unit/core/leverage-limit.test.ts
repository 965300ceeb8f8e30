import { describe, expect, it } from 'vitest';
import { maxSafePosition, maxSafePositionPerLeg } from '../../../src/core/leverage-limit.js';

describe('maxSafePosition / maxSafePositionPerLeg (seed 003)', () => {
  it.each([
    // collateral, leverage, safety, whole, per leg
    [2000, 10, 0.8, 16_000, 8_000], // seed 003's worked example
    [2000, 5, 0.8, 8_000, 4_000],
    [2000, 20, 0.6, 24_000, 12_000],
    [10_000, 20, 1, 200_000, 100_000],
    [0, 10, 0.8, 0, 0],
    [-500, 10, 0.8, 0, 0], // negative collateral gives no room, never a negative limit
  ])('collateral %s × %s× × %s = %s, per leg %s', (collateral, lev, safety, whole, perLeg) => {
    expect(maxSafePosition(collateral, lev, safety)).toBeCloseTo(whole, 6);
    expect(maxSafePositionPerLeg(collateral, lev, safety)).toBeCloseTo(perLeg, 6);
  });

  it.each([
    [Number.NaN, 10, 0.8],
    [2000, Number.NaN, 0.8],
    [2000, 10, Number.NaN],
    [Number.POSITIVE_INFINITY, 10, 0.8],
  ])('gives no room (0) for unusable inputs %s, %s, %s', (collateral, lev, safety) => {
    expect(maxSafePosition(collateral, lev, safety)).toBe(0);
    expect(maxSafePositionPerLeg(collateral, lev, safety)).toBe(0);
  });
});
