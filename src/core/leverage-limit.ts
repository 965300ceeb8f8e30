/**
 * Seed 003's safe position: `collateral × max_leverage × safety_factor`, half of it per pair leg.
 * Shared by the sizing pipeline (a cap) and the RiskGate (a check).
 */
export function maxSafePosition(collateral: number, maxLeverage: number, safetyFactor: number): number {
  return Math.max(0, collateral) * maxLeverage * safetyFactor;
}

/** Per-leg limit of a pair: half of the safe position. */
export function maxSafePositionPerLeg(collateral: number, maxLeverage: number, safetyFactor: number): number {
  return maxSafePosition(collateral, maxLeverage, safetyFactor) / 2;
}
