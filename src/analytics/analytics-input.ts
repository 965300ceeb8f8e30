import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';

/**
 * Input guards shared by the analytics functions. Every number that enters analytics passes here,
 * so a NaN or an Infinity is refused at the boundary instead of surfacing as a NaN result.
 *
 * Magnitudes are capped at {@link MAX_MAGNITUDE}: returns, prices, PnLs and covariances of a real
 * book are many orders of magnitude smaller, and the cap keeps squares and cross products (≤ 1e200)
 * and their sums finite, which is what lets every function promise "no NaN out".
 */
export const MAX_MAGNITUDE = 1e100;

const { INPUT, TOO_FEW_POINTS } = AnalyticsErrorCodes;

/** A number inside the magnitude cap, or throws E_ANALYTICS_INPUT naming `field`. */
export function requireFiniteNumber(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) {
    throw new AnalyticsError(INPUT, field, `must be a finite number with |x| ≤ 1e100, got ${String(value)}`);
  }
  return value;
}

/** Finite and > 0 (and ≤ 1e100), or throws E_ANALYTICS_INPUT. */
export function requirePositiveNumber(field: string, value: number): number {
  requireFiniteNumber(field, value);
  if (value <= 0) throw new AnalyticsError(INPUT, field, `must be > 0, got ${String(value)}`);
  return value;
}

/** Finite and ≥ 0, or throws E_ANALYTICS_INPUT. */
export function requireNonNegativeNumber(field: string, value: number): number {
  requireFiniteNumber(field, value);
  if (value < 0) throw new AnalyticsError(INPUT, field, `must be ≥ 0, got ${String(value)}`);
  return value;
}

/** An integer in [min, max], or throws E_ANALYTICS_INPUT. */
export function requireInteger(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AnalyticsError(INPUT, field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

/** Strictly inside (0, 1): confidence levels, EWMA decay λ. Throws E_ANALYTICS_INPUT otherwise. */
export function requireOpenUnit(field: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new AnalyticsError(INPUT, field, `must be strictly between 0 and 1, got ${String(value)}`);
  }
  return value;
}

/**
 * A series of finite numbers with at least `minLength` points.
 * @throws AnalyticsError E_ANALYTICS_INPUT on a non-array or a non-finite / oversized element,
 *   E_ANALYTICS_TOO_FEW_POINTS when shorter than `minLength`.
 */
export function requireSeries(field: string, values: readonly number[], minLength: number): readonly number[] {
  if (!Array.isArray(values)) throw new AnalyticsError(INPUT, field, 'must be an array of numbers');
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) {
      throw new AnalyticsError(INPUT, `${field}[${i}]`, `must be a finite number with |x| ≤ 1e100, got ${String(v)}`);
    }
  }
  if (values.length < minLength) {
    throw new AnalyticsError(TOO_FEW_POINTS, field, `needs at least ${minLength} points, got ${values.length}`, {
      minLength,
      length: values.length,
    });
  }
  return values;
}

/** Two series of the same length, or throws E_ANALYTICS_INPUT. */
export function requireSameLength(fieldA: string, a: readonly unknown[], fieldB: string, b: readonly unknown[]): void {
  if (a.length !== b.length) {
    throw new AnalyticsError(INPUT, `${fieldA}/${fieldB}`, `must have the same length, got ${a.length} and ${b.length}`);
  }
}

/**
 * True when every value in `values[from, to)` is the same. Dispersion of such a window is zero by
 * definition, whatever rounding a computed variance shows (the mean of three 0.1s is not 0.1), so
 * ratios over it are reported as undefined (`null`) rather than as a huge number.
 */
export function isConstant(values: readonly number[], from = 0, to = values.length): boolean {
  if (to - from < 1) return true;
  const first = values[from]!;
  for (let i = from + 1; i < to; i++) if (values[i] !== first) return false;
  return true;
}

/** `numerator / denominator` when the denominator is > 0 and the quotient finite, else `null`. */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  if (!(denominator > 0)) return null;
  const q = numerator / denominator;
  return Number.isFinite(q) ? q : null;
}
