import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import {
  DEFAULT_ALLOCATION_TIER_CONFIG,
  allocationCap,
  allocationLimit,
  allocationTier,
  allocationTierConfigSchema,
} from '../../../src/risk/allocation-tier.js';
import { errorCode } from '../error-code.js';

describe("seed 001's tiers (get_smart_allocation_limit)", () => {
  it.each([
    // win rate, month-to-date return, tier, limit, total leveraged-asset limit
    [0.3, 0, 'LEARNING', 0.25, 0.35],
    [0.4499, 0.02, 'LEARNING', 0.25, 0.35],
    [0.45, 0, 'STABLE', 0.4, 0.6],
    [0.55, 0.01, 'STABLE', 0.4, 0.6],
    [0.5999, 0, 'STABLE', 0.4, 0.6],
    [0.6, 0, 'PROFITABLE', 0.6, 0.8],
    [0.9, 0.05, 'PROFITABLE', 0.6, 0.8],
    [0.9, -0.0501, 'EMERGENCY', 0.2, 0.2], // emergency first, whatever the win rate
    [0.2, -0.2, 'EMERGENCY', 0.2, 0.2],
    [0.9, -0.05, 'PROFITABLE', 0.6, 0.8], // exactly −5% is not "losing 5%+" in the seed's strict <
    [null, 0, 'LEARNING', 0.25, 0.35], // no closed trades yet: unproven
    [null, -0.06, 'EMERGENCY', 0.2, 0.2],
  ] as const)('win rate %s, month %s → %s (%s of equity per bot, %s for all bots: total leveraged assets)', (winRate, monthlyReturn, tier, limit, totalLimit) => {
    expect(allocationTier({ winRate, monthlyReturn })).toEqual({ tier, limit, totalLimit });
    expect(allocationLimit({ winRate, monthlyReturn })).toBe(limit);
  });

  it("reproduces seed 001's allocation scenarios on the $96,014.32 portfolio ($24,003 / $38,405 / $57,608)", () => {
    const portfolio = 96_014.32;
    expect(Math.floor(portfolio * allocationLimit({ winRate: 0.3, monthlyReturn: 0 }))).toBe(24_003);
    expect(Math.floor(portfolio * allocationLimit({ winRate: 0.5, monthlyReturn: 0 }))).toBe(38_405);
    expect(Math.floor(portfolio * allocationLimit({ winRate: 0.7, monthlyReturn: 0 }))).toBe(57_608);
  });

  it('the limit is always one of 0.20, 0.25, 0.40, 0.60 (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.double({ min: 0, max: 1, noNaN: true })), fc.double({ min: -1, max: 1, noNaN: true }), (winRate, monthlyReturn) => {
        expect([0.2, 0.25, 0.4, 0.6]).toContain(allocationLimit({ winRate, monthlyReturn }));
      }),
    );
  });

  it('outside an emergency a better win rate never lowers the limit (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(allocationLimit({ winRate: lo, monthlyReturn: 0 })).toBeLessThanOrEqual(allocationLimit({ winRate: hi, monthlyReturn: 0 }));
      }),
    );
  });

  it('thresholds and limits are config values', () => {
    expect(DEFAULT_ALLOCATION_TIER_CONFIG.limits).toEqual({ EMERGENCY: 0.2, LEARNING: 0.25, STABLE: 0.4, PROFITABLE: 0.6 });
    const config = allocationTierConfigSchema.parse({ stableWinRateBelow: 0.55, limits: { PROFITABLE: 0.5 } });
    expect(allocationTier({ winRate: 0.56, monthlyReturn: 0 }, config)).toEqual({ tier: 'PROFITABLE', limit: 0.5, totalLimit: 0.8 });
    expect(DEFAULT_ALLOCATION_TIER_CONFIG.totalLimits).toEqual({ EMERGENCY: 0.2, LEARNING: 0.35, STABLE: 0.6, PROFITABLE: 0.8 });
    expect(allocationTierConfigSchema.safeParse({ learningWinRateBelow: 0.7 }).success).toBe(false);
    expect(allocationTierConfigSchema.safeParse({ limits: { LEARNING: 1.5 } }).success).toBe(false);
  });

  it.each([
    [Number.NaN, 0],
    [1.01, 0],
    [-0.01, 0],
    [0.5, Number.NaN],
    [0.5, Number.NEGATIVE_INFINITY],
  ])('refuses win rate %s / month %s with E_INPUT_INVALID', (winRate, monthlyReturn) => {
    expect(errorCode(() => allocationLimit({ winRate, monthlyReturn }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('allocationCap (ruling 2: initial margin in use ÷ equity ≤ limit)', () => {
  it.each([
    // equity, IMR, margin in use, limit, max additional notional
    [10_000, 0.2, 1_000, 0.25, 7_500], // (2,500 − 1,000) / 0.2
    [2_000, 0.2, 0, 0.25, 2_500], // $2,000 LEARNING at 5×
    [2_000, 0.1, 0, 0.6, 12_000], // PROFITABLE at 10×
    [10_000, 0.2, 2_500, 0.25, 0], // budget used up
    [10_000, 0.2, 4_000, 0.25, 0], // over budget (tier fell): no room, never negative
    [0, 0.2, 0, 0.6, 0], // no equity
    [-500, 0.2, 0, 0.6, 0],
  ])('equity %s, IMR %s, in use %s, limit %s → %s', (equity, initialMarginRatio, marginInUse, limit, expected) => {
    expect(allocationCap({ equity, initialMarginRatio, marginInUse, limit })).toBeCloseTo(expected, 9);
  });

  it('using the cap lands exactly on the limit, never above (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e8, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.2, 0.25, 0.4, 0.6),
        (equity, initialMarginRatio, usedShare, limit) => {
          const marginInUse = usedShare * equity;
          const cap = allocationCap({ equity, initialMarginRatio, marginInUse, limit });
          expect(cap).toBeGreaterThanOrEqual(0);
          expect((marginInUse + cap * initialMarginRatio) / equity).toBeLessThanOrEqual(Math.max(limit, usedShare) * (1 + 1e-12));
        },
      ),
    );
  });

  it.each([
    ['NaN equity', { equity: Number.NaN, initialMarginRatio: 0.2, marginInUse: 0, limit: 0.25 }],
    ['zero IMR', { equity: 1_000, initialMarginRatio: 0, marginInUse: 0, limit: 0.25 }],
    ['IMR above 1', { equity: 1_000, initialMarginRatio: 1.5, marginInUse: 0, limit: 0.25 }],
    ['negative margin', { equity: 1_000, initialMarginRatio: 0.2, marginInUse: -1, limit: 0.25 }],
    ['limit above 1', { equity: 1_000, initialMarginRatio: 0.2, marginInUse: 0, limit: 1.2 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => allocationCap(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
