import { InputError } from '../core/errors.js';
import { requireFinite, requirePositive } from '../core/validation.js';

/**
 * Seed 001's volatility-adjusted sizing as ruled (ruling 4): `clamp(1 / volatilityFactor, 0.5, 1.5)`,
 * where `volatilityFactor` is realised volatility over its own long-run median (1.0 = normal) —
 * the quantity ExitBrain uses too. Calm markets size up to 1.5×, wild ones down to 0.5×.
 */
export const VOLATILITY_ADJUSTMENT_MIN = 0.5;
export const VOLATILITY_ADJUSTMENT_MAX = 1.5;

/**
 * The size multiplier for a volatility factor. `null` (not enough history to know) gives 1.0:
 * no adjustment until there is something to adjust on.
 * @throws InputError (E_INPUT_INVALID) on a factor that is NaN, infinite, zero or negative.
 */
export function volatilityAdjustment(volatilityFactor: number | null): number {
  if (volatilityFactor === null) return 1;
  const f = requirePositive('volatilityFactor', volatilityFactor);
  return Math.min(VOLATILITY_ADJUSTMENT_MAX, Math.max(VOLATILITY_ADJUSTMENT_MIN, 1 / f));
}

/**
 * Log returns of consecutive prices (e.g. 1-minute closes), oldest first.
 * @throws InputError (E_INPUT_INVALID) on a price that is not finite and > 0.
 */
export function logReturns(prices: readonly number[]): number[] {
  // The field name is built only for a bad price: this runs over thousands of closes a call.
  for (let k = 0; k < prices.length; k++) {
    const p = prices[k] as number;
    if (!(Number.isFinite(p) && p > 0)) requirePositive(`prices[${k}]`, p);
  }
  const out: number[] = [];
  for (let k = 1; k < prices.length; k++) out.push(Math.log((prices[k] as number) / (prices[k - 1] as number)));
  return out;
}

/**
 * Realised volatility of a window of returns: root mean square, per return interval (not
 * annualised). The mean is taken as zero, as usual for high-frequency returns, where the sample
 * mean is noise. `null` when there are fewer than two returns.
 * @throws InputError (E_INPUT_INVALID) on a non-finite return.
 */
export function realisedVolatility(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  let sum = 0;
  for (let k = 0; k < returns.length; k++) {
    const r = returns[k] as number;
    if (!Number.isFinite(r)) requireFinite(`returns[${k}]`, r);
    sum += r * r;
  }
  const vol = Math.sqrt(sum / returns.length);
  return Number.isFinite(vol) ? vol : null;
}

/**
 * `realisedVolatility(returns) / longRunMedianVol`, for returns and a median measured on the same
 * interval and window length. `null` when degenerate: fewer than two returns, no median yet
 * (`null`), a zero median, or zero realised volatility (a flat feed is more likely stale than
 * calm, so it earns no size-up).
 * @throws InputError (E_INPUT_INVALID) on a non-finite return or a negative or non-finite median.
 */
export function volatilityFactor(returns: readonly number[], longRunMedianVol: number | null): number | null {
  if (longRunMedianVol !== null && !(Number.isFinite(longRunMedianVol) && longRunMedianVol >= 0)) {
    throw new InputError('longRunMedianVol', `must be a finite number ≥ 0 or null, got ${String(longRunMedianVol)}`);
  }
  const vol = realisedVolatility(returns);
  if (vol === null || vol === 0 || longRunMedianVol === null || longRunMedianVol === 0) return null;
  const f = vol / longRunMedianVol;
  return Number.isFinite(f) ? f : null;
}

export interface RollingVolatilityOptions {
  /** Returns per realised-vol window: 60 one-minute returns = one hour. */
  readonly window?: number;
  /** Past windows needed before the median counts as long-run: 24 hourly windows = one day. */
  readonly minHistoryWindows?: number;
}

export interface RollingVolatility {
  /** Realised vol of the latest window. */
  readonly current: number;
  /** Median realised vol of the earlier whole windows. */
  readonly median: number;
  readonly factor: number;
  readonly historyWindows: number;
}

/**
 * The volatility factor from a series of 1-minute closes, oldest first: log returns cut into
 * non-overlapping windows ending at the latest return; the latest window's realised vol over the
 * median of the earlier windows' (a leftover partial window at the start is dropped). `null`
 * until there are `minHistoryWindows` earlier windows, or when degenerate (see {@link volatilityFactor}).
 * @throws InputError (E_INPUT_INVALID) on a bad price or option.
 */
export function rollingVolatilityFactor(closes: readonly number[], options: RollingVolatilityOptions = {}): RollingVolatility | null {
  const window = options.window ?? 60;
  const minHistory = options.minHistoryWindows ?? 24;
  if (!(Number.isInteger(window) && window >= 2)) throw new InputError('window', `must be an integer ≥ 2, got ${window}`);
  if (!(Number.isInteger(minHistory) && minHistory >= 1)) {
    throw new InputError('minHistoryWindows', `must be an integer ≥ 1, got ${minHistory}`);
  }
  const returns = logReturns(closes);
  const windows = Math.floor(returns.length / window);
  if (windows < minHistory + 1) return null;
  const vols: number[] = [];
  // Latest window first; window ≥ 2 returns, so realisedVolatility is never null here.
  for (let k = 0; k < windows; k++) {
    const end = returns.length - k * window;
    vols.push(realisedVolatility(returns.slice(end - window, end)) as number);
  }
  const [current, ...history] = vols as [number, ...number[]];
  const median = medianOf(history);
  const factor = volatilityFactor(returns.slice(-window), median);
  return factor === null ? null : { current, median, factor, historyWindows: history.length };
}

function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
