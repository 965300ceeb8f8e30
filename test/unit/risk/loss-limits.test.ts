import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_LOSS_LIMITS, evaluateLossLimits, lossLimitsSchema, sortedKeys, type LossLimitInput } from '../../../src/risk/loss-limits.js';
import { hasPeriodRolledOver, lossLimitPeriod } from '../../../src/risk/loss-limit-period.js';
import { utcMonth } from '../../../src/core/utc-day.js';
import { errorCode } from '../error-code.js';

const calm: LossLimitInput = {
  perAsset: { 'ETH-PERP': 0, 'SOL-PERP': 0 },
  portfolioPnlToday: 0,
  portfolioPnlMonth: 0,
  startOfDayEquity: 10_000,
  startOfMonthEquity: 12_000,
};

describe("seed 001's loss limits (ruling 2)", () => {
  it('defaults: 2% per asset per day, 3% portfolio per day, 8% per month, no flattening', () => {
    expect(DEFAULT_LOSS_LIMITS).toEqual({ perAssetDaily: 0.02, portfolioDaily: 0.03, portfolioMonthly: 0.08, flattenOnTrip: false });
  });

  it('nothing trips on gains or small losses', () => {
    expect(evaluateLossLimits(calm)).toEqual([]);
    expect(evaluateLossLimits({ ...calm, perAsset: { 'ETH-PERP': 500, 'SOL-PERP': -199.99 }, portfolioPnlToday: -299.99, portfolioPnlMonth: -959.99 })).toEqual([]);
  });

  it('each limit trips exactly at its threshold, of start-of-period equity', () => {
    const r = evaluateLossLimits({ ...calm, perAsset: { 'SOL-PERP': -200, 'ETH-PERP': -250 }, portfolioPnlToday: -300, portfolioPnlMonth: -960 });
    expect(r).toEqual([
      { scope: 'asset', key: 'ETH-PERP', loss: 250, limit: 200, fraction: 0.025, limitFraction: 0.02 },
      { scope: 'asset', key: 'SOL-PERP', loss: 200, limit: 200, fraction: 0.02, limitFraction: 0.02 },
      { scope: 'portfolio_day', key: 'portfolio', loss: 300, limit: 300, fraction: 0.03, limitFraction: 0.03 },
      { scope: 'portfolio_month', key: 'portfolio', loss: 960, limit: 960, fraction: 0.08, limitFraction: 0.08 },
    ]);
  });

  it("seed 001's −2.8% day on $96,014.32: under the 3% portfolio limit, over 2% if one asset took it", () => {
    const equity = 96_014.32;
    const loss = -0.028 * equity; // −$2,688.40
    const spread = evaluateLossLimits({
      perAsset: { BTC: loss / 2, ETH: loss / 2 },
      portfolioPnlToday: loss,
      portfolioPnlMonth: loss,
      startOfDayEquity: equity,
      startOfMonthEquity: equity,
    });
    expect(spread).toEqual([]);
    const concentrated = evaluateLossLimits({ perAsset: { BTC: loss }, portfolioPnlToday: loss, portfolioPnlMonth: loss, startOfDayEquity: equity, startOfMonthEquity: equity });
    expect(concentrated.map((b) => [b.scope, b.key])).toEqual([['asset', 'BTC']]);
    expect(concentrated[0]?.limit).toBeCloseTo(1_920.29, 2);
  });

  it('limits are configurable and the schema is strict', () => {
    const limits = lossLimitsSchema.parse({ portfolioDaily: 0.01 });
    expect(evaluateLossLimits({ ...calm, portfolioPnlToday: -100, limits }).map((b) => b.scope)).toEqual(['portfolio_day']);
    expect(lossLimitsSchema.safeParse({ daily: 0.03 }).success).toBe(false);
    expect(lossLimitsSchema.safeParse({ portfolioDaily: 0 }).success).toBe(false);
  });

  it('a breach is reported iff loss ≥ limit fraction × equity (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -5_000, max: 5_000, noNaN: true }), fc.double({ min: 1, max: 1e7, noNaN: true }), (pnl, equity) => {
        const r = evaluateLossLimits({ perAsset: { X: pnl }, portfolioPnlToday: 0, portfolioPnlMonth: 0, startOfDayEquity: equity, startOfMonthEquity: equity });
        expect(r.length === 1).toBe(-pnl > 0 && -pnl / equity >= 0.02);
        for (const b of r) expect(Number.isFinite(b.fraction)).toBe(true);
      }),
    );
  });

  it.each([
    ['zero start-of-day equity', { ...calm, startOfDayEquity: 0 }],
    ['NaN start-of-month equity', { ...calm, startOfMonthEquity: Number.NaN }],
    ['a NaN asset PnL', { ...calm, perAsset: { X: Number.NaN } }],
    ['an infinite portfolio PnL', { ...calm, portfolioPnlToday: Number.NEGATIVE_INFINITY }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => evaluateLossLimits(input))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('orders assets as Object.keys(…).sort() does, whatever the symbols (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('ETH-PERP', 'SOL-PERP', 'ETHUSDT', 'sol', '10', '9', 'é', '😀')), fc.double()), (o) => {
        expect(sortedKeys(o)).toEqual(Object.keys(o).sort());
      }),
    );
  });

  it('a bad asset PnL is named by its symbol', () => {
    expect(() => evaluateLossLimits({ ...calm, perAsset: { ETH: 1, SOL: Number.POSITIVE_INFINITY } })).toThrow(/^perAsset\.SOL: must be a finite number/);
  });
});

describe('loss-limit periods (UTC day, UTC month)', () => {
  const at = (iso: string): number => Date.parse(iso);

  it('keys a trip by its period', () => {
    expect(utcMonth(at('2025-09-21T12:00:00Z'))).toBe('2025-09');
    expect(lossLimitPeriod('asset', at('2025-09-21T23:59:59.999Z'))).toBe('2025-09-21');
    expect(lossLimitPeriod('portfolio_day', at('2025-09-22T00:00:00Z'))).toBe('2025-09-22');
    expect(lossLimitPeriod('portfolio_month', at('2025-09-30T23:59:59.999Z'))).toBe('2025-09');
  });

  it.each([
    ['portfolio_day', '2025-09-21', '2025-09-21T23:59:59.999Z', false],
    ['portfolio_day', '2025-09-21', '2025-09-22T00:00:00.000Z', true],
    ['asset', '2025-12-31', '2026-01-01T00:00:00.000Z', true],
    ['portfolio_month', '2025-09', '2025-09-30T23:59:59.999Z', false],
    ['portfolio_month', '2025-09', '2025-10-01T00:00:00.000Z', true],
    ['portfolio_month', '2025-12', '2026-01-01T00:00:00.000Z', true],
  ] as const)('%s tripped %s: rolled over at %s → %s', (scope, period, now, expected) => {
    expect(hasPeriodRolledOver(scope, period, at(now))).toBe(expected);
  });

  it('refuses bad timestamps and periods of the wrong shape', () => {
    for (const ts of [Number.NaN, -1, 1.5, 8.64e15]) expect(errorCode(() => lossLimitPeriod('portfolio_month', ts))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => hasPeriodRolledOver('portfolio_month', '2025-09-21', at('2025-10-01T00:00:00Z')))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => hasPeriodRolledOver('asset', '2025-09', at('2025-10-01T00:00:00Z')))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
