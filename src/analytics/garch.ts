import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import {
  requireFiniteNumber,
  requireInteger,
  requireNonNegativeNumber,
  requirePositiveNumber,
  requireSeries,
} from './analytics-input.js';
import type { NormalSource } from '../core/rng.js';

/**
 * GARCH(1,1) parameters for per-period returns rₜ = μ + εₜ:
 * σ²ₜ = ω + α·ε²ₜ₋₁ + β·σ²ₜ₋₁, with ω > 0, α ≥ 0, β ≥ 0 and α + β < 1 (covariance stationary).
 * ω is in squared return units of the series' period.
 */
export interface GarchParams {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Where a fitted or filtered series ends: enough to forecast from. */
export interface GarchState {
  /** σ² of the last observation. */
  readonly lastVariance: number;
  /** ε of the last observation (return minus mean). */
  readonly lastResidual: number;
}

export interface GarchForecast {
  /** σ² for each of the next h periods (element 0 is one step ahead). */
  readonly variances: number[];
  /** Σ of `variances`: the variance of the h-period summed return. */
  readonly cumulativeVariance: number;
  /** √cumulativeVariance: h-period volatility. */
  readonly horizonVolatility: number;
  /** ω / (1 − α − β), where the forecasts head. */
  readonly longRunVariance: number;
}

/**
 * Validates GARCH(1,1) parameters (ω > 0, α, β ≥ 0, α + β < 1).
 * @throws AnalyticsError E_ANALYTICS_INPUT otherwise.
 */
export function requireGarchParams(params: GarchParams): GarchParams {
  requirePositiveNumber('omega', params.omega);
  requireNonNegativeNumber('alpha', params.alpha);
  requireNonNegativeNumber('beta', params.beta);
  if (!(params.alpha + params.beta < 1)) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'alpha+beta', `must be < 1 (stationary), got ${params.alpha + params.beta}`);
  }
  return params;
}

/** ω / (1 − α − β): the unconditional variance of a stationary GARCH(1,1). */
export function garchLongRunVariance(params: GarchParams): number {
  requireGarchParams(params);
  return params.omega / (1 - params.alpha - params.beta);
}

export interface GarchFilterOptions {
  /** μ subtracted from each return. Default 0. */
  readonly mean?: number;
  /** σ² of the first observation. Default: the mean of the squared residuals (the backcast). */
  readonly initialVariance?: number;
}

/**
 * The conditional variance σ²ₜ of each observation under given parameters (the GARCH filter):
 * σ²₀ = initialVariance, σ²ₜ = ω + α·ε²ₜ₋₁ + β·σ²ₜ₋₁. Same length as `returns`; per period.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on invalid parameters, returns or options;
 *   E_ANALYTICS_TOO_FEW_POINTS with no returns.
 */
export function garchConditionalVariance(
  returns: readonly number[],
  params: GarchParams,
  opts: GarchFilterOptions = {},
): number[] {
  requireGarchParams(params);
  requireSeries('returns', returns, 1);
  const mu = requireFiniteNumber('mean', opts.mean ?? 0);
  let h: number;
  if (opts.initialVariance === undefined) {
    let sum = 0;
    for (const r of returns) sum += (r - mu) * (r - mu);
    h = sum / returns.length;
  } else {
    h = requireNonNegativeNumber('initialVariance', opts.initialVariance);
  }
  const { omega, alpha, beta } = params;
  const out: number[] = [h];
  for (let t = 1; t < returns.length; t++) {
    const e = returns[t - 1]! - mu;
    h = omega + alpha * e * e + beta * h;
    out.push(h);
  }
  return out;
}

/**
 * h-step variance forecast from the end of a series:
 * σ²ₙ₊₁ = ω + α·ε²ₙ + β·σ²ₙ, then σ²ₙ₊ₖ = V + (α + β)^(k−1)·(σ²ₙ₊₁ − V) with V = ω/(1 − α − β).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on invalid parameters, state, or steps outside
 *   [1, 1e7].
 */
export function garchForecast(params: GarchParams, state: GarchState, steps: number): GarchForecast {
  const longRunVariance = garchLongRunVariance(params);
  requireInteger('steps', steps, 1, 10_000_000);
  const last = requireNonNegativeNumber('lastVariance', state.lastVariance);
  const e = requireFiniteNumber('lastResidual', state.lastResidual);
  const persistence = params.alpha + params.beta;
  const oneStep = params.omega + params.alpha * e * e + params.beta * last;
  const variances: number[] = [];
  let gap = oneStep - longRunVariance;
  let cumulativeVariance = 0;
  for (let k = 0; k < steps; k++) {
    const v = longRunVariance + gap;
    variances.push(v);
    cumulativeVariance += v;
    gap *= persistence;
  }
  return { variances, cumulativeVariance, horizonVolatility: Math.sqrt(cumulativeVariance), longRunVariance };
}

export interface GarchSimulation {
  readonly returns: number[];
  /** σ²ₜ each return was drawn with. */
  readonly variances: number[];
}

/**
 * Simulates n returns rₜ = μ + σₜ·zₜ of a GARCH(1,1) with normal innovations from `normal`
 * (e.g. `normalSource(seededUniform(seed))`), starting at the long-run variance unless told.
 * For tests, benchmarks and the simulated market.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on invalid parameters, n outside [1, 1e8] or options.
 */
export function simulateGarch(
  params: GarchParams,
  n: number,
  normal: NormalSource,
  opts: GarchFilterOptions = {},
): GarchSimulation {
  const longRun = garchLongRunVariance(params);
  requireInteger('n', n, 1, 100_000_000);
  const mu = requireFiniteNumber('mean', opts.mean ?? 0);
  let h = opts.initialVariance === undefined ? longRun : requireNonNegativeNumber('initialVariance', opts.initialVariance);
  const returns: number[] = [];
  const variances: number[] = [];
  for (let t = 0; t < n; t++) {
    const e = Math.sqrt(h) * normal();
    returns.push(mu + e);
    variances.push(h);
    h = params.omega + params.alpha * e * e + params.beta * h;
  }
  return { returns, variances };
}
