import { requirePositive } from '../core/validation.js';

export interface RequiredCapitalInput {
  /** Daily volume the phase aims for, USD. */
  readonly targetDailyVolume: number;
  /** Trades per day that volume is spread over. */
  readonly tradesPerDay: number;
  readonly leverage: number;
  /** Share of collateral × leverage used (seed 003: 0.8). */
  readonly safetyFactor: number;
}

/**
 * Seed 003's minimum capital calculator: `(targetDailyVolume / tradesPerDay) / leverage /
 * safetyFactor` — the collateral one average trade needs at that leverage and safety factor,
 * USD. Phase 1 ($20,000 over 20 trades at 5×, 0.8) needs $250.
 * @throws InputError (E_INPUT_INVALID) unless every input is finite and > 0.
 */
export function requiredCapital(i: RequiredCapitalInput): number {
  const perTrade = requirePositive('targetDailyVolume', i.targetDailyVolume) / requirePositive('tradesPerDay', i.tradesPerDay);
  return perTrade / requirePositive('leverage', i.leverage) / requirePositive('safetyFactor', i.safetyFactor);
}
