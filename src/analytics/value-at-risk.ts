import { mean, sampleStandardDeviation } from 'simple-statistics';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import {
  isConstant,
  requireFiniteNumber,
  requireNonNegativeNumber,
  requireOpenUnit,
  requirePositiveNumber,
  requireSeries,
} from './analytics-input.js';
import { empiricalTail } from './empirical-tail.js';
import { normalDensity, normalQuantile } from './normal-distribution.js';

/**
 * The horizon of a risk figure. Inputs are per-period returns; a period is whatever the series is
 * sampled at, so the horizon in periods is `horizonDays × periodsPerDay` (1 for daily returns,
 * 1440 for 1-minute returns of a 24/7 market).
 */
export interface HorizonOptions {
  /** Default 1. */
  readonly horizonDays?: number;
  /** Return periods per day of the input series. Default 1 (daily returns). */
  readonly periodsPerDay?: number;
}

export interface VarOptions extends HorizonOptions {
  /** e.g. 0.95 or 0.99; strictly between 0 and 1. */
  readonly confidence: number;
  /** When given, the estimate also carries USD figures (fraction × this value). */
  readonly portfolioValueUsd?: number;
}

export interface HistoricalVarOptions extends VarOptions {
  /**
   * How a 1-period history becomes an h-period one.
   * - `'overlapping-sum'` (default): every window of h consecutive returns is one scenario, its
   *   return the sum of the h returns (exact for log returns; for simple returns, the P&L of a
   *   constant exposure). Keeps fat tails and autocorrelation; costs h − 1 scenarios, and needs
   *   `horizonDays × periodsPerDay` to be a whole number.
   * - `'square-root-of-time'`: the 1-period VaR and ES × √h, as for the parametric method.
   */
  readonly horizonMethod?: 'overlapping-sum' | 'square-root-of-time';
}

export interface ParametricVarOptions extends VarOptions {
  /** Standard deviation of one period's return, as a fraction (0.02 = 2%). */
  readonly volatility: number;
  /** Mean of one period's return, as a fraction. Default 0. */
  readonly meanReturn?: number;
}

export interface ParametricFromReturnsOptions extends VarOptions {
  /** Take the mean return as 0 instead of the sample mean (conservative for a rising series). */
  readonly zeroMean?: boolean;
}

/**
 * A VaR/ES figure over a horizon. VaR and ES are **positive numbers for losses**, as a fraction of
 * portfolio value (0.031 = 3.1% of the portfolio); a negative figure means even the tail is a gain.
 */
export interface VarEstimate {
  readonly method: 'historical' | 'parametric';
  readonly confidence: number;
  readonly horizonDays: number;
  readonly horizonPeriods: number;
  /** Loss fraction not exceeded with probability `confidence` over the horizon. */
  readonly valueAtRisk: number;
  /** Expected shortfall (CVaR): mean loss fraction beyond the VaR. ≥ `valueAtRisk`. */
  readonly expectedShortfall: number;
  /** `valueAtRisk × portfolioValueUsd`, or `null` when no portfolio value was given. */
  readonly valueAtRiskUsd: number | null;
  readonly expectedShortfallUsd: number | null;
}

interface Horizon {
  readonly days: number;
  readonly periods: number;
}

/** The horizon in periods; `whole` demands an integer (within rounding) for overlapping windows. */
export function resolveHorizon(opts: HorizonOptions, whole: boolean): Horizon {
  const days = requirePositiveNumber('horizonDays', opts.horizonDays ?? 1);
  const perDay = requirePositiveNumber('periodsPerDay', opts.periodsPerDay ?? 1);
  const raw = days * perDay;
  if (!whole) return { days, periods: raw };
  const periods = Math.round(raw);
  if (periods < 1 || Math.abs(raw - periods) > 1e-9 * raw) {
    throw new AnalyticsError(
      AnalyticsErrorCodes.INPUT,
      'horizonDays',
      `horizonDays × periodsPerDay must be a whole number of periods ≥ 1 for overlapping windows, got ${raw}`,
    );
  }
  return { days, periods };
}

function estimate(
  method: VarEstimate['method'],
  opts: VarOptions,
  horizon: Horizon,
  valueAtRisk: number,
  expectedShortfall: number,
): VarEstimate {
  const value = opts.portfolioValueUsd === undefined ? null : requireNonNegativeNumber('portfolioValueUsd', opts.portfolioValueUsd);
  return {
    method,
    confidence: opts.confidence,
    horizonDays: horizon.days,
    horizonPeriods: horizon.periods,
    valueAtRisk,
    expectedShortfall,
    valueAtRiskUsd: value === null ? null : valueAtRisk * value,
    expectedShortfallUsd: value === null ? null : expectedShortfall * value,
  };
}

