import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireSeries } from './analytics-input.js';

/**
 * Drawdown analysis of an equity curve. All drawdowns are **fractions ≤ 0** relative to the
 * running peak (−0.15 = 15% below the peak); durations are counted in periods (steps of the
 * curve), not in wall time.
 */
export interface DrawdownAnalysis {
  /** equityₜ / max(equity₀..ₜ) − 1 for each point; ≤ 0, 0 at a new high. */
  readonly series: number[];
  /** The most negative drawdown (0 for a curve that never falls below a peak). */
  readonly maxDrawdown: number;
  /** Index of the peak the max drawdown is measured from. */
  readonly maxDrawdownPeakIndex: number;
  /** Index where the max drawdown bottoms out. */
  readonly maxDrawdownTroughIndex: number;
  /** First index after the trough back at or above that peak; `null` if not recovered yet. */
  readonly maxDrawdownRecoveryIndex: number | null;
  /** Drawdown at the last point. */
  readonly currentDrawdown: number;
  /** Periods since the last peak (0 when the last point is a peak). */
  readonly currentDurationPeriods: number;
  /**
   * Longest time under water: periods from a peak to the first point back at or above it, or to
   * the end of the curve for a spell still open.
   */
  readonly maxDurationPeriods: number;
}

function requireEquity(equity: readonly number[]): readonly number[] {
  requireSeries('equity', equity, 1);
  if (!(equity[0]! > 0)) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'equity[0]', `must be > 0, got ${equity[0]}`);
  }
  equity.forEach((e, i) => {
    if (e < 0) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `equity[${i}]`, `must be ≥ 0, got ${e}`);
  });
  return equity;
}

/**
 * The drawdown of each point of an equity curve (USD or any positive unit): equityₜ / peakₜ − 1,
 * values in [−1, 0].
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on a non-finite or negative value or a first value
 *   that is not > 0 (a peak of 0 has no fractional drawdown); E_ANALYTICS_TOO_FEW_POINTS when empty.
 */
export function drawdownSeries(equity: readonly number[]): number[] {
  requireEquity(equity);
  const out: number[] = [];
  let peak = equity[0]!;
  for (const e of equity) {
    if (e > peak) peak = e;
    out.push(Math.min(0, e / peak - 1));
  }
  return out;
}

/**
 * Max drawdown, current drawdown and durations of an equity curve in one O(n) pass (see
 * {@link DrawdownAnalysis} for the definitions). A single point is a peak: everything 0.
 *
 * @throws AnalyticsError as {@link drawdownSeries}.
 */
export function drawdownAnalysis(equity: readonly number[]): DrawdownAnalysis {
  requireEquity(equity);
  const series: number[] = [];
  let peak = equity[0]!;
  let peakIndex = 0;
  let maxDrawdown = 0;
  let maxPeakIndex = 0;
  let maxTroughIndex = 0;
  let maxRecoveryIndex: number | null = null;
  let awaitingRecovery = false;
  let maxDuration = 0;
  for (let t = 0; t < equity.length; t++) {
    const e = equity[t]!;
    if (e >= peak) {
      // A spell under water ends here (a new high or a return to the old one).
      if (t - peakIndex > 1) maxDuration = Math.max(maxDuration, t - peakIndex);
      if (awaitingRecovery) {
        maxRecoveryIndex = t;
        awaitingRecovery = false;
      }
      peak = e;
      peakIndex = t;
      series.push(0);
      continue;
    }
    const dd = Math.min(0, e / peak - 1);
    series.push(dd);
    if (dd < maxDrawdown) {
      maxDrawdown = dd;
      maxPeakIndex = peakIndex;
      maxTroughIndex = t;
      maxRecoveryIndex = null;
      awaitingRecovery = true;
    }
  }
  const last = equity.length - 1;
  const currentDuration = last - peakIndex;
  return {
    series,
    maxDrawdown,
    maxDrawdownPeakIndex: maxPeakIndex,
    maxDrawdownTroughIndex: maxTroughIndex,
    maxDrawdownRecoveryIndex: maxRecoveryIndex,
    currentDrawdown: series[last]!,
    currentDurationPeriods: currentDuration,
    maxDurationPeriods: Math.max(maxDuration, currentDuration),
  };
}
