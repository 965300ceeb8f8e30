import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_HEDGE_CONFIG, hedgeBands, hedgeConfigSchema } from '../../../src/hedging/hedge-config.js';
import { errorCode } from '../error-code.js';

describe('hedgeConfigSchema', () => {
  it('defaults', () => {
    expect(DEFAULT_HEDGE_CONFIG).toEqual({
      betaAdjusted: false,
      targetDeltaUsd: 0,
      toleranceUsd: 25,
      toleranceFraction: 0.05,
      emergencyToleranceUsd: 250,
      emergencyToleranceFraction: 0.15,
      maxEmergencyTrades: 5, // seed 002: emergency_hedge(max_trades=5)
      maxSlippageBps: 10,
      allowOpening: false,
    });
  });

  it.each([
    [{ bogus: 1 }],
    [{ maxEmergencyTrades: 0 }],
    [{ maxEmergencyTrades: 2.5 }],
    [{ maxSlippageBps: 0 }],
    [{ toleranceUsd: 300 }], // wider than the emergency floor
    [{ emergencyToleranceFraction: 0.01 }],
  ])('rejects %o', (input) => {
    expect(hedgeConfigSchema.safeParse(input).success).toBe(false);
  });

  it('bands: max(floor, fraction × gross)', () => {
    // gross 40,000: normal max(25, 2,000) = 2,000; emergency max(250, 6,000) = 6,000.
    expect(hedgeBands(DEFAULT_HEDGE_CONFIG, 40_000)).toEqual({ toleranceUsd: 2_000, emergencyToleranceUsd: 6_000 });
    // gross 100: the floors win.
    expect(hedgeBands(DEFAULT_HEDGE_CONFIG, 100)).toEqual({ toleranceUsd: 25, emergencyToleranceUsd: 250 });
    expect(errorCode(() => hedgeBands(DEFAULT_HEDGE_CONFIG, Number.NaN))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
