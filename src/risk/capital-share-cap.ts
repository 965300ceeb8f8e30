import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative } from '../core/validation.js';

/**
 * Seed 001's "max 10% per position": `min(optimal_size, available_capital × 0.10)`, where the seed
 * defines `available_capital = portfolio_value × max_allocation` (the tier's budget, not free cash).
 *
 * In a leveraged perp account ruling 2 measures allocation in initial margin, so capital committed
 * to a position is its margin: the position's margin ≤ 10% of the allocation budget, i.e.
 * `notional ≤ share × availableCapital ÷ initialMarginRatio` (= share × available × leverage).
 * Reading it as notional ≤ 10% of the budget would cap a $2,000 LEARNING account at $50 a leg,
 * below venue minimums, so the cap would stop trading rather than shape it. A pair has two
 * positions (one per leg); the cap applies to each.
 */
export const DEFAULT_CAPITAL_SHARE = 0.1;

export interface AvailableCapitalInput {
  /** Account equity, USD. */
  readonly equity: number;
  /** The allocation tier's limit, in [0, 1] (see `allocation-tier.ts`). */
  readonly allocationLimit: number;
}

/**
 * Seed 001's `available_capital = portfolio_value × max_allocation`, USD of margin; 0 at equity ≤ 0.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity or a limit outside [0, 1].
 */
export function availableCapital(i: AvailableCapitalInput): number {
  const equity = requireFinite('equity', i.equity);
  requireFraction('allocationLimit', i.allocationLimit, true);
  return Math.max(0, equity) * i.allocationLimit;
}

export interface CapitalShareCapInput {
  /** Seed 001's available capital, USD of margin (see {@link availableCapital}). */
  readonly availableCapital: number;
  /** Initial margin per unit of notional, in (0, 1] (1 / leverage). */
  readonly initialMarginRatio: number;
  /** Share of available capital one position may use (seed 001: 0.10). */
  readonly share?: number;
  /** Notional already held or resting on this position's symbol, USD (default 0). */
  readonly positionNotional?: number;
}

/**
 * The notional a position may still add under the 10% rule, USD (≥ 0):
 * `share × availableCapital ÷ initialMarginRatio − positionNotional`.
 * @throws InputError (E_INPUT_INVALID) on a negative or non-finite capital or notional, an IMR
 * outside (0, 1], or a share outside (0, 1].
 */
export function capitalShareCap(i: CapitalShareCapInput): number {
  const capital = requireNonNegative('availableCapital', i.availableCapital);
  const imr = requireFraction('initialMarginRatio', i.initialMarginRatio, false);
  const share = requireFraction('share', i.share ?? DEFAULT_CAPITAL_SHARE, false);
  const held = requireNonNegative('positionNotional', i.positionNotional ?? 0);
  return Math.max(0, (share * capital) / imr - held);
}

function requireFraction(field: string, v: number, zeroAllowed: boolean): number {
  const low = zeroAllowed ? v >= 0 : v > 0;
  if (!(Number.isFinite(v) && low && v <= 1)) {
    throw new InputError(field, `must be in ${zeroAllowed ? '[0' : '(0'}, 1], got ${String(v)}`);
  }
  return v;
}
