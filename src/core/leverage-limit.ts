/** Ruling 3: leverage above 20× is never used; 50× or more in config is refused outright (seed 003). */
export const HARD_LEVERAGE_CAP = 20;
export const PROHIBITED_LEVERAGE = 50;

/**
 * Seed 003's safe position: `collateral × max_leverage × safety_factor`, half of it per pair leg.
 * Shared by the sizing pipeline (a cap) and the RiskGate (a check).
 */
export function maxSafePosition(collateral: number, maxLeverage: number, safetyFactor: number): number {
  const limit = Math.max(0, collateral) * maxLeverage * safetyFactor;
  // Fails closed: an unknown (NaN) or unbounded input gives no room rather than unlimited room.
  return Number.isFinite(limit) && limit > 0 ? limit : 0;
}

/** Per-leg limit of a pair: half of the safe position. */
export function maxSafePositionPerLeg(collateral: number, maxLeverage: number, safetyFactor: number): number {
  return maxSafePosition(collateral, maxLeverage, safetyFactor) / 2;
}
