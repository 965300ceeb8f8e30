import { InputError } from '../core/errors.js';
import { requireFinite } from '../core/validation.js';

/** Inputs of {@link hedgeEffectiveness}, USD. */
export interface HedgeEffectivenessInput {
  readonly deltaBefore: number;
  readonly deltaAfter: number;
  /** Target delta both are measured against (default 0). */
  readonly target?: number;
  /** PnL of the hedged book over a period, and of the same book without the hedge. */
  readonly pnlHedged?: number;
  readonly pnlUnhedged?: number;
}

export interface HedgeEffectivenessResult {
  /** Share of the deviation removed, in [0, 1]: the headline ratio. */
  readonly ratio: number;
  /** Share of the unhedged PnL swing the hedge offset, in [0, 1]; null without both PnLs. */
  readonly pnlOffset: number | null;
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));

/**
 * How well a hedge worked. `ratio` = clamp((|before − target| − |after − target|) ÷ |before − target|,
 * 0, 1): 1 when the deviation is gone, 0 when it is no smaller (or larger: an overshoot past the
 * target counts as remaining deviation). With no deviation before, 1 if none after, else 0.
 * `pnlOffset` = clamp(1 − |pnlHedged| ÷ |pnlUnhedged|, 0, 1) (a dollar-offset measure): 1 when
 * the hedge cancelled the swing, 0 when it did not reduce it; 1 when neither moved.
 * @throws InputError (E_INPUT_INVALID) on a non-finite value or only one of the two PnLs.
 */
export function hedgeEffectiveness(i: HedgeEffectivenessInput): HedgeEffectivenessResult {
  const target = requireFinite('target', i.target ?? 0);
  const before = Math.abs(requireFinite('deltaBefore', i.deltaBefore) - target);
  const after = Math.abs(requireFinite('deltaAfter', i.deltaAfter) - target);
  const ratio = before === 0 ? (after === 0 ? 1 : 0) : clamp01((before - after) / before);
  if ((i.pnlHedged === undefined) !== (i.pnlUnhedged === undefined)) {
    throw new InputError(i.pnlHedged === undefined ? 'pnlHedged' : 'pnlUnhedged', 'give both PnLs or neither');
  }
  if (i.pnlHedged === undefined || i.pnlUnhedged === undefined) return { ratio, pnlOffset: null };
  const hedged = Math.abs(requireFinite('pnlHedged', i.pnlHedged));
  const unhedged = Math.abs(requireFinite('pnlUnhedged', i.pnlUnhedged));
  const pnlOffset = unhedged === 0 ? (hedged === 0 ? 1 : 0) : clamp01(1 - hedged / unhedged);
  return { ratio, pnlOffset };
}

/**
 * Rolling mean of the last `window` effectiveness ratios (each in [0, 1]). Holds only numbers: no
 * clock, no I/O. Not persisted; a restart starts empty.
 */
export class HedgeEffectivenessTracker {
  private readonly values: number[] = [];
  private readonly window: number;

  /** @throws InputError (E_INPUT_INVALID) when `window` is not an integer ≥ 1. */
  constructor(options: { readonly window?: number } = {}) {
    const w = options.window ?? 20;
    if (!(Number.isInteger(w) && w >= 1)) throw new InputError('window', `must be an integer ≥ 1, got ${String(w)}`);
    this.window = w;
  }

  /** Adds a ratio, dropping the oldest beyond the window. @throws InputError outside [0, 1]. */
  record(ratio: number): void {
    if (!(Number.isFinite(ratio) && ratio >= 0 && ratio <= 1)) throw new InputError('ratio', `must be in [0, 1], got ${String(ratio)}`);
    this.values.push(ratio);
    if (this.values.length > this.window) this.values.shift();
  }

  /** Mean of the ratios in the window; null before the first. */
  mean(): number | null {
    if (this.values.length === 0) return null;
    return this.values.reduce((a, b) => a + b, 0) / this.values.length;
  }

  /** The most recent ratio; null before the first. */
  last(): number | null {
    return this.values.at(-1) ?? null;
  }

  get count(): number {
    return this.values.length;
  }
}
