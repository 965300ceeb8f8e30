import { requireFinite, requireNonNegative } from '../core/validation.js';

/** Inputs of {@link healthRatio}, quote units. */
export interface HealthRatioInput {
  /** Collateral counted for margin: equity including unrealised PnL. May be ≤ 0 (underwater). */
  readonly collateral: number;
  /** Maintenance margin requirement, ≥ 0 (see `maintenanceMargin`). */
  readonly maintenanceMargin: number;
}

/**
 * Ruling 6's health ratio: collateral ÷ maintenance margin × 100, in percent (150 = 1.5× maintenance;
 * 100 = at the liquidation line; below 100 the venue may liquidate).
 *
 * Returns `null` when the maintenance margin is 0 (no open positions): the ratio is unbounded and
 * nothing can be liquidated. Callers treat `null` as the healthiest possible state, never as 0.
 * Monotone non-decreasing in collateral for a fixed maintenance margin.
 * @throws InputError (E_INPUT_INVALID) on a non-finite collateral or a negative or non-finite
 * maintenance margin.
 */
export function healthRatio(i: HealthRatioInput): number | null {
  const collateral = requireFinite('collateral', i.collateral);
  const mm = requireNonNegative('maintenanceMargin', i.maintenanceMargin);
  if (mm === 0) return null;
  return (collateral / mm) * 100;
}