/**
 * Historical-simulation VaR and expected shortfall of a return series (per-period portfolio
 * returns as fractions; simple or log — see `horizonMethod`). Quantile and ES definitions as in
 * {@link empiricalTail}: for losses 1..100 at 95%, VaR = 95 and ES = 98. O(n) (a selection, no sort).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns or options out of range;
 *   E_ANALYTICS_TOO_FEW_POINTS when fewer than ⌈1/(1 − c)⌉ scenarios remain after windowing
 *   (100 at 99%, 20 at 95%; with overlapping windows the count is n − h + 1).
 */
export function historicalVar(returns: readonly number[], opts: HistoricalVarOptions): VarEstimate {
  requireOpenUnit('confidence', opts.confidence);
  requireSeries('returns', returns, 1);
  return historicalVarOfSeries(returns, opts);
}

/** Reused by {@link historicalVarOfSeries}: one loss scenario array, grown as needed, not one per call. */
let lossScratch = new Float64Array(0);

/**
 * {@link historicalVar} of a series its caller has already passed through `requireSeries` (a
 * per-minute caller checks its 2,880 points once, not twice). The same figures, bit for bit.
 * @throws AnalyticsError as {@link historicalVar}, except for the series check.
 */
export function historicalVarOfSeries(returns: readonly number[], opts: HistoricalVarOptions): VarEstimate {
  const confidence = requireOpenUnit('confidence', opts.confidence);
  const method = opts.horizonMethod ?? 'overlapping-sum';
  if (method !== 'overlapping-sum' && method !== 'square-root-of-time') {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'horizonMethod', `unknown method ${String(method)}`);
  }
  const horizon = resolveHorizon(opts, method === 'overlapping-sum');
  const h = method === 'overlapping-sum' ? horizon.periods : 1;
  const count = returns.length - h + 1;
  if (count < 1) {
    throw new AnalyticsError(AnalyticsErrorCodes.TOO_FEW_POINTS, 'returns', `a ${h}-period horizon needs more than ${returns.length} returns`);
  }
  if (lossScratch.length < count) lossScratch = new Float64Array(Math.max(count, 2 * lossScratch.length));
  const losses = lossScratch.subarray(0, count);
  let window = 0;
  for (let i = 0; i < h; i++) window += returns[i]!;
  losses[0] = -window;
  for (let i = 1; i < count; i++) {
    window += returns[i + h - 1]! - returns[i - 1]!;
    losses[i] = -window;
  }
  const tail = empiricalTail(losses, confidence);
  const scale = method === 'square-root-of-time' ? Math.sqrt(horizon.periods) : 1;
  return estimate('historical', opts, horizon, tail.valueAtRisk * scale, tail.expectedShortfall * scale);
}

/**
 * Parametric (normal, "variance–covariance") VaR and ES from a per-period volatility σ and mean μ:
 * over h periods the return is N(μh, σ²h), so
 * VaR = z·σ·√h − μ·h and ES = σ·√h·φ(z)/(1 − c) − μ·h, with z = Φ⁻¹(c).
 * At 95% and μ = 0: VaR = 1.6449σ, ES = 2.0627σ.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on a negative or non-finite volatility, a non-finite
 *   mean, or options out of range. Zero volatility is allowed (VaR = ES = −μh).
 */
export function parametricVar(opts: ParametricVarOptions): VarEstimate {
  const confidence = requireOpenUnit('confidence', opts.confidence);
  const sigma = requireNonNegativeNumber('volatility', opts.volatility);
  const mu = requireFiniteNumber('meanReturn', opts.meanReturn ?? 0);
  const horizon = resolveHorizon(opts, false);
  const z = normalQuantile(confidence);
  const spread = sigma * Math.sqrt(horizon.periods);
  const drift = mu * horizon.periods;
  const valueAtRisk = z * spread - drift;
  const expectedShortfall = (spread * normalDensity(z)) / (1 - confidence) - drift;
  return estimate('parametric', opts, horizon, valueAtRisk, Math.max(expectedShortfall, valueAtRisk));
}

/**
 * {@link parametricVar} with μ and σ estimated from a return series: the sample mean
 * (simple-statistics `mean`, compensated summation) and the sample standard deviation
 * (simple-statistics `sampleStandardDeviation`, n − 1). A constant series has σ = 0 exactly.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns; E_ANALYTICS_TOO_FEW_POINTS
 *   with fewer than 2 returns.
 */
export function parametricVarFromReturns(returns: readonly number[], opts: ParametricFromReturnsOptions): VarEstimate {
  requireSeries('returns', returns, 2);
  const flat = isConstant(returns);
  const meanReturn = opts.zeroMean === true ? 0 : flat ? returns[0]! : mean(returns);
  const volatility = flat ? 0 : sampleStandardDeviation(returns);
  return parametricVar({ ...opts, volatility, meanReturn });
}
