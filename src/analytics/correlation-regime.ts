import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireFiniteNumber, requirePositiveNumber } from './analytics-input.js';

/** Where the regime's lines are drawn (see {@link DEFAULT_REGIME_THRESHOLDS}). */
export interface RegimeThresholds {
  /** Next-period σ over the window's σ below this, for every leg: low volatility. */
  readonly lowVolatilityRatio: number;
  /** …above this, for any leg: high volatility. */
  readonly highVolatilityRatio: number;
  /** Correlation breaks down when ρ falls this far below its long-run level… */
  readonly breakdownDrop: number;
  /** …or below this level, whatever the long-run level. */
  readonly breakdownFloor: number;
}

/**
 * σ ratios of ¾ and 1½ (a third of the window's volatility away either side), and a correlation
 * break-down at a 0.3 drop from the long-run ρ or below 0.3 outright: below that the pair's legs
 * no longer offset and a dollar-neutral book is two naked positions.
 */
export const DEFAULT_REGIME_THRESHOLDS: RegimeThresholds = { lowVolatilityRatio: 0.75, highVolatilityRatio: 1.5, breakdownDrop: 0.3, breakdownFloor: 0.3 };

export type VolatilityRegime = 'low' | 'normal' | 'high';
export type RegimeLabel = 'correlation-breakdown' | 'high-volatility' | 'low-volatility' | 'normal';

export interface MarketRegime {
  readonly volatility: VolatilityRegime;
  readonly correlationBreakdown: boolean;
  /** One word for the operator: a break-down first (it undoes the hedge), then volatility. */
  readonly label: RegimeLabel;
  /** The largest next-period σ / window σ over the legs. */
  readonly volatilityRatio: number;
  readonly correlation: number;
  readonly longRunCorrelation: number;
}

export interface RegimeInput {
  /** Next-period σ over the window's σ, one per leg (> 0). */
  readonly volatilityRatios: readonly number[];
  /** The correlation now (DCC's next-period ρ). */
  readonly correlation: number;
  /** The long-run correlation (DCC's Q̄). */
  readonly longRunCorrelation: number;
}

/**
 * The market regime of a pair: low/normal/high volatility from the legs' σ ratios, and a
 * correlation break-down when ρ drops `breakdownDrop` below its long-run level or below
 * `breakdownFloor`. Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on no legs, a ratio not > 0, a correlation outside
 *   [−1, 1], or thresholds out of order.
 */
export function marketRegime(i: RegimeInput, t: RegimeThresholds = DEFAULT_REGIME_THRESHOLDS): MarketRegime {
  if (i.volatilityRatios.length === 0) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'volatilityRatios', 'needs at least one leg');
  i.volatilityRatios.forEach((r, k) => requirePositiveNumber(`volatilityRatios[${k}]`, r));
  for (const [f, v] of [['correlation', i.correlation], ['longRunCorrelation', i.longRunCorrelation]] as const) {
    if (!(Math.abs(requireFiniteNumber(f, v)) <= 1)) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, f, `must be in [-1, 1], got ${v}`);
  }
  if (!(t.lowVolatilityRatio > 0 && t.lowVolatilityRatio < 1 && t.highVolatilityRatio > 1)) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'thresholds', 'need 0 < lowVolatilityRatio < 1 < highVolatilityRatio');
  }
  const max = Math.max(...i.volatilityRatios);
    const volatility: VolatilityRegime = max > t.highVolatilityRatio ? 'high' : max < t.lowVolatilityRatio ? 'low' : 'normal';
  const correlationBreakdown = i.correlation < i.longRunCorrelation - t.breakdownDrop || i.correlation < t.breakdownFloor;
  const label: RegimeLabel = correlationBreakdown ? 'correlation-breakdown' : volatility === 'high' ? 'high-volatility' : volatility === 'low' ? 'low-volatility' : 'normal';
  return { volatility, correlationBreakdown, label, volatilityRatio: max, correlation: i.correlation, longRunCorrelation: i.longRunCorrelation };
}
