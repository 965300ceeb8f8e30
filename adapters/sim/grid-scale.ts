import { stepDecimals } from '../../src/core/tick-rounding.js';

/**
 * Fast exact conversion from integer step counts (ticks, lots) to grid values.
 * `steps / inv` with an integer `inv = 1/step` is correctly rounded, so it gives the same
 * double as `roundDown`/`roundUp` from tick-rounding (the nearest double to the decimal) without
 * a `toFixed` round-trip per value; the book synthesiser converts thousands of values a second.
 */
export interface GridScale {
  readonly step: number;
  /** Integer 1/step when exact (0.01 → 100), else null. */
  readonly inv: number | null;
  readonly decimals: number;
}

/**
 * A {@link GridScale} of its own class: an object literal `{ step, inv, decimals }` would share its
 * hidden class with every other three-field literal whose first field is `step` (the sizing
 * trace's `{ step: 'volatility', factor, reason }`), and the first of those to store a name there
 * makes `step` a tagged field in this one too, so the book synthesiser's optimised code is thrown
 * away and reads a boxed number from then on.
 */
class Scale implements GridScale {
  constructor(
    readonly step: number,
    readonly inv: number | null,
    readonly decimals: number,
  ) {}
}

/** Pure: the scale for a positive grid step. @throws RangeError when step is not > 0. */
export function gridScale(step: number): GridScale {
  const decimals = stepDecimals(step);
  const r = Math.round(1 / step);
  const inv = r >= 1 && Math.abs(r * step - 1) < 1e-12 ? r : null;
  return new Scale(step, inv, decimals);
}

/** Pure: the grid value of `steps` whole steps, printed without float dust. */
export function fromSteps(steps: number, g: GridScale): number {
  if (g.inv !== null) return steps / g.inv;
  if (g.decimals === 0) return steps * g.step;
  return Number((steps * g.step).toFixed(g.decimals));
}

/** Pure: the whole number of steps in a grid value (value assumed on the grid). */
export function toSteps(value: number, g: GridScale): number {
  return Math.round(value / g.step);
}
