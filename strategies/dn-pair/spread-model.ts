/**
 * Log-price spread of a pair with a rolling hedge ratio: OLS of ln(A) on ln(B) over a window,
 * spread = ln(A) − β·ln(B), z = (spread − mean) / std. Pure.
 */
export interface SpreadFit {
  readonly alpha: number;
  readonly beta: number;
  /** Mean and standard deviation of the residual spread over the window. */
  readonly mean: number;
  readonly std: number;
  /** Share of ln(A)'s variance explained by ln(B), 0..1. */
  readonly r2: number;
  readonly n: number;
}

/** Fits the window; null when it is too short or degenerate (no variance). */
export function fitSpread(logA: readonly number[], logB: readonly number[]): SpreadFit | null {
  const n = Math.min(logA.length, logB.length);
  if (n < 10) return null;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += logA[i]!;
    sb += logB[i]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let varB = 0;
  let varA = 0;
  for (let i = 0; i < n; i++) {
    const da = logA[i]! - ma;
    const db = logB[i]! - mb;
    cov += da * db;
    varB += db * db;
    varA += da * da;
  }
  if (varB <= 1e-18 || varA <= 1e-18) return null;
  const beta = cov / varB;
  const alpha = ma - beta * mb;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const e = logA[i]! - alpha - beta * logB[i]!;
    s += e;
    s2 += e * e;
  }
  const mean = s / n;
  const variance = Math.max(0, s2 / n - mean * mean);
  const std = Math.sqrt(variance);
  if (!(std > 1e-12)) return null;
  const r2 = Math.min(1, Math.max(0, (cov * cov) / (varA * varB)));
  return { alpha, beta, mean, std, r2, n };
}

/** z-score of the current prices against a fit. */
export function spreadZ(fit: SpreadFit, priceA: number, priceB: number): number {
  return spreadZOfLogs(fit, Math.log(priceA), Math.log(priceB));
}

/** {@link spreadZ} of prices whose natural logs are given (the same arithmetic, the same bits). */
export function spreadZOfLogs(fit: SpreadFit, logA: number, logB: number): number {
  const e = logA - fit.alpha - fit.beta * logB;
  return (e - fit.mean) / fit.std;
}
