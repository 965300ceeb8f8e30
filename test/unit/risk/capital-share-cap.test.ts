import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_CAPITAL_SHARE, availableCapital, capitalShareCap } from '../../../src/risk/capital-share-cap.js';
import { allocationLimit } from '../../../src/risk/allocation-tier.js';
import { errorCode } from '../error-code.js';

describe("seed 001's max 10% of available capital per position", () => {
  it('available capital is equity × the tier limit (seed: portfolio_value × max_allocation)', () => {
    expect(availableCapital({ equity: 96_014.32, allocationLimit: 0.4 })).toBeCloseTo(38_405.728, 6);
    expect(availableCapital({ equity: -10, allocationLimit: 0.4 })).toBe(0);
  });

  it("unleveraged (IMR 1) it is the seed's own cap: available_capital × 0.10", () => {
    const available = availableCapital({ equity: 96_014.32, allocationLimit: 0.4 });
    expect(DEFAULT_CAPITAL_SHARE).toBe(0.1);
    expect(capitalShareCap({ availableCapital: available, initialMarginRatio: 1 })).toBeCloseTo(3_840.5728, 6);
  });

  it.each([
    // equity, win rate, leverage, notional cap per leg
    [2_000, null, 5, 250], // LEARNING: $500 budget → $50 margin → $250 at 5×
    [2_000, 0.5, 5, 400], // STABLE
    [2_000, 0.7, 5, 600], // PROFITABLE
    [2_000, 0.7, 10, 1_200],
  ])('$%s equity, win rate %s, %s× → $%s per leg (margin ≤ 10% of the budget)', (equity, winRate, leverage, expected) => {
    const available = availableCapital({ equity, allocationLimit: allocationLimit({ winRate, monthlyReturn: 0 }) });
    expect(capitalShareCap({ availableCapital: available, initialMarginRatio: 1 / leverage })).toBeCloseTo(expected, 9);
  });

  it('subtracts what the position already holds, never below zero', () => {
    expect(capitalShareCap({ availableCapital: 500, initialMarginRatio: 0.2, positionNotional: 100 })).toBeCloseTo(150, 9);
    expect(capitalShareCap({ availableCapital: 500, initialMarginRatio: 0.2, positionNotional: 400 })).toBe(0);
    expect(capitalShareCap({ availableCapital: 500, initialMarginRatio: 0.2, share: 0.2 })).toBeCloseTo(500, 9);
  });

  it("the position's margin after the order never exceeds share × available (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        (available, initialMarginRatio, share, positionNotional) => {
          const cap = capitalShareCap({ availableCapital: available, initialMarginRatio, share, positionNotional });
          expect(cap).toBeGreaterThanOrEqual(0);
          if (cap > 0) expect((positionNotional + cap) * initialMarginRatio).toBeLessThanOrEqual(share * available * (1 + 1e-9));
        },
      ),
    );
  });

  it.each([
    ['negative capital', { availableCapital: -1, initialMarginRatio: 0.2 }],
    ['NaN capital', { availableCapital: Number.NaN, initialMarginRatio: 0.2 }],
    ['zero IMR', { availableCapital: 500, initialMarginRatio: 0 }],
    ['IMR above 1', { availableCapital: 500, initialMarginRatio: 2 }],
    ['zero share', { availableCapital: 500, initialMarginRatio: 0.2, share: 0 }],
    ['share above 1', { availableCapital: 500, initialMarginRatio: 0.2, share: 1.1 }],
    ['negative held notional', { availableCapital: 500, initialMarginRatio: 0.2, positionNotional: -1 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => capitalShareCap(input))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('availableCapital refuses a bad equity or limit', () => {
    expect(errorCode(() => availableCapital({ equity: Number.NaN, allocationLimit: 0.4 }))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => availableCapital({ equity: 1_000, allocationLimit: 1.4 }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
