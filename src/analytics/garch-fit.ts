import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { isConstant, requireInteger, requireSeries } from './analytics-input.js';
import type { GarchParams, GarchState } from './garch.js';
import { minimizeNelderMead } from './nelder-mead.js';

/** Fewer points than this and the GARCH likelihood is too flat to identify α and β. */
export const GARCH_MIN_POINTS = 100;

export interface GarchFitOptions {
  /** Subtract the sample mean first (default `true`); `false` takes μ = 0. */
  readonly demean?: boolean;
  /** Nelder–Mead iteration cap per run (two runs). Default 1,000. */
  readonly maxIterations?: number;
}

export interface GarchFit extends GarchParams, GarchState {
  /** α + β. */
  readonly persistence: number;
  /** ω / (1 − α − β), per period. */
  readonly longRunVariance: number;
  /** μ subtracted before fitting (0 when `demean: false`). */
  readonly mean: number;
  /** Maximised Gaussian log-likelihood, in the original units. */
  readonly logLikelihood: number;
  /** One-step-ahead variance forecast σ²ₙ₊₁. */
  readonly nextVariance: number;
  readonly observations: number;
  readonly iterations: number;
  /** Whether the optimiser met its tolerances (a `false` fit is still the best point found). */
  readonly converged: boolean;
}

const STARTS: readonly (readonly [number, number])[] = [
  [0.05, 0.9],
  [0.1, 0.8],
  [0.03, 0.96],
  [0.15, 0.6],
];
/** The starts in the optimiser's coordinates, made once: the same arrays for every fit (see nelder-mead.ts). */
const STARTS_PACKED: readonly (readonly number[])[] = STARTS.map(([a, b]) => pack(1 - a - b, a, b));

/**
 * Fits a GARCH(1,1) by Gaussian maximum likelihood.
 *
 * - Residuals εₜ = rₜ − μ are scaled by their RMS s, so the optimiser works on unit-variance data
 *   whatever the sampling interval (1-minute returns have s ≈ 1e-3); ω is scaled back by s².
 * - Constraints by reparametrisation, so the optimiser is unconstrained: ω = exp(θ₀),
 *   α + β = logistic(θ₁) ∈ (0, 1), α = (α + β)·logistic(θ₂), β = (α + β) − α. Hence ω > 0,
 *   α, β > 0 and α + β < 1 for every θ.
 * - σ²₀ = the sample variance of the residuals (backcast); the objective is
 *   Σ [ln σ²ₜ + ε²ₜ/σ²ₜ], minimised with {@link minimizeNelderMead} from the best of a few
 *   standard starting points, then restarted once from its answer (a standard guard against a
 *   collapsed simplex).
 *
 * O(n) per likelihood evaluation, a few hundred evaluations: ~0.1 s for 20,000 points, ~1.5 s for
 * a year of 1-minute returns (525,600).
 * On 20,000 simulated points with α = 0.08, β = 0.9 the estimates land within ±0.02 of the truth.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns; E_ANALYTICS_TOO_FEW_POINTS
 *   with fewer than {@link GARCH_MIN_POINTS}; E_ANALYTICS_DEGENERATE on a constant series (no
 *   variance to model).
 */
