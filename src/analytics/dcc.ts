import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireInteger, requireNonNegativeNumber, requireSameLength, requireSeries } from './analytics-input.js';
import { fitGarch, GARCH_MIN_POINTS, type GarchFit } from './garch-fit.js';
import { garchConditionalVariance } from './garch.js';
import { minimizeNelderMead } from './nelder-mead.js';

/** DCC(1,1) parameters: Qₜ = (1 − a − b)·Q̄ + a·zₜ₋₁zₜ₋₁ᵀ + b·Qₜ₋₁, a, b ≥ 0, a + b < 1. */
export interface DccParams {
  readonly a: number;
  readonly b: number;
}

export interface DccFilter {
  /** ρₜ of each observation (element 0 is Q̄'s correlation), same length as the input. */
  readonly correlations: number[];
  /** The correlation of Q̄: the long-run level the recursion reverts to. */
  readonly unconditionalCorrelation: number;
  /** One step ahead: ρ of the next, not yet observed, period. */
  readonly nextCorrelation: number;
  /**
   * Σₜ [ln(1 − ρₜ²) + (z₁² + z₂² − 2ρₜz₁z₂)/(1 − ρₜ²)]: −2 × the correlation part of the
   * Gaussian log-likelihood up to a constant (what the fit minimises).
   */
  readonly objective: number;
}

/**
 * Validates DCC(1,1) parameters (a, b ≥ 0, a + b < 1).
 * @throws AnalyticsError E_ANALYTICS_INPUT otherwise.
 */
export function requireDccParams(p: DccParams): DccParams {
  requireNonNegativeNumber('a', p.a);
  requireNonNegativeNumber('b', p.b);
  if (!(p.a + p.b < 1)) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'a+b', `must be < 1 (mean-reverting), got ${p.a + p.b}`);
  return p;
}

/** Two equal-length finite series of at least 2 points and valid parameters, or a named error. */
function requireDccInput(z1: readonly number[], z2: readonly number[], params: DccParams): void {
  requireSeries('z1', z1, 2);
  requireSeries('z2', z2, 2);
  requireSameLength('z1', z1, 'z2', z2);
  requireDccParams(params);
}

/** ρ as |ρ| ≤ 1 − 1e-12: the likelihood's ln(1 − ρ²) stays finite on a perfectly correlated window. */
const RHO_CAP = 1 - 1e-12;

/**
 * The DCC(1,1) filter of Engle (2002) on two standardised residual series z₁, z₂ (each ≈ unit
 * variance, e.g. returns over their GARCH σₜ): Q̄ = (1/T)·Σ zₜzₜᵀ, Q₀ = Q̄,
 * Qₜ = (1 − a − b)·Q̄ + a·zₜ₋₁zₜ₋₁ᵀ + b·Qₜ₋₁, ρₜ = Qₜ[1,2] / √(Qₜ[1,1]·Qₜ[2,2]). Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on bad parameters, non-finite or unequal series;
 *   E_ANALYTICS_TOO_FEW_POINTS with fewer than 2 points; E_ANALYTICS_DEGENERATE when a series is
 *   all zeros (no Q̄).
 */
export function dccFilter(z1: readonly number[], z2: readonly number[], params: DccParams): DccFilter {
  requireDccInput(z1, z2, params);
  return runDcc(z1, z2, params.a, params.b, 'full');
}

/** The filter's end state: what a reading with known parameters needs. */
export interface DccState {
  readonly unconditionalCorrelation: number;
  readonly nextCorrelation: number;
}

/**
 * {@link dccFilter}'s `unconditionalCorrelation` and `nextCorrelation`, bit for bit, without the
 * per-step correlations and likelihood (no logarithm per step): the hourly reading of a fitted pair.
 * @throws AnalyticsError as {@link dccFilter}.
 */
export function dccFilterState(z1: readonly number[], z2: readonly number[], params: DccParams): DccState {
  requireDccInput(z1, z2, params);
  return runDcc(z1, z2, params.a, params.b, 'state');
}

/** What a pass computes: everything, the likelihood alone (a fit's search), the end state alone. */
type DccPass = 'full' | 'objective' | 'state';

