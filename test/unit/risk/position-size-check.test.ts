import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { validatePositionSize } from '../../../src/risk/position-size-check.js';
import { errorCode } from '../error-code.js';

const example = { collateral: 2_000, maxLeverage: 10, safetyFactor: 0.8 };

describe("validatePositionSize: seed 003's check as { ok, maxSafeNotional, reason }", () => {
  it('$2,000 × 10× × 0.8 = $16,000; $8,000 per leg', () => {
    expect(validatePositionSize({ ...example, notional: 16_000 })).toEqual({
      ok: true,
      maxSafeNotional: 16_000,
      reason: 'Position size within safe limits',
    });
    expect(validatePositionSize({ ...example, notional: 8_000, share: 0.5 })).toMatchObject({ ok: true, maxSafeNotional: 8_000 });
    expect(validatePositionSize({ ...example, notional: 8_000.01, share: 0.5 }).ok).toBe(false);
  });

  it("refuses with the seed's message", () => {
    expect(validatePositionSize({ ...example, notional: 20_000 })).toEqual({
      ok: false,
      maxSafeNotional: 16_000,
      reason: 'Position $20,000 exceeds safe limit $16,000 (collateral: $2,000, leverage: 10×, safety: 0.8)',
    });
  });

  it('zero collateral refuses any position but allows none', () => {
    expect(validatePositionSize({ ...example, collateral: 0, notional: 1 }).ok).toBe(false);
    expect(validatePositionSize({ ...example, collateral: 0, notional: 0 }).ok).toBe(true);
  });

  it('ok ⇔ notional ≤ collateral × leverage × safety × share (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom(0.5, 1),
        (notional, collateral, maxLeverage, safetyFactor, share) => {
          const r = validatePositionSize({ notional, collateral, maxLeverage, safetyFactor, share });
          expect(r.ok).toBe(notional <= collateral * maxLeverage * safetyFactor * share);
          expect(r.maxSafeNotional).toBeCloseTo(collateral * maxLeverage * safetyFactor * share, 6);
        },
      ),
    );
  });

  it.each([
    ['NaN notional', { ...example, notional: Number.NaN }],
    ['negative notional', { ...example, notional: -1 }],
    ['NaN collateral', { ...example, collateral: Number.NaN, notional: 1 }],
    ['negative collateral', { ...example, collateral: -2_000, notional: 1 }],
    ['zero leverage', { ...example, maxLeverage: 0, notional: 1 }],
    ['negative leverage', { ...example, maxLeverage: -10, notional: 1 }],
    ['leverage above the 20× hard cap', { ...example, maxLeverage: 25, notional: 1 }],
    ['zero safety factor', { ...example, safetyFactor: 0, notional: 1 }],
    ['safety factor above 1', { ...example, safetyFactor: 1.2, notional: 1 }],
    ['zero share', { ...example, share: 0, notional: 1 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => validatePositionSize(input))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('out-of-domain collateral or leverage always throws E_INPUT_INVALID (property)', () => {
    const badCollateral = fc.oneof(fc.constant(Number.NaN), fc.double({ max: -1e-12, noNaN: true }));
    const badLeverage = fc.oneof(fc.constant(Number.NaN), fc.double({ max: 0, noNaN: true }));
    fc.assert(
      fc.property(badCollateral, badLeverage, fc.double({ min: 0, max: 1e6, noNaN: true }), (collateral, maxLeverage, notional) => {
        expect(errorCode(() => validatePositionSize({ ...example, collateral, notional }))).toBe(ErrorCodes.INPUT_INVALID);
        expect(errorCode(() => validatePositionSize({ ...example, maxLeverage, notional }))).toBe(ErrorCodes.INPUT_INVALID);
      }),
    );
  });
});
