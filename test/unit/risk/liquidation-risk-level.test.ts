import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_RISK_LEVEL_THRESHOLDS, riskLevel, riskLevelDetail, riskLevelThresholdsSchema } from '../../../src/risk/liquidation-risk-level.js';
import { errorCode } from '../error-code.js';

const H = 3_600_000;

describe('riskLevel', () => {
  it('default thresholds', () => {
    expect(DEFAULT_RISK_LEVEL_THRESHOLDS).toEqual({
      mediumBelow: 300,
      highBelow: 200,
      criticalBelow: 150,
      stressEscalationBelow: 100,
      mediumBelowMs: 168 * H,
      highBelowMs: 24 * H,
      criticalBelowMs: H,
    });
  });

  it.each([
    [null, 'low'],
    [1_000, 'low'],
    [300, 'low'], // on the line: the milder level
    [299.99, 'medium'],
    [200, 'medium'],
    [199.99, 'high'],
    [150, 'high'], // = RiskLimits.minHealthRatio is still allowed
    [149.99, 'critical'],
    [90, 'critical'],
    [-20, 'critical'],
  ] as const)('health %s → %s', (healthRatio, level) => {
    expect(riskLevel({ healthRatio })).toBe(level);
  });

  it.each([
    [null, 'low'],
    [168 * H, 'low'],
    [168 * H - 1, 'medium'],
    [24 * H, 'medium'],
    [24 * H - 1, 'high'],
    [H, 'high'],
    [H - 1, 'critical'],
    [0, 'critical'],
  ] as const)('time to liquidation %s ms (healthy account) → %s', (t, level) => {
    expect(riskLevel({ healthRatio: 1_000, timeToLiquidationMs: t })).toBe(level);
  });

  it('the worse of health and time wins', () => {
    expect(riskLevel({ healthRatio: 250, timeToLiquidationMs: 2 * H })).toBe('high');
    expect(riskLevel({ healthRatio: 120, timeToLiquidationMs: 1_000 * H })).toBe('critical');
  });

  it.each([
    [400, 99.9, 'medium'], // low + stress escalation
    [250, 99.9, 'high'],
    [180, 50, 'critical'],
    [120, -50, 'critical'], // never past critical
    [400, 100, 'low'], // exactly 100 does not escalate
    [400, null, 'low'],
  ] as const)('health %s with worst stress %s → %s', (healthRatio, worstStressHealth, level) => {
    expect(riskLevel({ healthRatio, worstStressHealth })).toBe(level);
  });

  it('explains itself', () => {
    const d = riskLevelDetail({ healthRatio: 250, worstStressHealth: 80, timeToLiquidationMs: 2 * H });
    expect(d).toMatchObject({ level: 'critical', byHealth: 'medium', byTime: 'high', stressEscalated: true });
    expect(d.reasons).toHaveLength(3);
  });

  it('custom thresholds: critical tied to RiskLimits.minHealthRatio', () => {
    const thresholds = riskLevelThresholdsSchema.parse({ criticalBelow: 180 });
    expect(riskLevel({ healthRatio: 170, thresholds })).toBe('critical');
  });

  it('the schema is strict and ordered', () => {
    expect(riskLevelThresholdsSchema.safeParse({ bogus: 1 }).success).toBe(false);
    expect(riskLevelThresholdsSchema.safeParse({ criticalBelow: 250 }).success).toBe(false);
    expect(riskLevelThresholdsSchema.safeParse({ criticalBelowMs: 48 * H }).success).toBe(false);
  });

  it.each([
    ['NaN health', { healthRatio: Number.NaN }],
    ['NaN stress', { healthRatio: 200, worstStressHealth: Number.NaN }],
    ['negative time', { healthRatio: 200, timeToLiquidationMs: -1 }],
  ])('%s → InputError', (_name, input) => {
    expect(errorCode(() => riskLevel(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
