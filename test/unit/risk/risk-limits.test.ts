import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_RISK_LIMITS, checkRiskLimits, riskLimitCap, riskLimitsSchema, type RiskLimitState } from '../../../src/risk/risk-limits.js';
import { errorCode } from '../error-code.js';

const healthy: RiskLimitState = { equity: 10_000, grossNotional: 20_000, positionNotional: 1_000, drawdown: 0.02 };
const names = (s: RiskLimitState): string[] => checkRiskLimits(s).map((v) => v.limit);

describe("seed 002's RiskLimits", () => {
  it('defaults are the dataclass defaults', () => {
    expect(DEFAULT_RISK_LIMITS).toEqual({
      maxPortfolioLeverage: 5,
      maxPositionSizeUsd: 50_000,
      maxPositionSizePercent: 0.3,
      maxCorrelationExposure: 0.7,
      maxVar1dPercent: 0.05,
      minHealthRatio: 150,
      maxDrawdownPercent: 0.15,
    });
  });

  it('the schema is strict and holds ruling 3', () => {
    expect(riskLimitsSchema.safeParse({ maxPortfolioLeverage: 25 }).success).toBe(false);
    expect(riskLimitsSchema.safeParse({ maxLeverage: 5 }).success).toBe(false);
    expect(riskLimitsSchema.parse({ maxPortfolioLeverage: 10 }).maxPortfolioLeverage).toBe(10);
  });
});

describe('checkRiskLimits (state after the order)', () => {
  it('a healthy account breaks nothing; values exactly at a limit are allowed', () => {
    expect(checkRiskLimits(healthy)).toEqual([]);
    expect(
      checkRiskLimits({ equity: 10_000, grossNotional: 50_000, positionNotional: 3_000, drawdown: 0.15, healthRatio: 150, var1dUsd: 500, correlationExposure: 0.7 }),
    ).toEqual([]);
  });

  it.each([
    ['maxPortfolioLeverage', { grossNotional: 50_001 }],
    ['maxPositionSizePercent', { positionNotional: 3_001 }],
    ['maxPositionSizeUsd', { equity: 1_000_000, positionNotional: 50_001 }],
    ['maxDrawdownPercent', { drawdown: 0.1501 }],
    ['minHealthRatio', { healthRatio: 149.9 }],
    ['maxVar1dPercent', { var1dUsd: 501 }],
    ['maxCorrelationExposure', { correlationExposure: 0.71 }],
  ])('names %s when it is broken', (limit, change) => {
    const v = checkRiskLimits({ ...healthy, ...change });
    expect(v.map((x) => x.limit)).toEqual([limit]);
    expect(v[0]?.message).toContain(limit);
  });

  it('reports every broken limit with its numbers', () => {
    const v = checkRiskLimits({ equity: 10_000, grossNotional: 60_000, positionNotional: 60_000, drawdown: 0.2 });
    expect(v.map((x) => x.limit)).toEqual(['maxPortfolioLeverage', 'maxPositionSizeUsd', 'maxPositionSizePercent', 'maxDrawdownPercent']);
    expect(v[0]).toMatchObject({ actual: 6, allowed: 5 });
    expect(v[2]).toMatchObject({ actual: 6, allowed: 0.3 });
  });

  it('unmeasured metrics are not checked', () => {
    expect(names({ ...healthy, healthRatio: null, var1dUsd: null, correlationExposure: null })).toEqual([]);
  });

  it.each([
    ['zero equity', { ...healthy, equity: 0 }],
    ['NaN equity', { ...healthy, equity: Number.NaN }],
    ['negative gross', { ...healthy, grossNotional: -1 }],
    ['NaN position', { ...healthy, positionNotional: Number.NaN }],
    ['negative drawdown', { ...healthy, drawdown: -0.01 }],
    ['correlation above 1', { ...healthy, correlationExposure: 1.5 }],
    ['NaN health', { ...healthy, healthRatio: Number.NaN }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => checkRiskLimits(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('riskLimitCap (state before the order)', () => {
  it.each([
    // state, legs, cap
    [healthy, 1, 2_000], // 30% × 10,000 − 1,000
    [{ ...healthy, positionNotional: 0 }, 2, 3_000], // 30% of equity per position
    [{ ...healthy, grossNotional: 48_000, positionNotional: 0 }, 2, 1_000], // (50,000 − 48,000) / 2 legs
    [{ ...healthy, grossNotional: 48_000, positionNotional: 0 }, 1, 2_000],
    [{ equity: 1_000_000, grossNotional: 0, positionNotional: 10_000, drawdown: 0 }, 2, 40_000], // $50,000 per position
    [{ ...healthy, positionNotional: 3_500 }, 1, 0], // already over: no room, never negative
    [{ ...healthy, drawdown: 0.16 }, 1, 0], // limits with no notional room stop entries
    [{ ...healthy, healthRatio: 140 }, 1, 0],
    [{ ...healthy, var1dUsd: 600 }, 1, 0],
    [{ ...healthy, correlationExposure: 0.8 }, 1, 0],
    [{ ...healthy, equity: 0 }, 1, 0], // fails closed without equity
    [{ ...healthy, equity: -100 }, 2, 0],
  ])('%j with %s leg(s) → %s', (state, legs, expected) => {
    expect(riskLimitCap({ ...state, legs })).toBeCloseTo(expected, 9);
  });

  it('filling the cap on every leg breaks no notional limit (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 6, noNaN: true }),
        fc.double({ min: 0, max: 0.4, noNaN: true }),
        fc.constantFrom(1, 2),
        (equity, grossLeverage, positionShare, legs) => {
          const grossNotional = grossLeverage * equity;
          const positionNotional = Math.min(positionShare * equity, grossNotional);
          const cap = riskLimitCap({ equity, grossNotional, positionNotional, drawdown: 0, legs });
          expect(cap).toBeGreaterThanOrEqual(0);
          if (cap === 0) return;
          const after = checkRiskLimits(
            { equity, grossNotional: grossNotional + legs * cap * (1 - 1e-12), positionNotional: positionNotional + cap * (1 - 1e-12), drawdown: 0 },
          );
          expect(after).toEqual([]);
        },
      ),
    );
  });

  it.each([
    ['NaN equity', { ...healthy, equity: Number.NaN }],
    ['zero legs', { ...healthy, legs: 0 }],
    ['fractional legs', { ...healthy, legs: 1.5 }],
    ['negative gross even without equity', { ...healthy, equity: 0, grossNotional: -1 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => riskLimitCap(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
