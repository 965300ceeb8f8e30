/**
 * Rounding to an instrument's grid (tick for prices, lot for sizes).
 * Works in integer step counts so results are exact multiples, printed without float dust.
 */

/** Tolerance in steps: absolute near zero, relative for large step counts (float error grows with k). */
function eps(k: number): number {
  // A few ulps of k: enough to absorb division error, far too small to move a real price or size.
  return 1e-9 + Math.abs(k) * 8 * Number.EPSILON;
}

const decimalsCache = new Map<number, number>();

/** Number of decimals needed to print `step` exactly (0.01 → 2, 0.0005 → 4, 5 → 0). */
export function stepDecimals(step: number): number {
  const cached = decimalsCache.get(step);
  if (cached !== undefined) return cached;
  const d = computeDecimals(step);
  if (decimalsCache.size < 1024) decimalsCache.set(step, d);
  return d;
}

function computeDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`step must be > 0, got ${step}`);
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/**
 * The grid of the two steps used last (an instrument's tick and lot, as a hot loop alternates
 * them): `scale` = 10^decimals and `units` = the step in units of its last decimal, so a rounding
 * on them skips the decimals lookup. The same numbers the lookup gives, hence the same results.
 */
let lastStep = NaN;
let lastScale = 1;
let lastUnits = 0;
let prevStep = NaN;
let prevScale = 1;
let prevUnits = 0;

function fromSteps(steps: number, step: number): number {
  if (step !== lastStep) {
    const t = prevStep;
    const ts = prevScale;
    const tu = prevUnits;
    prevStep = lastStep;
    prevScale = lastScale;
    prevUnits = lastUnits;
    if (step === t) {
      lastScale = ts;
      lastUnits = tu;
    } else {
      // Throws for a step that is not > 0 and finite: never cached (NaN equals nothing).
      lastScale = 10 ** stepDecimals(step);
      lastUnits = Math.round(step * lastScale);
    }
    lastStep = step;
  }
  // steps × (step × scale) is an integer count of the last decimal: exact, and printed without dust.
  return Math.round(steps * lastUnits) / lastScale + 0; // + 0 turns -0 into 0
}

/** The whole number of steps in {@link roundDown}`(value, step)`, without building the value. */
export function floorSteps(value: number, step: number): number {
  const k = value / step;
  return Math.floor(k + eps(k));
}

/** The whole number of steps in {@link roundUp}`(value, step)`, without building the value. */
export function ceilSteps(value: number, step: number): number {
  const k = value / step;
  return Math.ceil(k - eps(k));
}

/** Largest multiple of `step` ≤ value (bids, sizes). */
export function roundDown(value: number, step: number): number {
  return fromSteps(floorSteps(value, step), step);
}

/** Smallest multiple of `step` ≥ value (asks). */
export function roundUp(value: number, step: number): number {
  return fromSteps(ceilSteps(value, step), step);
}

/** Nearest multiple of `step`. */
export function roundNearest(value: number, step: number): number {
  return fromSteps(Math.round(value / step), step);
}

/** Round a limit price so it never becomes more aggressive: buys down, sells up. */
export function roundPriceForSide(price: number, tick: number, side: 'buy' | 'sell'): number {
  return side === 'buy' ? roundDown(price, tick) : roundUp(price, tick);
}

/** True when `value` is an exact multiple of `step` (within float tolerance). */
export function isOnGrid(value: number, step: number): boolean {
  const k = value / step;
  return Math.abs(k - Math.round(k)) < 1e-6 + Math.abs(k) * 1e-12;
}
