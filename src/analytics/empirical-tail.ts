import { quickselect } from 'simple-statistics';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';

/** VaR and expected shortfall of an empirical loss distribution, in the losses' own unit. */
export interface TailRisk {
  /** The loss not exceeded with probability `confidence` (positive = loss, negative = a gain). */
  readonly valueAtRisk: number;
  /** Mean loss in the worst (1 − confidence) of outcomes; always ≥ `valueAtRisk`. */
  readonly expectedShortfall: number;
}

/** Slack for the tail count n·(1 − c): 0.05 × 100 is 5.000000000000004 in binary. */
const COUNT_SLACK = 1e-9;

/**
 * VaR and ES of equally weighted loss scenarios (historical or simulated), **reordering `losses`
 * in place** (callers pass a scratch array). O(n): simple-statistics `quickselect` (Floyd–Rivest)
 * puts the VaR scenario at its rank with every worse loss after it; no full sort is needed.
 *
 * Definitions (Acerbi & Tasche 2002, the coherent ones): with losses sorted ascending
 * L(1) ≤ … ≤ L(n) and tail mass t = n(1 − c),
 * - VaR = L(m), m = n − ⌊t⌋: the empirical c-quantile inf{x : F(x) ≥ c}. For losses 1..100 at 95%
 *   that is 95; the worst 5 lie above it.
 * - ES = [L(m+1) + … + L(n) + (t − ⌊t⌋)·L(m)] / t: the mean of the worst t scenarios, counting a
 *   fractional scenario at the VaR. For losses 1..100 at 95%, ES = (96+…+100)/5 = 98.
 * ES ≥ VaR and both are non-decreasing in c by construction.
 *
 * @throws AnalyticsError E_ANALYTICS_TOO_FEW_POINTS when t < 1, i.e. fewer than 1/(1 − c)
 *   scenarios: the tail would hold no whole scenario and the "estimate" would just be the worst loss.
 */
export function empiricalTail(losses: number[] | Float64Array, confidence: number, field = 'returns'): TailRisk {
  const n = losses.length;
  const tail = n * (1 - confidence);
  // At most n − 1: c > 0 keeps the VaR scenario inside the sample even where 1 − c rounds to 1.
  const whole = Math.min(Math.floor(tail + COUNT_SLACK), n - 1);
  if (whole < 1) {
    throw new AnalyticsError(
      AnalyticsErrorCodes.TOO_FEW_POINTS,
      field,
      `needs at least ${Math.ceil(1 / (1 - confidence) - COUNT_SLACK)} scenarios at confidence ${confidence}, got ${n}`,
      { scenarios: n, confidence },
    );
  }
  const m = n - whole; // 1-based rank of the VaR scenario
  // simple-statistics types it for arrays; it only indexes, so a Float64Array is the same selection.
  quickselect(losses as number[], m - 1);
  const valueAtRisk = losses[m - 1]!;
  let sum = 0;
  for (let i = m; i < n; i++) sum += losses[i]!;
  const fraction = Math.max(0, tail - whole);
  const expectedShortfall = (sum + fraction * valueAtRisk) / (whole + fraction);
  // Rounding in the mean can land a hair under the VaR when all tail losses are equal.
  return { valueAtRisk, expectedShortfall: Math.max(expectedShortfall, valueAtRisk) };
}