function runDcc(z1: readonly number[], z2: readonly number[], a: number, b: number, pass: 'full'): DccFilter;
function runDcc(z1: readonly number[], z2: readonly number[], a: number, b: number, pass: DccPass): DccState & { readonly objective: number };
function runDcc(z1: readonly number[], z2: readonly number[], a: number, b: number, pass: DccPass): DccFilter | (DccState & { readonly objective: number }) {
  const n = z1.length;
  let s11 = 0;
  let s22 = 0;
  let s12 = 0;
  for (let t = 0; t < n; t++) {
    s11 += z1[t]! * z1[t]!;
    s22 += z2[t]! * z2[t]!;
    s12 += z1[t]! * z2[t]!;
  }
  const [m11, m22] = [s11 / n, s22 / n];
  const [k1, k2] = [1 / Math.sqrt(m11), 1 / Math.sqrt(m22)];
  if (!(m11 > 0 && m22 > 0 && Number.isFinite(k1) && Number.isFinite(k2))) {
    throw new AnalyticsError(AnalyticsErrorCodes.DEGENERATE, 'z', 'a residual series is all zeros: no correlation to model');
  }
  // ρₜ is unchanged when a series is rescaled (Qₜ scales by the same diagonal), so the recursion
  // runs on unit-mean-square copies: tiny or huge residuals cannot underflow Q₁₁·Q₂₂ to 0.
  const b12 = (s12 / n) * k1 * k2;
  const c = 1 - a - b;
  let q11 = 1;
  let q22 = 1;
  let q12 = b12;
  const correlations = pass === 'full' ? new Array<number>(n) : null;
  const withRho = pass !== 'state';
  let objective = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) {
      const x = z1[t - 1]! * k1;
      const y = z2[t - 1]! * k2;
      q11 = c + a * x * x + b * q11;
      q22 = c + a * y * y + b * q22;
      q12 = c * b12 + a * x * y + b * q12;
    }
    if (!withRho) continue;
    const rho = clampRho(q12 / Math.sqrt(q11 * q22));
    if (correlations !== null) correlations[t] = rho;
    const x = z1[t]!;
    const y = z2[t]!;
    const d = 1 - rho * rho;
    objective += Math.log(d) + (x * x + y * y - 2 * rho * x * y) / d;
  }
  const x = z1[n - 1]! * k1;
  const y = z2[n - 1]! * k2;
  const n11 = c + a * x * x + b * q11;
  const n22 = c + a * y * y + b * q22;
  const n12 = c * b12 + a * x * y + b * q12;
  const unconditionalCorrelation = clampRho(b12);
  const nextCorrelation = clampRho(n12 / Math.sqrt(n11 * n22));
  return correlations === null ? { unconditionalCorrelation, nextCorrelation, objective } : { correlations, unconditionalCorrelation, nextCorrelation, objective };
}

function clampRho(r: number): number {
  return Math.max(-RHO_CAP, Math.min(RHO_CAP, r));
}

export interface DccFit extends DccParams, DccFilter {
  /** a + b: how slowly a shock to the correlation fades (per period). */
  readonly persistence: number;
  readonly observations: number;
  readonly converged: boolean;
}

/** a + b stays this far below 1 (an integrated DCC has no Q̄ to revert to). */
const MAX_PERSISTENCE = 1 - 1e-6;
const STARTS: readonly (readonly [number, number])[] = [
  [0.02, 0.95],
  [0.05, 0.9],
  [0.01, 0.98],
  [0.1, 0.6],
];

const logistic = (v: number): number => 1 / (1 + Math.exp(-v));
const logit = (p: number): number => Math.log(p / (1 - p));
/** The starts in the optimiser's coordinates, made once: the same arrays for every fit (see nelder-mead.ts). */
const STARTS_PACKED: readonly (readonly number[])[] = STARTS.map(([a, b]) => [logit((a + b) / MAX_PERSISTENCE), logit(a / (a + b))]);

function unpack(theta: readonly number[]): [number, number] {
  const s = MAX_PERSISTENCE * logistic(theta[0]!);
  const a = s * logistic(theta[1]!);
  return [a, s - a];
}

