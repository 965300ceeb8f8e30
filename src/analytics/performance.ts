import { mean, sampleStandardDeviation } from 'simple-statistics';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { isConstant, ratioOrNull, requireFiniteNumber, requirePositiveNumber, requireSeries } from './analytics-input.js';

/** Return periods per year of a market that trades around the clock (crypto perps). */
export const PERIODS_PER_YEAR = {
  minute: 525_600,
  hour: 8_760,
  day: 365,
  week: 52,
} as const;

export interface RatioOptions {
  /** Periods per year of the return series (see {@link PERIODS_PER_YEAR}); required, no default. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a fraction (0.04 = 4%); default 0. Per period: riskFreeRate / periodsPerYear. */
  readonly riskFreeRate?: number;
}

interface Resolved {
  readonly periodsPerYear: number;
  readonly riskFreeRate: number;
  /** Risk-free return per period (simple de-annualisation). */
  readonly perPeriod: number;
}

function resolve(opts: RatioOptions): Resolved {
  const periodsPerYear = requirePositiveNumber('periodsPerYear', opts.periodsPerYear);
  const riskFreeRate = requireFiniteNumber('riskFreeRate', opts.riskFreeRate ?? 0);
  return { periodsPerYear, riskFreeRate, perPeriod: riskFreeRate / periodsPerYear };
}

/**
 * Annualised Sharpe ratio of per-period returns (fractions):
 * (mean(r) − rf/P) / sampleStd(r) × √P, using simple-statistics `mean` and
 * `sampleStandardDeviation` (n − 1). E.g. [0.01, 0.02, −0.01, 0.03, 0] has mean 0.01 and sample
 * σ 0.0158114, so its per-period Sharpe is 0.632456 (× √P to annualise).
 *
 * `null` when the series is constant (σ = 0: the ratio is undefined) or the ratio overflows.
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns or options;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 returns.
 */
export function sharpeRatio(returns: readonly number[], opts: RatioOptions): number | null {
  const o = resolve(opts);
  requireSeries('returns', returns, 2);
  if (isConstant(returns)) return null;
  const s = ratioOrNull(mean(returns) - o.perPeriod, sampleStandardDeviation(returns));
  return s === null ? null : finiteOrNull(s * Math.sqrt(o.periodsPerYear));
}

/**
 * Downside deviation below a per-period target τ: √(Σ min(0, rₜ − τ)² / n), over all n
 * returns (Sortino & Price), not only the losing ones.
 */
export function downsideDeviation(returns: readonly number[], target = 0): number {
  requireSeries('returns', returns, 1);
  requireFiniteNumber('target', target);
  let sum = 0;
  for (const r of returns) {
    const d = Math.min(0, r - target);
    sum += d * d;
  }
  return Math.sqrt(sum / returns.length);
}

/**
 * Annualised Sortino ratio: (mean(r) − τ) / downsideDeviation(r, τ) × √P with τ = rf/P.
 *
 * `null` when no return falls below τ (no downside: the ratio is undefined) or it overflows.
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite returns or options;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 returns.
 */
export function sortinoRatio(returns: readonly number[], opts: RatioOptions): number | null {
  const o = resolve(opts);
  requireSeries('returns', returns, 2);
  const s = ratioOrNull(mean(returns) - o.perPeriod, downsideDeviation(returns, o.perPeriod));
  return s === null ? null : finiteOrNull(s * Math.sqrt(o.periodsPerYear));
}

export interface CompoundedPath {
  /** ∏(1 + r) − 1; `null` if it overflows float64. */
  readonly totalReturn: number | null;
  /** (∏(1 + r))^(P/n) − 1, the compound annual growth rate; `null` if it overflows. */
  readonly annualisedReturn: number | null;
  /** Max drawdown of the compounded curve starting at 1 (≤ 0; the start counts as a peak). */
  readonly maxDrawdown: number;
}

/**
 * Compounds simple returns into a curve starting at 1: total and annualised return and its max
 * drawdown. Works in log space (Σ log1p r), so a long or steep series cannot overflow the curve;
 * a return of −1 wipes it out (drawdown −1, total and annualised return −1).
 * @throws AnalyticsError E_ANALYTICS_INPUT on a return < −1 (equity below zero) or non-finite;
 *   E_ANALYTICS_TOO_FEW_POINTS with no returns.
 */
export function compoundReturns(returns: readonly number[], periodsPerYear: number): CompoundedPath {
  requirePositiveNumber('periodsPerYear', periodsPerYear);
  requireSeries('returns', returns, 1);
  let logEquity = 0;
  let logPeak = 0;
  let worstGap = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (r < -1) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `returns[${i}]`, `a simple return must be ≥ −1, got ${r}`);
    logEquity += Math.log1p(r);
    if (logEquity > logPeak) logPeak = logEquity;
    else if (logEquity - logPeak < worstGap) worstGap = logEquity - logPeak;
  }
  return {
    totalReturn: finiteOrNull(Math.expm1(logEquity)),
    annualisedReturn: finiteOrNull(Math.expm1((logEquity * periodsPerYear) / returns.length)),
    maxDrawdown: Math.expm1(worstGap),
  };
}

/**
 * Calmar ratio: (annualised return − rf) / |max drawdown| of the compounded simple returns
 * (see {@link compoundReturns}; the whole series is the window, not a fixed 36 months).
 *
 * `null` when there is no drawdown (the ratio is undefined) or the annualised return overflows
 * (a short, steep series extrapolated to a year).
 * @throws AnalyticsError as {@link compoundReturns}, and E_ANALYTICS_INPUT on bad options.
 */
export function calmarRatio(returns: readonly number[], opts: RatioOptions): number | null {
  const o = resolve(opts);
  return calmarFromPath(compoundReturns(returns, o.periodsPerYear), o.riskFreeRate);
}

function calmarFromPath(path: CompoundedPath, riskFreeRate: number): number | null {
  return path.annualisedReturn === null ? null : ratioOrNull(path.annualisedReturn - riskFreeRate, -path.maxDrawdown);
}

/** Return-based part of seed 002's `PerformanceMetrics`; ratios `null` where undefined (see each). */
export interface PerformanceSummary {
  /** `null` if it overflows float64. */
  readonly totalReturn: number | null;
  readonly annualisedReturn: number | null;
  /** Annualised sample standard deviation of the returns. */
  readonly volatility: number;
  readonly sharpeRatio: number | null;
  readonly sortinoRatio: number | null;
  readonly calmarRatio: number | null;
  /** ≤ 0. */
  readonly maxDrawdown: number;
}

/**
 * Total and annualised return, annualised volatility, Sharpe, Sortino, Calmar and max drawdown
 * of a series of per-period simple returns.
 * @throws AnalyticsError as {@link sharpeRatio} and {@link compoundReturns}.
 */
export function performanceSummary(returns: readonly number[], opts: RatioOptions): PerformanceSummary {
  const o = resolve(opts);
  requireSeries('returns', returns, 2);
  const path = compoundReturns(returns, o.periodsPerYear);
  return {
    totalReturn: path.totalReturn,
    annualisedReturn: path.annualisedReturn,
    volatility: isConstant(returns) ? 0 : sampleStandardDeviation(returns) * Math.sqrt(o.periodsPerYear),
    sharpeRatio: sharpeRatio(returns, opts),
    sortinoRatio: sortinoRatio(returns, opts),
    calmarRatio: calmarFromPath(path, o.riskFreeRate),
    maxDrawdown: path.maxDrawdown,
  };
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
