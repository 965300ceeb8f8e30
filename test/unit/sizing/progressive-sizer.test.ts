import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { progressiveNotional } from '../../../src/sizing/progressive-sizer.js';
import { DEFAULT_PHASES, phasesSchema } from '../../../src/sizing/phases.js';
import { errorCode } from '../error-code.js';

const base = { initialNotional: 500, initialCollateral: 2_000 };

describe("seed 003's progressive sizer: initial × min(phase multiplier, collateral growth)", () => {
  it.each([
    // phase, current collateral, expected notional
    [1, 2_000, 500], // launch: 1×
    [1, 4_000, 500], // phase 1 never grows the size
    [2, 2_400, 600], // growth-limited: 1.2×
    [2, 5_000, 750], // phase-limited: 1.5×
    [3, 4_000, 1_000], // growth-limited: 2×
    [3, 6_000, 1_250], // phase-limited: 2.5×
    [4, 10_000, 2_500], // growth-limited: 5×
    [4, 20_000, 2_500], // phase-limited: 5×
    [2, 1_500, 375], // after losses the size shrinks with collateral
    [4, 0, 0], // wiped collateral: nothing to size
  ])('phase %s at $%s collateral → $%s', (phase, currentCollateral, expected) => {
    expect(progressiveNotional({ ...base, currentCollateral, phase })).toBeCloseTo(expected, 9);
  });

  it('takes the phase multipliers from the phases config', () => {
    const phases = phasesSchema.parse({ 2: { growthMultiplier: 1.2 } });
    expect(progressiveNotional({ ...base, currentCollateral: 5_000, phase: 2 }, phases)).toBeCloseTo(600, 9);
  });

  it('never exceeds initial × phase multiplier nor initial × growth (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        fc.constantFrom(1, 2, 3, 4),
        (initialNotional, initialCollateral, currentCollateral, phase) => {
          const n = progressiveNotional({ initialNotional, initialCollateral, currentCollateral, phase });
          const multiplier = DEFAULT_PHASES[phase as 1 | 2 | 3 | 4].growthMultiplier;
          expect(Number.isFinite(n)).toBe(true);
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(initialNotional * multiplier * (1 + 1e-12));
          expect(n).toBeLessThanOrEqual(initialNotional * (currentCollateral / initialCollateral) * (1 + 1e-12));
        },
      ),
    );
  });

  it('is monotone in collateral and in phase (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.constantFrom(1, 2, 3),
        (a, b, phase) => {
          const at = (currentCollateral: number, p: number): number => progressiveNotional({ ...base, currentCollateral, phase: p });
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(at(lo, phase)).toBeLessThanOrEqual(at(hi, phase));
          expect(at(lo, phase)).toBeLessThanOrEqual(at(lo, phase + 1));
        },
      ),
    );
  });

  it.each([
    ['NaN initial notional', { ...base, initialNotional: Number.NaN, currentCollateral: 2_000, phase: 1 }],
    ['zero initial notional', { ...base, initialNotional: 0, currentCollateral: 2_000, phase: 1 }],
    ['zero initial collateral', { ...base, initialCollateral: 0, currentCollateral: 2_000, phase: 1 }],
    ['negative initial collateral', { ...base, initialCollateral: -1, currentCollateral: 2_000, phase: 1 }],
    ['negative collateral', { ...base, currentCollateral: -1, phase: 1 }],
    ['NaN collateral', { ...base, currentCollateral: Number.NaN, phase: 1 }],
    ['infinite collateral', { ...base, currentCollateral: Number.POSITIVE_INFINITY, phase: 1 }],
    ['phase 0', { ...base, currentCollateral: 2_000, phase: 0 }],
    ['phase 5', { ...base, currentCollateral: 2_000, phase: 5 }],
    ['phase 1.5', { ...base, currentCollateral: 2_000, phase: 1.5 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => progressiveNotional(input))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('out-of-domain collateral always throws E_INPUT_INVALID (property)', () => {
    const bad = fc.oneof(fc.constant(Number.NaN), fc.constant(Number.NEGATIVE_INFINITY), fc.double({ max: -1e-12, noNaN: true }));
    fc.assert(
      fc.property(bad, (currentCollateral) => {
        expect(errorCode(() => progressiveNotional({ ...base, currentCollateral, phase: 2 }))).toBe(ErrorCodes.INPUT_INVALID);
      }),
    );
  });
});
