import { HARD_LEVERAGE_CAP, maxSafePosition } from '../core/leverage-limit.js';

export { HARD_LEVERAGE_CAP, PROHIBITED_LEVERAGE, maxSafePosition, maxSafePositionPerLeg } from '../core/leverage-limit.js';

/**
 * Seed 003's leverage validation: `max_position_value = collateral × max_leverage × safety_factor`,
 * half of it per leg of a pair. Pure.
 */
export interface LeverageCheckInput {
  readonly positionValue: number;
  readonly collateral: number;
  readonly maxLeverage: number;
  readonly safetyFactor: number;
  /** Share of the safe position this check allows: 1 for a whole account, 0.5 for one pair leg. */
  readonly share?: number;
}

export interface LeverageCheckResult {
  readonly ok: boolean;
  readonly maxSafePosition: number;
  readonly message: string;
}


const usd = (v: number): string => `$${Math.round(v).toLocaleString('en-US')}`;

/** The seed's check and its rejection message, word for word in shape. */
export function checkLeverage(i: LeverageCheckInput): LeverageCheckResult {
  const limit = maxSafePosition(i.collateral, i.maxLeverage, i.safetyFactor) * (i.share ?? 1);
  // Written as !(≤) so a NaN position value is refused, not waved through.
  if (!(i.positionValue <= limit)) {
    return {
      ok: false,
      maxSafePosition: limit,
      message:
        `Position ${usd(i.positionValue)} exceeds safe limit ${usd(limit)} ` +
        `(collateral: ${usd(i.collateral)}, leverage: ${i.maxLeverage}×, safety: ${i.safetyFactor})`,
    };
  }
  return { ok: true, maxSafePosition: limit, message: 'Position size within safe limits' };
}

/** Ruling 3: min(phase leverage, portfolio leverage limit), never above the 20× hard cap. */
export function effectiveMaxLeverage(phaseLeverage: number, maxPortfolioLeverage: number): number {
  return Math.min(phaseLeverage, maxPortfolioLeverage, HARD_LEVERAGE_CAP);
}
