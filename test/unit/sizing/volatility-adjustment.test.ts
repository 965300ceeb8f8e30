import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import {
  VOLATILITY_ADJUSTMENT_MAX,
  VOLATILITY_ADJUSTMENT_MIN,
  logReturns,
  realisedVolatility,
  rollingVolatilityFactor,
  volatilityAdjustment,
  volatilityFactor,
} from '../../../src/sizing/volatility-adjustment.js';
import { errorCode } from '../error-code.js';

/** Closes whose 1-minute log returns alternate ±r for each window's r, oldest first. */
function closesFor(perWindow: readonly number[], window: number, start = 100): number[] {
  const closes = [start];
  let k = 0;
  for (const r of perWindow) {
    for (let j = 0; j < window; j++, k++) closes.push((closes.at(-1) as number) * Math.exp(k % 2 === 0 ? r : -r));
  }
  return closes;
}

describe('volatilityAdjustment = clamp(1 / volatilityFactor, 0.5, 1.5) (ruling 4)', () => {
  it.each([
    [1, 1],
    [0.8, 1.25],
    [1.25, 0.8],
    [0.5, 1.5],
    [2, 0.5],
    [0.1, 1.5],
    [10, 0.5],
  ])('factor %s → %s', (factor, expected) => {
    expect(volatilityAdjustment(factor)).toBeCloseTo(expected, 12);
  });

  it('null (no long-run median yet) → 1.0, no adjustment', () => {
    expect(volatilityAdjustment(null)).toBe(1);
  });

  it('stays in [0.5, 1.5] (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (f) => {
        const a = volatilityAdjustment(f);
        expect(a).toBeGreaterThanOrEqual(VOLATILITY_ADJUSTMENT_MIN);
        expect(a).toBeLessThanOrEqual(VOLATILITY_ADJUSTMENT_MAX);
      }),
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses factor %s with E_INPUT_INVALID', (f) => {
    expect(errorCode(() => volatilityAdjustment(f))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('realised volatility and the factor', () => {
  it('log returns of closes', () => {
    const r = logReturns([100, 110, 99]);
    expect(r[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(r[1]).toBeCloseTo(Math.log(0.9), 15);
    expect(logReturns([100])).toEqual([]);
    expect(logReturns([])).toEqual([]);
  });

  it.each([[[100, 0]], [[100, -1]], [[Number.NaN, 100]], [[5, Number.POSITIVE_INFINITY]]])('refuses bad prices %j', (prices) => {
    expect(errorCode(() => logReturns(prices))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('realised vol is the root mean square of returns; fewer than two → null', () => {
    expect(realisedVolatility([0.01, -0.01, 0.01, -0.01])).toBeCloseTo(0.01, 15);
    expect(realisedVolatility([0.003, 0.004])).toBeCloseTo(Math.sqrt((9e-6 + 16e-6) / 2), 15);
    expect(realisedVolatility([0.01])).toBeNull();
    expect(realisedVolatility([])).toBeNull();
    expect(errorCode(() => realisedVolatility([0.01, Number.NaN]))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('factor = realised / long-run median; degenerate cases are null, never NaN', () => {
    expect(volatilityFactor([0.002, -0.002, 0.002], 0.001)).toBeCloseTo(2, 12);
    expect(volatilityFactor([0.0005, -0.0005], 0.001)).toBeCloseTo(0.5, 12);
    expect(volatilityFactor([0.002, -0.002], null)).toBeNull(); // no history yet
    expect(volatilityFactor([0.002, -0.002], 0)).toBeNull(); // zero median
    expect(volatilityFactor([0, 0, 0], 0.001)).toBeNull(); // flat feed: stale, not calm
    expect(volatilityFactor([0.002], 0.001)).toBeNull(); // too few returns
    expect(errorCode(() => volatilityFactor([0.002, 0.001], -0.001))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => volatilityFactor([0.002, 0.001], Number.NaN))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('rollingVolatilityFactor over 1-minute closes', () => {
  it('latest window over the median of earlier windows', () => {
    // windows of 4 returns: history vols 0.001, 0.002, 0.003 (median 0.002), latest 0.004 → factor 2
    const closes = closesFor([0.001, 0.003, 0.002, 0.004], 4);
    const r = rollingVolatilityFactor(closes, { window: 4, minHistoryWindows: 3 });
    expect(r).not.toBeNull();
    expect(r?.current).toBeCloseTo(0.004, 12);
    expect(r?.median).toBeCloseTo(0.002, 12);
    expect(r?.factor).toBeCloseTo(2, 9);
    expect(r?.historyWindows).toBe(3);
    expect(volatilityAdjustment(r?.factor ?? null)).toBeCloseTo(0.5, 9);
  });

  it('drops a partial window at the start and needs enough history', () => {
    const closes = [100, 100.5, ...closesFor([0.002, 0.002, 0.001], 4, 100.5).slice(1)];
    const r = rollingVolatilityFactor(closes, { window: 4, minHistoryWindows: 2 });
    expect(r?.factor).toBeCloseTo(0.5, 9);
    expect(r?.historyWindows).toBe(2);
    expect(rollingVolatilityFactor(closes, { window: 4, minHistoryWindows: 3 })).toBeNull();
  });

  it('defaults: one-hour windows and a day of history', () => {
    const day = closesFor(Array.from({ length: 24 }, () => 0.001), 60);
    expect(rollingVolatilityFactor(day)).toBeNull(); // 24 windows = 23 of history
    const more = closesFor(Array.from({ length: 25 }, () => 0.001), 60);
    expect(rollingVolatilityFactor(more)?.factor).toBeCloseTo(1, 9);
  });

  it('a flat market is degenerate (null), not a 1.5× size-up', () => {
    expect(rollingVolatilityFactor(Array.from({ length: 41 }, () => 100), { window: 4, minHistoryWindows: 3 })).toBeNull();
  });

  it('never returns NaN (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { maxLength: 200 }), fc.integer({ min: 2, max: 10 }), (closes, window) => {
        const r = rollingVolatilityFactor(closes, { window, minHistoryWindows: 2 });
        if (r !== null) {
          for (const v of [r.current, r.median, r.factor]) expect(Number.isFinite(v)).toBe(true);
          expect(r.factor).toBeGreaterThan(0);
        }
      }),
    );
  });

  it.each([
    [{ window: 1 }],
    [{ window: 2.5 }],
    [{ minHistoryWindows: 0 }],
  ])('refuses options %j with E_INPUT_INVALID', (options) => {
    expect(errorCode(() => rollingVolatilityFactor([100, 101], options))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('bad prices and returns are named by their index', () => {
  it.each([
    [[100, 101, 0, 102], 'prices[2]'],
    [[100, Number.NaN], 'prices[1]'],
    [[-1, 100], 'prices[0]'],
  ])('logReturns(%j) names %s', (prices, field) => {
    expect(() => logReturns(prices)).toThrow(field);
  });

  it.each([
    [[0.01, Number.POSITIVE_INFINITY, 0.02], 'returns[1]'],
    [[0.01, 0.02, Number.NaN], 'returns[2]'],
  ])('realisedVolatility(%j) names %s', (returns, field) => {
    expect(() => realisedVolatility(returns)).toThrow(field);
  });

  it('a rolling factor over a bad close names the close, deep in a long series', () => {
    const closes = Array.from({ length: 3_000 }, (_, k) => 100 + Math.sin(k / 7));
    closes[2_345] = 0;
    expect(() => rollingVolatilityFactor(closes)).toThrow('prices[2345]');
  });
});
