import { sampleStandardDeviation } from 'simple-statistics';
import { isConstant, requireNonNegativeNumber, requireOpenUnit, requirePositiveNumber, requireSeries } from './analytics-input.js';

/** RiskMetrics' decay for daily data (J.P. Morgan, 1996). */
export const RISKMETRICS_LAMBDA = 0.94;

export interface AnnualisationOptions {
  /**
   * Return periods per year, to annualise by √periodsPerYear (365 for daily crypto returns,
   * 525,600 for 1-minute ones; see `PERIODS_PER_YEAR`). Default 1: the figure stays per period.
   */
  readonly periodsPerYear?: number;
}

export interface RealisedVolatilityOptions extends AnnualisationOptions {
  /**
   * `false` (default): root mean square of the returns, mean taken as zero — the usual realised
   * volatility of high-frequency returns, where the sample mean is noise. `true`: sample standard
   * deviation around the sample mean (n − 1).
   */
  readonly demean?: boolean;
}

export interface EwmaOptions {
  /** Decay λ in (0, 1); weight of the past. Default 0.94 (RiskMetrics). */
  readonly lambda?: number;
  /** Variance before the first return. Default r₀², so the first estimate is r₀². */
  readonly seedVariance?: number;
}

/**
 * Realised volatility of a return series (fractions), per period or annualised:
 * √(Σr²/n · P) by default, or the sample standard deviation × √P with `demean: true`
 * (simple-statistics `sampleStandardDeviation`; exactly 0 for a constant series).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns or options; E_ANALYTICS_TOO_FEW_POINTS
 *   with no returns (fewer than 2 with `demean`).
 */
export function realisedVolatility(returns: readonly number[], opts: RealisedVolatilityOptions = {}): number {
  const periodsPerYear = requirePositiveNumber('periodsPerYear', opts.periodsPerYear ?? 1);
  if (opts.demean === true) {
    requireSeries('returns', returns, 2);
    return isConstant(returns) ? 0 : sampleStandardDeviation(returns) * Math.sqrt(periodsPerYear);
  }
  requireSeries('returns', returns, 1);
  let sumSquares = 0;
  for (const r of returns) sumSquares += r * r;
  return Math.sqrt((sumSquares / returns.length) * periodsPerYear);
}

/**
 * EWMA (RiskMetrics) variance after each return, zero-mean:
 * v₋₁ = seedVariance (default r₀²), vₜ = λ·vₜ₋₁ + (1 − λ)·rₜ². Element t uses returns up to and
 * including t, so the last element is the variance forecast for the next period. Per period
 * (not annualised). Same length as `returns`.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns, λ outside (0, 1) or a negative
 *   seed variance; E_ANALYTICS_TOO_FEW_POINTS with no returns.
 */
export function ewmaVarianceSeries(returns: readonly number[], opts: EwmaOptions = {}): number[] {
  const lambda = requireOpenUnit('lambda', opts.lambda ?? RISKMETRICS_LAMBDA);
  requireSeries('returns', returns, 1);
  const first = returns[0]!;
  let v = opts.seedVariance === undefined ? first * first : requireNonNegativeNumber('seedVariance', opts.seedVariance);
  const out: number[] = [];
  const w = 1 - lambda;
  for (const r of returns) {
    v = lambda * v + w * r * r;
    out.push(v);
  }
  return out;
}

/**
 * EWMA volatility forecast for the next period: √(last EWMA variance · P), per period by default
 * or annualised with `periodsPerYear`. See {@link ewmaVarianceSeries} for the recursion; O(n),
 * no allocation.
 *
 * @throws AnalyticsError as {@link ewmaVarianceSeries}, and E_ANALYTICS_INPUT on periodsPerYear ≤ 0.
 */
export function ewmaVolatility(returns: readonly number[], opts: EwmaOptions & AnnualisationOptions = {}): number {
  const lambda = requireOpenUnit('lambda', opts.lambda ?? RISKMETRICS_LAMBDA);
  const periodsPerYear = requirePositiveNumber('periodsPerYear', opts.periodsPerYear ?? 1);
  requireSeries('returns', returns, 1);
  const first = returns[0]!;
  let v = opts.seedVariance === undefined ? first * first : requireNonNegativeNumber('seedVariance', opts.seedVariance);
  const w = 1 - lambda;
  for (const r of returns) v = lambda * v + w * r * r;
  return Math.sqrt(v * periodsPerYear);
}
