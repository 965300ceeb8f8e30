import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireInteger, requireOpenUnit, requirePositiveNumber, requireSeries } from './analytics-input.js';
import { choleskyFactor, requireSymmetricMatrix, type SquareMatrix } from './cholesky.js';
import { empiricalTail } from './empirical-tail.js';
import { normalDensity, normalQuantile } from './normal-distribution.js';
import { normalSource, seededUniform, type UniformSource } from '../core/rng.js';
import { resolveHorizon, type HorizonOptions } from './value-at-risk.js';

/**
 * The joint distribution of one period's asset returns (fractions): either a covariance matrix,
 * or per-asset volatilities with a correlation matrix (Σij = σi·σj·ρij), as seed 002's
 * `monte_carlo_var(volatilities, correlation_matrix)` takes them.
 */
export type CovarianceModel =
  | { readonly covariance: SquareMatrix }
  | { readonly volatilities: readonly number[]; readonly correlation: SquareMatrix };

export interface PortfolioVarOptions extends HorizonOptions {
  /** Signed USD exposure per asset (long > 0, short < 0), in the model's asset order. */
  readonly positionsUsd: readonly number[];
  readonly model: CovarianceModel;
  /** Mean one-period return per asset (fractions). Default all 0. */
  readonly meanReturns?: readonly number[];
  readonly confidence: number;
  /** Portfolio value (equity) in USD: when given, figures are also expressed as fractions of it. */
  readonly portfolioValueUsd?: number;
}

export interface MonteCarloVarOptions extends PortfolioVarOptions {
  /** Number of simulated horizons. Default 10,000; at least 1/(1 − confidence). */
  readonly simulations?: number;
  /** Seed of the built-in generator (ignored when `uniform` is given). Default 1. */
  readonly seed?: number;
  /** An injected uniform [0, 1) source instead of the seeded generator. */
  readonly uniform?: UniformSource;
}

/**
 * VaR and ES of a book of positions. **USD is primary** here (a delta-neutral book's net
 * exposure is ~0, so there is no natural denominator); the fractions are of `portfolioValueUsd`.
 * Positive = loss.
 */
export interface PortfolioVarEstimate {
  readonly method: 'monte-carlo' | 'delta-normal';
  readonly confidence: number;
  readonly horizonDays: number;
  readonly horizonPeriods: number;
  /** Simulated horizons; `null` for the closed-form delta-normal method. */
  readonly simulations: number | null;
  readonly valueAtRiskUsd: number;
  readonly expectedShortfallUsd: number;
  /** `valueAtRiskUsd / portfolioValueUsd`, or `null` when no portfolio value was given. */
  readonly valueAtRisk: number | null;
  readonly expectedShortfall: number | null;
}

/** The covariance matrix a model describes, validated (finite, symmetric, variances ≥ 0). */
export function covarianceFromModel(model: CovarianceModel, assets: number): number[][] {
  if ('covariance' in model) {
    const cov = requireSymmetricMatrix('model.covariance', model.covariance, assets);
    cov.forEach((row, i) => {
      if (row[i]! < 0) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `model.covariance[${i}][${i}]`, 'a variance must be ≥ 0');
    });
    return cov;
  }
  const vols = requireSeries('model.volatilities', model.volatilities, assets);
  if (vols.length !== assets) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'model.volatilities', `must have ${assets} entries, got ${vols.length}`);
  }
  const corr = requireSymmetricMatrix('model.correlation', model.correlation, assets);
  return corr.map((row, i) => {
    const vi = vols[i]!;
    if (vi < 0) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `model.volatilities[${i}]`, 'must be ≥ 0');
    return row.map((rho, j) => {
      const ok = i === j ? Math.abs(rho - 1) <= 1e-12 : rho >= -1 && rho <= 1;
      if (!ok) {
        throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `model.correlation[${i}][${j}]`, `must be ${i === j ? '1' : 'in [−1, 1]'}, got ${rho}`);
      }
      return vi * vols[j]! * (i === j ? 1 : rho);
    });
  });
}

interface Prepared {
  readonly positions: readonly number[];
  readonly means: readonly number[];
  readonly covariance: number[][];
  readonly confidence: number;
  readonly days: number;
  readonly periods: number;
  readonly value: number | null;
}

function prepare(opts: PortfolioVarOptions): Prepared {
  const confidence = requireOpenUnit('confidence', opts.confidence);
  const positions = requireSeries('positionsUsd', opts.positionsUsd, 1);
  const k = positions.length;
  const means = opts.meanReturns === undefined ? new Array<number>(k).fill(0) : requireSeries('meanReturns', opts.meanReturns, k);
  if (means.length !== k) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'meanReturns', `must have ${k} entries, got ${means.length}`);
  const covariance = covarianceFromModel(opts.model, k);
  const { days, periods } = resolveHorizon(opts, false);
  const value = opts.portfolioValueUsd === undefined ? null : requirePositiveNumber('portfolioValueUsd', opts.portfolioValueUsd);
  return { positions, means, covariance, confidence, days, periods, value };
}

