import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireFiniteNumber, requirePositiveNumber } from './analytics-input.js';
import type { MarketRegime } from './correlation-regime.js';

export interface HedgeRatioInput {
  /** ρ between the long and the short leg's returns now (DCC's next-period ρ). */
  readonly correlation: number;
  /** Next-period σ of the long leg's and the short leg's returns, same period (> 0). */
  readonly longVolatility: number;
  readonly shortVolatility: number;
  /** When given, a correlation break-down falls back to 1. */
  readonly regime?: Pick<MarketRegime, 'correlationBreakdown'>;
  /** The ratio is clamped to [1/maxTilt, maxTilt] (> 1, default 2). */
  readonly maxTilt?: number;
}

export interface HedgeRatio {
  /** Short-leg notional per unit of long-leg notional that the book is hedged with. */
  readonly ratio: number;
  /** ρ·σ_long/σ_short before the fallback and the clamp. */
  readonly minimumVariance: number;
  readonly reason: 'minimum-variance' | 'clamped' | 'correlation-breakdown';
}

/**
 * Seed 002's `adjust_hedge_ratios` for a pair: the minimum-variance hedge ratio h = ρ·σ_L/σ_S
 * (the short notional per long notional that minimises Var(r_L − h·r_S)), from the dynamic
 * correlation and the legs' conditional volatilities. In a correlation break-down the estimate
 * says "hedge less" exactly when the hedge is least reliable, so the ratio falls back to 1
 * (dollar-neutral); otherwise it is clamped to [1/maxTilt, maxTilt] so one noisy window cannot
 * turn a pair into a directional bet. The long leg's beta to the short leg is this ratio. Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on a correlation outside [−1, 1], a volatility not > 0
 *   or maxTilt ≤ 1.
 */
export function adjustHedgeRatio(i: HedgeRatioInput): HedgeRatio {
  const rho = requireFiniteNumber('correlation', i.correlation);
  if (Math.abs(rho) > 1) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'correlation', `must be in [-1, 1], got ${rho}`);
  const sl = requirePositiveNumber('longVolatility', i.longVolatility);
  const ss = requirePositiveNumber('shortVolatility', i.shortVolatility);
  const tilt = requirePositiveNumber('maxTilt', i.maxTilt ?? 2);
  if (!(tilt > 1)) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'maxTilt', `must be > 1, got ${tilt}`);
  const minimumVariance = (rho * sl) / ss;
  if (i.regime?.correlationBreakdown) return { ratio: 1, minimumVariance, reason: 'correlation-breakdown' };
  const ratio = Math.min(tilt, Math.max(1 / tilt, minimumVariance));
  return { ratio, minimumVariance, reason: ratio === minimumVariance ? 'minimum-variance' : 'clamped' };
}