export function fitGarch(returns: readonly number[], opts: GarchFitOptions = {}): GarchFit {
  requireSeries('returns', returns, GARCH_MIN_POINTS);
  const maxIterations = requireInteger('maxIterations', opts.maxIterations ?? 1_000, 1);
  if (isConstant(returns)) {
    throw new AnalyticsError(AnalyticsErrorCodes.DEGENERATE, 'returns', 'is constant: no variance for a GARCH model');
  }
  const n = returns.length;
  let mu = 0;
  if (opts.demean !== false) {
    for (const r of returns) mu += r;
    mu /= n;
  }
  let sumSquares = 0;
  for (const r of returns) sumSquares += (r - mu) * (r - mu);
  const scale2 = sumSquares / n;
  if (!(scale2 > 0) || !Number.isFinite(scale2)) {
    throw new AnalyticsError(AnalyticsErrorCodes.DEGENERATE, 'returns', `residual variance ${scale2} cannot be modelled`);
  }
  const scale = Math.sqrt(scale2);
  const x2 = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const x = (returns[t]! - mu) / scale;
    x2[t] = x * x;
  }

  const objective = (theta: readonly number[]): number => {
    const p = unpack(theta);
    return negativeLogLikelihood(x2, p.omega, p.alpha, p.beta);
  };
  let start = STARTS_PACKED[0]!;
  let startValue = objective(start);
  for (let k = 1; k < STARTS_PACKED.length; k++) {
    const s = STARTS_PACKED[k]!;
    const v = objective(s);
    if (v < startValue) [start, startValue] = [s, v];
  }
  const first = minimizeNelderMead(objective, start, { maxIterations });
  const second = minimizeNelderMead(objective, first.x, { maxIterations, initialStep: 0.05 });
  const best = second.value <= first.value ? second : first;
  if (!Number.isFinite(best.value)) {
    throw new AnalyticsError(AnalyticsErrorCodes.DEGENERATE, 'returns', 'the GARCH likelihood has no finite maximum on this series');
  }
  const unit = unpack(best.x);
  const omega = unit.omega * scale2;
  const { alpha, beta } = unit;

  // Re-run the filter in original units for the end state.
  let h = scale2;
  for (let t = 1; t < n; t++) {
    const e = returns[t - 1]! - mu;
    h = omega + alpha * e * e + beta * h;
  }
  const lastResidual = returns[n - 1]! - mu;
  const persistence = alpha + beta;
  return {
    omega,
    alpha,
    beta,
    persistence,
    longRunVariance: omega / (1 - persistence),
    mean: mu,
    logLikelihood: -0.5 * (n * Math.log(2 * Math.PI) + n * Math.log(scale2) + best.value),
    lastVariance: h,
    lastResidual,
    nextVariance: omega + alpha * lastResidual * lastResidual + beta * h,
    observations: n,
    iterations: first.iterations + second.iterations,
    converged: second.converged,
  };
}

/**
 * Σ [ln hₜ + x²ₜ/hₜ] over unit-variance residuals, h₀ = 1 (their mean square). The logs are
 * taken of running products, flushed before they leave [1e-200, 1e200]: Math.log dominates the
 * loop, and this takes ~4× fewer of them with the same result to ~1e-14. A product that still
 * under- or overflows makes the sum non-finite, which the optimiser treats as +∞.
 */
function negativeLogLikelihood(x2: Float64Array, omega: number, alpha: number, beta: number): number {
  let h = 1;
  let logs = 0;
  let product = 1;
  let quadratic = x2[0]!;
  for (let t = 1; t < x2.length; t++) {
    h = omega + alpha * x2[t - 1]! + beta * h;
    quadratic += x2[t]! / h;
    product *= h;
    if (product > 1e200 || product < 1e-200) {
      logs += Math.log(product);
      product = 1;
    }
  }
  return logs + Math.log(product) + quadratic;
}

function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** α + β stays this far below 1, so ω/(1 − α − β) is finite even where the logistic rounds to 1. */
const MAX_PERSISTENCE = 1 - 1e-10;

function unpack(theta: readonly number[]): GarchParams {
  const persistence = Math.min(logistic(theta[1]!), MAX_PERSISTENCE);
  const alpha = persistence * logistic(theta[2]!);
  return { omega: Math.exp(theta[0]!), alpha, beta: persistence - alpha };
}

function pack(omega: number, alpha: number, beta: number): number[] {
  const persistence = alpha + beta;
  const share = alpha / persistence;
  return [Math.log(omega), Math.log(persistence / (1 - persistence)), Math.log(share / (1 - share))];
}
