import { InputError } from '../core/errors.js';
import { requireNonNegative, requirePositive } from '../core/validation.js';
import { HARD_LEVERAGE_CAP } from '../core/leverage-limit.js';
import { checkLeverage as validateLeverage } from './leverage-validation.js';

export interface PositionSizeCheckInput {
  /** Notional of the position after the order, USD (≥ 0). */
  readonly notional: number;
  /** Account collateral, USD (≥ 0; zero refuses any position). */
  readonly collateral: number;
  /** Effective max leverage (ruling 3), in (0, 20]. */
  readonly maxLeverage: number;
  /** Share of collateral × leverage that may be used, in (0, 1] (seed 003: 0.8). */
  readonly safetyFactor: number;
  /** Share of the safe position this position may use: 1 for the account, 0.5 for one pair leg (default 1). */
  readonly share?: number;
}

export interface PositionSizeCheck {
  readonly ok: boolean;
  /** `collateral × maxLeverage × safetyFactor × share`, USD. */
  readonly maxSafeNotional: number;
  /** Seed 003's message: the refusal with its numbers, or "Position size within safe limits". */
  readonly reason: string;
}

/**
 * Seed 003's leverage validation as a public API: a thin wrapper over
 * {@link validateLeverage | leverage-validation's check}, which fails closed on bad numbers; this
 * one throws instead, so a caller's bug is loud rather than a silent refusal.
 * @throws InputError (E_INPUT_INVALID) on a NaN/infinite/negative notional or collateral, leverage
 * ≤ 0 or above the 20× hard cap, a safety factor or share outside (0, 1].
 */
export function validatePositionSize(i: PositionSizeCheckInput): PositionSizeCheck {
  requireNonNegative('notional', i.notional);
  requireNonNegative('collateral', i.collateral);
  requirePositive('maxLeverage', i.maxLeverage);
  if (i.maxLeverage > HARD_LEVERAGE_CAP) {
    throw new InputError('maxLeverage', `must be ≤ the ${HARD_LEVERAGE_CAP}× hard cap, got ${i.maxLeverage}`);
  }
  requireUnitInterval('safetyFactor', i.safetyFactor);
  const share = i.share ?? 1;
  requireUnitInterval('share', share);
  const r = validateLeverage({
    positionValue: i.notional,
    collateral: i.collateral,
    maxLeverage: i.maxLeverage,
    safetyFactor: i.safetyFactor,
    share,
  });
  return { ok: r.ok, maxSafeNotional: r.maxSafePosition, reason: r.message };
}

function requireUnitInterval(field: string, v: number): void {
  requirePositive(field, v);
  if (v > 1) throw new InputError(field, `must be in (0, 1], got ${v}`);
}
