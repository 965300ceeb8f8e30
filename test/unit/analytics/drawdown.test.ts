import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawdownAnalysis, drawdownSeries } from '../../../src/analytics/drawdown.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

describe('drawdown of a known equity path', () => {
  // 100 → 110 (peak) → 99 → 88 (trough, −20%) → 121 (recovered, new peak) → 110 → 115.
  // Series: 0, 0, 99/110 − 1, 88/110 − 1, 0, 110/121 − 1, 115/121 − 1.
  const equity = [100, 110, 99, 88, 121, 110, 115];

  it('series', () => {
    const expected = [0, 0, -0.1, -0.2, 0, 110 / 121 - 1, 115 / 121 - 1];
    drawdownSeries(equity).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 15));
  });

  it('max, current and durations', () => {
    const a = drawdownAnalysis(equity);
    expect(a.maxDrawdown).toBeCloseTo(-0.2, 15);
    expect(a.maxDrawdownPeakIndex).toBe(1);
    expect(a.maxDrawdownTroughIndex).toBe(3);
    expect(a.maxDrawdownRecoveryIndex).toBe(4);
    expect(a.currentDrawdown).toBeCloseTo(115 / 121 - 1, 15); // −4.96%
    expect(a.currentDurationPeriods).toBe(2); // peak at index 4, now index 6
    expect(a.maxDurationPeriods).toBe(3); // peak 1 → back above it at 4
  });

  it('a curve still under water: no recovery, the open spell is the longest', () => {
    const a = drawdownAnalysis([100, 90, 80, 85]);
    expect(a.maxDrawdown).toBeCloseTo(-0.2, 15);
    expect(a.maxDrawdownRecoveryIndex).toBeNull();
    expect(a.currentDurationPeriods).toBe(3);
    expect(a.maxDurationPeriods).toBe(3);
  });

  it('a rising curve and a single point have no drawdown', () => {
    for (const curve of [[1, 2, 3, 4], [5]]) {
      const a = drawdownAnalysis(curve);
      expect(a.maxDrawdown).toBe(0);
      expect(a.currentDrawdown).toBe(0);
      expect(a.maxDurationPeriods).toBe(0);
      expect(a.series.every((v) => v === 0)).toBe(true);
    }
  });

  it('equity falling to 0 is a −100% drawdown', () => {
    expect(drawdownAnalysis([10, 0, 0]).maxDrawdown).toBe(-1);
  });
});

describe('degenerate input', () => {
  it.each<[string, string, () => unknown]>([
    ['empty', 'E_ANALYTICS_TOO_FEW_POINTS', () => drawdownSeries([])],
    ['first value 0', 'E_ANALYTICS_INPUT', () => drawdownAnalysis([0, 1, 2])],
    ['negative equity', 'E_ANALYTICS_INPUT', () => drawdownAnalysis([10, -1])],
    ['NaN', 'E_ANALYTICS_INPUT', () => drawdownSeries([10, Number.NaN])],
    ['Infinity', 'E_ANALYTICS_INPUT', () => drawdownSeries([10, Number.POSITIVE_INFINITY])],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });
});

describe('properties', () => {
  const curve = fc.array(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 });

  it('every drawdown is in [−1, 0]; the max is the series minimum; the series agree', () => {
    fc.assert(
      fc.property(curve, (equity) => {
        const a = drawdownAnalysis(equity);
        for (const v of a.series) {
          expect(v).toBeLessThanOrEqual(0);
          expect(v).toBeGreaterThanOrEqual(-1);
        }
        expect(a.maxDrawdown).toBe(Math.min(...a.series));
        expect(a.series).toEqual(drawdownSeries(equity));
        expect(a.currentDurationPeriods).toBeLessThanOrEqual(a.maxDurationPeriods);
        expect(a.maxDrawdownPeakIndex).toBeLessThanOrEqual(a.maxDrawdownTroughIndex);
      }),
    );
  });

  it('any numbers in: a typed error or finite figures out', () => {
    fc.assert(fc.property(fc.array(fc.double(), { maxLength: 40 }), (e) => finiteOrAnalyticsError(() => drawdownAnalysis(e))));
  });
});
