import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { requiredCapital } from '../../../src/sizing/capital-calculator.js';
import { DEFAULT_PHASES } from '../../../src/sizing/phases.js';
import { validatePositionSize } from '../../../src/risk/position-size-check.js';
import { errorCode } from '../error-code.js';

describe("seed 003's minimum capital calculator", () => {
  it.each([
    // phase, trades per day, printed figure, exact value
    [1, 20, '$250', 250],
    [2, 100, '$125', 125],
    [3, 400, '$104', 104.16666666666667],
    [4, 1_000, '$62.50', 62.5],
  ] as const)('phase %s at %s trades/day needs %s', (phase, tradesPerDay, _printed, exact) => {
    const p = DEFAULT_PHASES[phase];
    const capital = requiredCapital({ targetDailyVolume: p.dailyVolumeTargetUsd, tradesPerDay, leverage: p.leverage, safetyFactor: 0.8 });
    expect(capital).toBeCloseTo(exact, 9);
    if (phase === 3) expect(Math.floor(capital)).toBe(104); // the seed truncates $104.17
    // "$2,000 starting capital is sufficient" in every phase
    expect(capital).toBeLessThan(2_000);
  });

  it("agrees with the seed's $2,000 × 10× × 0.8 = $16,000 safe position ($8,000 per leg)", () => {
    expect(validatePositionSize({ notional: 16_000, collateral: 2_000, maxLeverage: 10, safetyFactor: 0.8 }).maxSafeNotional).toBe(16_000);
    expect(validatePositionSize({ notional: 8_000, collateral: 2_000, maxLeverage: 10, safetyFactor: 0.8, share: 0.5 })).toMatchObject({
      ok: true,
      maxSafeNotional: 8_000,
    });
    // and the capital for one $16,000 trade at 10×, 0.8 is that same $2,000
    expect(requiredCapital({ targetDailyVolume: 16_000, tradesPerDay: 1, leverage: 10, safetyFactor: 0.8 })).toBeCloseTo(2_000, 9);
  });

  it('inverts: capital × leverage × safety × trades = daily volume (property)', () => {
    const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    fc.assert(
      fc.property(pos(1, 1e8), pos(1, 1e5), pos(0.1, 20), pos(0.01, 1), (targetDailyVolume, tradesPerDay, leverage, safetyFactor) => {
        const c = requiredCapital({ targetDailyVolume, tradesPerDay, leverage, safetyFactor });
        expect(c * leverage * safetyFactor * tradesPerDay).toBeCloseTo(targetDailyVolume, 3);
      }),
    );
  });

  it.each([
    ['zero leverage', { targetDailyVolume: 20_000, tradesPerDay: 20, leverage: 0, safetyFactor: 0.8 }],
    ['negative leverage', { targetDailyVolume: 20_000, tradesPerDay: 20, leverage: -5, safetyFactor: 0.8 }],
    ['NaN volume', { targetDailyVolume: Number.NaN, tradesPerDay: 20, leverage: 5, safetyFactor: 0.8 }],
    ['zero trades', { targetDailyVolume: 20_000, tradesPerDay: 0, leverage: 5, safetyFactor: 0.8 }],
    ['zero safety factor', { targetDailyVolume: 20_000, tradesPerDay: 20, leverage: 5, safetyFactor: 0 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => requiredCapital(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
