import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_PHASES, PHASE_NUMBERS, phaseParams, phasesSchema, requirePhase } from '../../../src/sizing/phases.js';
import { errorCode } from '../error-code.js';

describe("seed 003's phases", () => {
  it.each([
    // phase, name, leverage, max position, daily volume target, growth multiplier, daily profit range
    [1, 'launch', 5, 10_000, 20_000, 1, 20, 40],
    [2, 'growth', 10, 25_000, 100_000, 1.5, 100, 200],
    [3, 'scale', 15, 75_000, 500_000, 2.5, 500, 1_000],
    [4, 'target', 20, 400_000, 1_000_000, 5, 2_000, null],
  ] as const)('phase %s (%s): %s×, max $%s, $%s/day, ×%s, $%s–%s/day', (phase, name, leverage, maxPos, volume, growth, pMin, pMax) => {
    const p = DEFAULT_PHASES[phase];
    expect(p).toMatchObject({ name, leverage, maxPositionUsd: maxPos, dailyVolumeTargetUsd: volume, growthMultiplier: growth });
    expect(p.successCriteria).toMatchObject({
      minNonNegativeShare: 0.95,
      maxManualInterventions: 0,
      dailyProfitUsd: { min: pMin, max: pMax },
    });
  });

  it('overrides one field and keeps the seed for the rest', () => {
    const phases = phasesSchema.parse({ 3: { leverage: 12, successCriteria: { minRoundTrips: 500 } } });
    expect(phases[3].leverage).toBe(12);
    expect(phases[3].dailyVolumeTargetUsd).toBe(500_000);
    expect(phases[3].successCriteria.minRoundTrips).toBe(500);
    expect(phases[3].successCriteria.dailyProfitUsd).toEqual({ min: 500, max: 1_000 });
    expect(phases[1]).toEqual(DEFAULT_PHASES[1]);
  });

  it.each([
    ['leverage above the 20× hard cap', { 4: { leverage: 25 } }],
    ['zero leverage', { 1: { leverage: 0 } }],
    ['an unknown key', { 1: { leverag: 5 } }],
    ['a fifth phase', { 5: {} }],
    ['a share above 1', { 2: { successCriteria: { minNonNegativeShare: 1.2 } } }],
    ['an inverted profit range', { 1: { successCriteria: { dailyProfitUsd: { min: 50, max: 40 } } } }],
    ['a renamed phase', { 1: { name: 'growth' } }],
  ])('rejects %s', (_name, input) => {
    expect(phasesSchema.safeParse(input).success).toBe(false);
  });

  it('knows phases 1–4 and refuses others with E_INPUT_INVALID', () => {
    expect(PHASE_NUMBERS).toEqual([1, 2, 3, 4]);
    for (const p of PHASE_NUMBERS) expect(requirePhase(p)).toBe(p);
    for (const bad of [0, 5, 1.5, -1, Number.NaN]) {
      expect(errorCode(() => requirePhase(bad))).toBe(ErrorCodes.INPUT_INVALID);
      expect(errorCode(() => phaseParams(bad))).toBe(ErrorCodes.INPUT_INVALID);
    }
    expect(phaseParams(2).leverage).toBe(10);
  });
});
