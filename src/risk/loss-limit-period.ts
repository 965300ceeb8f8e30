import { utcDay, utcMonth } from '../core/utc-day.js';
import { InputError } from '../core/errors.js';
import type { LossLimitScope } from './loss-limits.js';


/**
 * The period a loss-limit breaker of `scope` belongs to: the UTC day (`YYYY-MM-DD`) for `asset` and
 * `portfolio_day`, the UTC month (`YYYY-MM`) for `portfolio_month`. Persist it with the trip.
 * @throws InputError (E_INPUT_INVALID) on a timestamp outside 1970–9999.
 */
export function lossLimitPeriod(scope: LossLimitScope, ts: number): string {
  return scope === 'portfolio_month' ? utcMonth(requireTimestamp(ts)) : utcDay(requireTimestamp(ts));
}

/**
 * Ruling 2: a tripped breaker stays until its period rolls over (or an operator resets it).
 * True once `nowTs` falls in a later period than the one recorded at the trip.
 * @throws InputError (E_INPUT_INVALID) on a timestamp outside 1970–9999 or a recorded period not
 * of the scope's shape.
 */
export function hasPeriodRolledOver(scope: LossLimitScope, trippedPeriod: string, nowTs: number): boolean {
  const shape = scope === 'portfolio_month' ? /^\d{4}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}$/;
  if (!shape.test(trippedPeriod)) {
    throw new InputError('trippedPeriod', `must be ${scope === 'portfolio_month' ? 'YYYY-MM' : 'YYYY-MM-DD'} for ${scope}, got ${trippedPeriod}`);
  }
  // Keys are zero-padded ISO dates of one shape, so string order is time order.
  return lossLimitPeriod(scope, nowTs) > trippedPeriod;
}

/** Last ms of 9999-12-31: past it, ISO dates gain a sign and six-digit years. */
const MAX_TS = 253_402_300_799_999;

function requireTimestamp(ts: number): number {
  if (!(Number.isInteger(ts) && ts >= 0 && ts <= MAX_TS)) {
    throw new InputError('ts', `must be an integer ms timestamp in 1970–9999 (UTC), got ${String(ts)}`);
  }
  return ts;
}