function result(
  p: Prepared,
  method: PortfolioVarEstimate['method'],
  simulations: number | null,
  varUsd: number,
  esUsd: number,
): PortfolioVarEstimate {
  return {
    method,
    confidence: p.confidence,
    horizonDays: p.days,
    horizonPeriods: p.periods,
    simulations,
    valueAtRiskUsd: varUsd,
    expectedShortfallUsd: esUsd,
    valueAtRisk: p.value === null ? null : varUsd / p.value,
    expectedShortfall: p.value === null ? null : esUsd / p.value,
  };
}

/**
 * Monte Carlo VaR and ES of a book of correlated assets. Each simulation draws independent
 * standard normals z, correlates them with the Cholesky factor L of the covariance (ml-matrix),
 * and revalues the book linearly over h periods: r = μ·h + √h·L·z, P&L = Σ positionᵢ·rᵢ. VaR/ES
 * are the empirical tail of the simulated losses ({@link empiricalTail}). The same seed (or the
 * same injected source) gives the same figures; with normal returns they converge to
 * {@link deltaNormalVar} as the number of simulations grows (standard error of the simulated 99%
 * VaR ≈ 1.6% of it at the default 10,000 simulations, 0.36% at 200,000).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on malformed positions, means, model or options;
 *   E_ANALYTICS_NOT_POSITIVE_DEFINITE when the covariance is not positive definite;
 *   E_ANALYTICS_TOO_FEW_POINTS when simulations < 1/(1 − confidence).
 */
export function monteCarloVar(opts: MonteCarloVarOptions): PortfolioVarEstimate {
  const p = prepare(opts);
  const simulations = requireInteger('simulations', opts.simulations ?? 10_000, 1, 10_000_000);
  const lower = choleskyFactor(p.covariance, 'model');
  const uniform = opts.uniform ?? seededUniform(requireInteger('seed', opts.seed ?? 1, -0x80000000, 0xffffffff));
  const normal = normalSource(uniform);
  const k = p.positions.length;
  const root = Math.sqrt(p.periods);
  let drift = 0;
  for (let i = 0; i < k; i++) drift += p.positions[i]! * p.means[i]! * p.periods;
  const z = new Float64Array(k);
  const losses: number[] = [];
  for (let s = 0; s < simulations; s++) {
    for (let i = 0; i < k; i++) z[i] = normal();
    let pnl = drift;
    for (let i = 0; i < k; i++) {
      const row = lower[i]!;
      let shock = 0;
      for (let j = 0; j <= i; j++) shock += row[j]! * z[j]!;
      pnl += p.positions[i]! * root * shock;
    }
    losses.push(-pnl);
  }
  const tail = empiricalTail(losses, p.confidence, 'simulations');
  return result(p, 'monte-carlo', simulations, tail.valueAtRisk, tail.expectedShortfall);
}

/**
 * Closed-form ("delta-normal") VaR and ES of the same book: P&L ~ N(μ_P·h, σ_P²·h) with
 * μ_P = Σ posᵢ·μᵢ and σ_P² = posᵀ·Σ·pos, so VaR = z·σ_P·√h − μ_P·h and
 * ES = σ_P·√h·φ(z)/(1 − c) − μ_P·h. What {@link monteCarloVar} converges to. Needs only a
 * positive semi-definite covariance.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on malformed input; E_ANALYTICS_NOT_POSITIVE_DEFINITE
 *   when posᵀ·Σ·pos comes out negative (the matrix is not a covariance).
 */
export function deltaNormalVar(opts: PortfolioVarOptions): PortfolioVarEstimate {
  const p = prepare(opts);
  const k = p.positions.length;
  let variance = 0;
  let drift = 0;
  let scale = 0;
  for (let i = 0; i < k; i++) {
    drift += p.positions[i]! * p.means[i]! * p.periods;
    for (let j = 0; j < k; j++) {
      const term = p.positions[i]! * p.covariance[i]![j]! * p.positions[j]!;
      variance += term;
      scale += Math.abs(term);
    }
  }
  if (variance < -1e-12 * scale) {
    throw new AnalyticsError(AnalyticsErrorCodes.NOT_POSITIVE_DEFINITE, 'model', `gives a negative portfolio variance ${variance}`);
  }
  const spread = Math.sqrt(Math.max(variance, 0) * p.periods);
  const z = normalQuantile(p.confidence);
  const varUsd = z * spread - drift;
  const esUsd = Math.max((spread * normalDensity(z)) / (1 - p.confidence) - drift, varUsd);
  if (!Number.isFinite(esUsd)) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'positionsUsd', 'positions × covariance overflow float64');
  }
  return result(p, 'delta-normal', null, varUsd, esUsd);
}
