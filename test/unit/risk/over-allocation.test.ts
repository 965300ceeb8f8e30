import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { allocationTier } from '../../../src/risk/allocation-tier.js';
import { overAllocation } from '../../../src/risk/over-allocation.js';
import { errorCode } from '../error-code.js';

describe("seed 001's over-allocation reduction", () => {
  it("golden: the seed's $96,014.32 portfolio at 82.5% ($79,223) is cut to 40% by selling 51.52% of every position", () => {
    // Unleveraged, as in the seed: margin = position value.
    const cut = overAllocation({ equity: 96_014.32, botMargin: 79_223, accountMargin: 79_223, limit: 0.4, totalLimit: 0.6, reduceAboveShare: 0.05 })!;
    expect(cut.check).toBe('allocation_tier');
    expect(cut.usage).toBeCloseTo(0.8251, 4);
    expect(cut.fraction).toBeCloseTo(1 - 38_405.728 / 79_223, 9);
    expect(cut.fraction).toBeCloseTo(0.5152, 4);
    expect(79_223 * (1 - cut.fraction)).toBeCloseTo(0.4 * 96_014.32, 6);
  });

  it('the emergency tier (month to date below −5%) lowers a LEARNING account at 25% to 20%: a fifth of each position goes', () => {
    const tier = allocationTier({ winRate: 0.3, monthlyReturn: -0.06 });
    expect(tier).toEqual({ tier: 'EMERGENCY', limit: 0.2, totalLimit: 0.2 });
    const cut = overAllocation({ equity: 10_000, botMargin: 2_500, accountMargin: 2_500, limit: tier.limit, totalLimit: tier.totalLimit, reduceAboveShare: 0.05 })!;
    expect(cut.fraction).toBeCloseTo(0.2, 12);
  });

  it("the total leveraged-asset limit cuts every bot by the same share when bots together exceed it", () => {
    // Two bots at 20% each of a LEARNING account: each within its 25%, together 40% > 35%.
    const cut = overAllocation({ equity: 10_000, botMargin: 2_000, accountMargin: 4_000, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 })!;
    expect(cut.check).toBe('total_leveraged');
    expect(cut.fraction).toBeCloseTo(1 - 3_500 / 4_000, 12);
  });

  it('does nothing within the limit or within the hysteresis above it, nor for a flat bot', () => {
    expect(overAllocation({ equity: 10_000, botMargin: 2_500, accountMargin: 2_500, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 })).toBeNull();
    expect(overAllocation({ equity: 10_000, botMargin: 2_600, accountMargin: 2_600, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 })).toBeNull();
    expect(overAllocation({ equity: 10_000, botMargin: 0, accountMargin: 9_000, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 })).toBeNull();
  });

  it('no equity: everything goes', () => {
    expect(overAllocation({ equity: -5, botMargin: 10, accountMargin: 10, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0 })!.fraction).toBe(1);
  });

  it('after the cut, every bot is within its tier and the account within the total (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (equity, margins, limit, totalLimit, reduceAboveShare) => {
          const account = margins.reduce((a, b) => a + b, 0);
          const after = margins.map((m) => {
            const cut = overAllocation({ equity, botMargin: m, accountMargin: account, limit, totalLimit, reduceAboveShare });
            if (cut) {
              expect(cut.fraction).toBeGreaterThan(0);
              expect(cut.fraction).toBeLessThanOrEqual(1);
            }
            return m * (1 - (cut?.fraction ?? 0));
          });
          const total = after.reduce((a, b) => a + b, 0);
          for (const m of after) expect(m).toBeLessThanOrEqual(limit * equity * (1 + reduceAboveShare) * (1 + 1e-9) + 1e-9);
          // Every bot cut (or within the hysteresis), the account is back within the total.
          expect(total).toBeLessThanOrEqual(totalLimit * equity * (1 + reduceAboveShare) * (1 + 1e-9) + 1e-6);
          // A cut lands exactly on its limit (no more is sold than needed).
          margins.forEach((m, k) => {
            const cut = overAllocation({ equity, botMargin: m, accountMargin: account, limit, totalLimit, reduceAboveShare });
            if (cut?.check === 'allocation_tier') expect(after[k]!).toBeCloseTo(limit * equity, 6);
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['NaN equity', { equity: Number.NaN }],
    ['negative margin', { botMargin: -1 }],
    ['account below the bot', { accountMargin: 1 }],
    ['limit above 1', { limit: 1.5 }],
    ['negative share', { reduceAboveShare: -0.1 }],
  ])('%s throws E_INPUT_INVALID', (_name, patch) => {
    const base = { equity: 1_000, botMargin: 100, accountMargin: 100, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 };
    expect(errorCode(() => overAllocation({ ...base, ...patch }))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('names the first limit out of [0, 1], in the order limit, totalLimit, reduceAboveShare', () => {
    const base = { equity: 1_000, botMargin: 100, accountMargin: 100, limit: 0.25, totalLimit: 0.35, reduceAboveShare: 0.05 };
    expect(() => overAllocation({ ...base, totalLimit: Number.NaN, reduceAboveShare: 2 })).toThrow(/^totalLimit: must be in \[0, 1\], got NaN/);
    expect(() => overAllocation({ ...base, limit: -1, totalLimit: Number.NaN })).toThrow(/^limit: /);
    expect(() => overAllocation({ ...base, reduceAboveShare: 1.01 })).toThrow(/^reduceAboveShare: /);
  });
});
