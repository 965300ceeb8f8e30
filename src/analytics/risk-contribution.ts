import { sampleCovariance, sampleVariance } from 'simple-statistics';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';

/**
 * Each position's share of portfolio variance (Euler allocation): wᵢ·cov(rᵢ, r_p) / var(r_p) with
 * r_p = Σ wᵢ rᵢ. Covariance and variance use the same (n − 1) normalisation, so the shares sum
 * to 1 exactly (up to rounding). `null` when the portfolio's variance is 0 or there are fewer than
 * 3 returns. Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT when the series' lengths differ from each other or the
 * weights', or a value is not finite.
 */
export function riskContributions(assetReturns: readonly (readonly number[])[], weights: readonly number[]): number[] | null {
  if (assetReturns.length !== weights.length) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'weights', `expected ${assetReturns.length} weights, got ${weights.length}`);
  const n = assetReturns[0]?.length ?? 0;
  for (const [k, r] of assetReturns.entries()) {
    if (r.length !== n) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `assetReturns[${k}]`, `expected ${n} returns, got ${r.length}`);
    if (!r.every(Number.isFinite)) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `assetReturns[${k}]`, 'must be finite');
  }
  if (!weights.every(Number.isFinite)) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'weights', 'must be finite');
  if (n < 3 || assetReturns.length === 0) return null;
  const rp = Array.from({ length: n }, (_, t) => assetReturns.reduce((a, r, k) => a + weights[k]! * r[t]!, 0));
  const vp = sampleVariance(rp);
  if (!(vp > 0)) return null;
  return assetReturns.map((r, k) => (weights[k]! * sampleCovariance([...r], rp)) / vp);
}