/**
 * Fits DCC(1,1) by maximising the correlation part of the Gaussian likelihood (Engle's second
 * step) over (a, b), reparametrised so that a, b > 0 and a + b < 1 for every point the optimiser
 * tries: a + b = logistic(θ₀), a = (a + b)·logistic(θ₁). Nelder–Mead from the best of a few
 * standard starts, restarted once from its answer. Pure.
 * @throws AnalyticsError as {@link dccFilter}; E_ANALYTICS_INPUT on a bad `maxIterations`.
 */
export function fitDcc(z1: readonly number[], z2: readonly number[], opts: { maxIterations?: number } = {}): DccFit {
  requireSeries('z1', z1, 2);
  requireSeries('z2', z2, 2);
  requireSameLength('z1', z1, 'z2', z2);
  const maxIterations = requireInteger('maxIterations', opts.maxIterations ?? 600, 1);
  const objective = (theta: readonly number[]): number => {
    const [a, b] = unpack(theta);
    return runDcc(z1, z2, a, b, 'objective').objective;
  };
  let start = STARTS_PACKED[0]!;
  let best = objective(start);
  for (let k = 1; k < STARTS_PACKED.length; k++) {
    const s = STARTS_PACKED[k]!;
    const v = objective(s);
    if (v < best) [start, best] = [s, v];
  }
  const first = minimizeNelderMead(objective, start, { maxIterations, xTolerance: 1e-6, fTolerance: 1e-10 });
  const second = minimizeNelderMead(objective, first.x, { maxIterations, initialStep: 0.05, xTolerance: 1e-6, fTolerance: 1e-10 });
  const pick = second.value <= first.value ? second : first;
  const [a, b] = unpack(pick.x);
  return { a, b, persistence: a + b, ...runDcc(z1, z2, a, b, 'full'), observations: z1.length, converged: second.converged };
}

/** A GARCH(1,1) fit of one series with its standardised residuals zₜ = (rₜ − μ)/σₜ. */
export interface StandardisedSeries {
  readonly garch: GarchFit;
  readonly residuals: number[];
  /** σ of the next period, per period (√ of the GARCH one-step forecast). */
  readonly nextVolatility: number;
  /** σ over the window (RMS of the residuals), per period: the level the regime compares to. */
  readonly windowVolatility: number;
}

/**
 * Fits GARCH(1,1) to `returns` and divides each residual by its conditional σₜ (DCC's first step).
 * @throws AnalyticsError as {@link fitGarch}.
 */
export function garchStandardise(returns: readonly number[]): StandardisedSeries {
  const garch = fitGarch(returns);
  const variances = garchConditionalVariance(returns, garch, { mean: garch.mean });
  let ss = 0;
  const residuals = returns.map((r, t) => {
    ss += (r - garch.mean) * (r - garch.mean);
    return (r - garch.mean) / Math.sqrt(variances[t]!);
  });
  return { garch, residuals, nextVolatility: Math.sqrt(garch.nextVariance), windowVolatility: Math.sqrt(ss / returns.length) };
}

/** Two-step DCC of a pair's returns: each series' GARCH, then the correlation dynamics. */
export interface DynamicCorrelation {
  readonly fit: DccFit;
  readonly x: StandardisedSeries;
  readonly y: StandardisedSeries;
}

/** Points the two-step DCC needs: as many as GARCH does. */
export const DCC_MIN_POINTS = GARCH_MIN_POINTS;

/**
 * Engle's two-step DCC(1,1) on two aligned return series: GARCH(1,1) per series, then
 * {@link fitDcc} on the standardised residuals. Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on unequal or non-finite series;
 *   E_ANALYTICS_TOO_FEW_POINTS below {@link DCC_MIN_POINTS}; E_ANALYTICS_DEGENERATE on a constant series.
 */
export function dynamicCorrelation(x: readonly number[], y: readonly number[]): DynamicCorrelation {
  requireSeries('x', x, DCC_MIN_POINTS);
  requireSeries('y', y, DCC_MIN_POINTS);
  requireSameLength('x', x, 'y', y);
  const sx = garchStandardise(x);
  const sy = garchStandardise(y);
  return { fit: fitDcc(sx.residuals, sy.residuals), x: sx, y: sy };
}
