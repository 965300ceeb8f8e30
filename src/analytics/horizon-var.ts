import { sampleVariance } from 'simple-statistics';
import { requireOpenUnit, requireSeries } from './analytics-input.js';
import { historicalVarOfSeries, resolveHorizon, type VarEstimate, type VarOptions } from './value-at-risk.js';

/** How an h-period figure was made from 1-period returns. */
export type HorizonMethod = 'overlapping-sum' | 'square-root-of-time';

export interface HorizonVarEstimate extends VarEstimate {
  /**
   * `overlapping-sum` when the history holds enough h-period windows: the horizon's own returns,
   * so mean reversion (or momentum) shows. `square-root-of-time` when it does not: the 1-period
   * figure × √h, which assumes independent returns and overstates a mean-reverting book's risk.
   */
  readonly horizonMethod: HorizonMethod;
  /**
   * Variance of the overlapping h-period sums over h × the 1-period variance (Lo–MacKinlay's
   * variance ratio; 1 for independent returns, < 1 under mean reversion); `null` when too few
   * windows to measure it.
   */
  readonly varianceRatio: number | null;
}

/** Scenarios historical simulation needs at `confidence` (20 at 95%, 100 at 99%). */
export function minScenarios(confidence: number): number {
  return Math.ceil(1 / (1 - requireOpenUnit('confidence', confidence)) - 1e-9);
}

/** The sums of every window of `h` consecutive returns (n − h + 1 of them), oldest first. */
export function overlappingSums(returns: readonly number[], h: number): number[] {
  const out: number[] = [];
  if (h < 1 || returns.length < h) return out;
  let w = 0;
  for (let i = 0; i < h; i++) w += returns[i]!;
  out.push(w);
  for (let i = h; i < returns.length; i++) {
    w += returns[i]! - returns[i - h]!;
    out.push(w);
  }
  return out;
}

/**
 * Variance ratio VR(h) = Var(h-period sums) / (h · Var(1-period)), sample variances on overlapping
 * windows; `null` with fewer than `minWindows` windows or a constant series.
 */
export function varianceRatio(returns: readonly number[], h: number, minWindows = 20): number | null {
  const sums = overlappingSums(returns, h);
  if (sums.length < Math.max(2, minWindows) || returns.length < 2) return null;
  const v1 = sampleVariance([...returns]);
  if (!(v1 > 0)) return null;
  return sampleVariance(sums) / (h * v1);
}

/**
 * Historical VaR/ES over a horizon that respects the series' own dynamics: overlapping h-period
 * windows when the history holds at least `minScenarios(confidence)` of them, else the 1-period
 * figure × √h, flagged (`horizonMethod`). Pure.
 * @throws AnalyticsError as {@link historicalVar}.
 */
export function horizonVar(returns: readonly number[], opts: VarOptions): HorizonVarEstimate {
  const est = horizonVarFigure(returns, opts);
  return { ...est, varianceRatio: varianceRatio(returns, horizonPeriods(opts), minScenarios(opts.confidence)) };
}

/**
 * {@link horizonVar}'s VaR and ES without the variance ratio (a second pass over the series and two
 * copies of it): for a caller that reads the figure every minute. The same numbers, bit for bit.
 * @throws AnalyticsError as {@link historicalVar}.
 */
export function horizonVarFigure(returns: readonly number[], opts: VarOptions): VarEstimate & { readonly horizonMethod: HorizonMethod } {
  requireSeries('returns', returns, 1);
  const h = horizonPeriods(opts);
  const enough = returns.length - h + 1 >= minScenarios(opts.confidence);
  const whole = { ...opts, periodsPerDay: h / (opts.horizonDays ?? 1) };
  // The series is checked once, above.
  const est = enough ? historicalVarOfSeries(returns, { ...whole, horizonMethod: 'overlapping-sum' }) : historicalVarOfSeries(returns, { ...opts, horizonMethod: 'square-root-of-time' });
  return { ...est, horizonMethod: enough ? 'overlapping-sum' : 'square-root-of-time' };
}

function horizonPeriods(opts: VarOptions): number {
  const { periods } = resolveHorizon(opts, false);
  return Math.max(1, Math.round(periods));
}
