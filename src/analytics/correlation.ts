import { mean, sampleCorrelation, sampleCovariance, sampleVariance } from 'simple-statistics';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import {
  isConstant,
  ratioOrNull,
  requireInteger,
  requireOpenUnit,
  requireSameLength,
  requireSeries,
} from './analytics-input.js';
import { RISKMETRICS_LAMBDA } from './volatility.js';

/**
 * Correlation is undefined when either series is constant: those functions return `null` there,
 * never NaN. Results are clamped to [−1, 1] (Cauchy–Schwarz holds exactly; rounding may not).
 */
function clampCorrelation(r: number | null): number | null {
  return r === null || !Number.isFinite(r) ? null : Math.max(-1, Math.min(1, r));
}

/**
 * Pearson sample correlation of two equally long series (simple-statistics `sampleCorrelation`).
 * `null` when either series is constant.
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite values or unequal lengths;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 points.
 */
export function correlation(x: readonly number[], y: readonly number[]): number | null {
  requireSeries('x', x, 2);
  requireSeries('y', y, 2);
  requireSameLength('x', x, 'y', y);
  if (isConstant(x) || isConstant(y)) return null;
  return clampCorrelation(sampleCorrelation(x, y));
}

/**
 * Rolling Pearson correlation over a trailing window (seed 002's default: 30). Aligned with the
 * input: element t covers points [t − window + 1, t]; the first window − 1 elements are `null`, as
 * is any window where either series is constant. Exact two-pass moments per window, O(n·window).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite values, unequal lengths or window < 2;
 *   E_ANALYTICS_TOO_FEW_POINTS when the series are shorter than one window.
 */
export function rollingCorrelation(x: readonly number[], y: readonly number[], window = 30): (number | null)[] {
  requireInteger('window', window, 2);
  requireSeries('x', x, window);
  requireSeries('y', y, window);
  requireSameLength('x', x, 'y', y);
  const out: (number | null)[] = [];
  for (let t = 0; t < x.length; t++) {
    if (t < window - 1) {
      out.push(null);
      continue;
    }
    const from = t - window + 1;
    let sx = 0;
    let sy = 0;
    for (let i = from; i <= t; i++) {
      sx += x[i]!;
      sy += y[i]!;
    }
    const mx = sx / window;
    const my = sy / window;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = from; i <= t; i++) {
      const dx = x[i]! - mx;
      const dy = y[i]! - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    const flat = isConstant(x, from, t + 1) || isConstant(y, from, t + 1);
    out.push(flat ? null : clampCorrelation(ratioOrNull(sxy, Math.sqrt(sxx) * Math.sqrt(syy))));
  }
  return out;
}

/**
 * EWMA (RiskMetrics) correlation, zero-mean like {@link ewmaVarianceSeries}: covariance and
 * variances follow cₜ = λ·cₜ₋₁ + (1 − λ)·xₜyₜ seeded with x₀y₀, x₀², y₀²; the result is
 * c / √(vx·vy) after the last point. `null` when either EWMA variance is 0 (an all-zero series).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite values, unequal lengths or λ outside
 *   (0, 1); E_ANALYTICS_TOO_FEW_POINTS with no points.
 */
export function ewmaCorrelation(x: readonly number[], y: readonly number[], lambda = RISKMETRICS_LAMBDA): number | null {
  requireOpenUnit('lambda', lambda);
  requireSeries('x', x, 1);
  requireSeries('y', y, 1);
  requireSameLength('x', x, 'y', y);
  const w = 1 - lambda;
  let vx = x[0]! * x[0]!;
  let vy = y[0]! * y[0]!;
  let cxy = x[0]! * y[0]!;
  for (let t = 1; t < x.length; t++) {
    const a = x[t]!;
    const b = y[t]!;
    vx = lambda * vx + w * a * a;
    vy = lambda * vy + w * b * b;
    cxy = lambda * cxy + w * a * b;
  }
  return clampCorrelation(ratioOrNull(cxy, Math.sqrt(vx) * Math.sqrt(vy)));
}

/** The co-moment matrix Σ(xᵢ − x̄ᵢ)(xⱼ − x̄ⱼ) of k series, and which of them are constant. */
function coMoments(series: readonly (readonly number[])[]): { n: number; flat: boolean[]; m: number[][] } {
  if (!Array.isArray(series) || series.length < 1) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'series', 'must be a non-empty array of series');
  }
  series.forEach((s, i) => requireSeries(`series[${i}]`, s, 2));
  const n = series[0]!.length;
  series.forEach((s, i) => requireSameLength('series[0]', series[0]!, `series[${i}]`, s));
  const k = series.length;
  const means = series.map((s) => mean(s));
  const flat = series.map((s) => isConstant(s));
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  // One tight loop per pair: k(k + 1)/2 passes, each a single multiply-add per point.
  for (let i = 0; i < k; i++) {
    const xi = series[i]!;
    const mi = means[i]!;
    for (let j = i; j < k; j++) {
      const xj = series[j]!;
      const mj = means[j]!;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (xi[t]! - mi) * (xj[t]! - mj);
      m[i]![j] = sum;
      m[j]![i] = sum;
    }
  }
  return { n, flat, m };
}

/**
 * Sample covariance matrix (n − 1) of k equally long series, e.g. per-period returns of each
 * asset for {@link monteCarloVar}. Rows and columns of a constant series are exactly 0.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite values, no series or unequal lengths;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 points.
 */
export function covarianceMatrix(series: readonly (readonly number[])[]): number[][] {
  const { n, flat, m } = coMoments(series);
  return m.map((row, i) => row.map((v, j) => (flat[i] || flat[j] ? 0 : v / (n - 1))));
}

/**
 * Pearson correlation matrix of k equally long series (two-pass moments). Diagonal 1;
 * `null` in every entry that involves a constant series (its correlation is undefined).
 *
 * @throws AnalyticsError as {@link covarianceMatrix}.
 */
export function correlationMatrix(series: readonly (readonly number[])[]): (number | null)[][] {
  const { flat, m } = coMoments(series);
  return m.map((row, i) =>
    row.map((v, j) => {
      if (flat[i] || flat[j]) return null;
      if (i === j) return 1;
      return clampCorrelation(ratioOrNull(v, Math.sqrt(m[i]![i]!) * Math.sqrt(m[j]![j]!)));
    }),
  );
}

/**
 * Beta of an asset against a benchmark (SOL or BTC in the app): cov(asset, benchmark) /
 * var(benchmark), from simple-statistics `sampleCovariance` and `sampleVariance` on the same
 * per-period returns. `null` when the benchmark is constant; 0 when the asset is.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on non-finite values or unequal lengths;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 points.
 */
export function beta(asset: readonly number[], benchmark: readonly number[]): number | null {
  requireSeries('asset', asset, 2);
  requireSeries('benchmark', benchmark, 2);
  requireSameLength('asset', asset, 'benchmark', benchmark);
  if (isConstant(benchmark)) return null;
  if (isConstant(asset)) return 0;
  return ratioOrNull(sampleCovariance(asset, benchmark), sampleVariance(benchmark));
}
