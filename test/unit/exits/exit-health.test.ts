import { describe, expect, it } from 'vitest';
import { exitHealthStatus } from '../../../src/exits/exit-health.js';
import { positionLeverage } from '../../../src/exits/position-leverage.js';
import { computeExitLevels } from '../../../src/exits/exit-levels.js';
import { exitBrainConfigSchema } from '../../../src/exits/exit-config.js';

describe("seed 004's adaptive_leverage_status.status, computed", () => {
  it.each([
    ['off', { enabled: false, plans: [], unplannedPairs: 0 }, 'DISABLED'],
    ['every pair planned', { enabled: true, plans: [{ fallback: false }], unplannedPairs: 0 }, 'OK'],
    ['no open pair', { enabled: true, plans: [], unplannedPairs: 0 }, 'OK'],
    ['a plan on the static fallback', { enabled: true, plans: [{ fallback: false }, { fallback: true }], unplannedPairs: 0 }, 'DEGRADED'],
    ['an open pair without a plan', { enabled: true, plans: [], unplannedPairs: 1 }, 'DEGRADED'],
  ] as const)('%s → %s', (_name, input, status) => {
    const r = exitHealthStatus(input);
    expect(r.status).toBe(status);
    expect(r.reason.length).toBeGreaterThan(0);
  });
});

describe('positionLeverage: ExitBrain sees the position, not the cap', () => {
  const config = exitBrainConfigSchema.parse({});
  const levels = (leverage: number) => computeExitLevels({ leverage, volatilityFactor: 1, confidence: 0.6, avgPnlLast20: null }, config);

  it.each([
    [500, 10_000, 0.05],
    [5_000, 2_000, 2.5],
    [40_000, 1_000, 40],
  ])('a $%s leg on $%s of equity is %s×', (notional, equity, lev) => {
    expect(positionLeverage(notional, equity, 5)).toBeCloseTo(lev, 12);
  });

  it.each([
    [0, 1_000],
    [500, 0],
    [500, Number.NaN],
  ])('nothing to measure (leg %s, equity %s) → the fallback', (notional, equity) => {
    expect(positionLeverage(notional, equity, 5)).toBe(5);
  });

  it('different positions give different scaling factors, and above 30× the ultra-aggressive scheme', () => {
    const small = levels(positionLeverage(500, 10_000, 5));
    const large = levels(positionLeverage(5_000, 2_000, 5));
    const extreme = levels(positionLeverage(40_000, 1_000, 5));
    expect(small.lsf).toBeCloseTo(1 / (1 + Math.log(1.05)), 12);
    expect(large.lsf).toBeCloseTo(1 / (1 + Math.log(3.5)), 12);
    expect(small.lsf).not.toBeCloseTo(large.lsf, 3);
    expect(small.harvestScheme.name).toBe('conservative');
    expect(extreme.harvestScheme.name).toBe('ultra-aggressive');
  });
});
