import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative } from '../core/validation.js';

/**
 * Seed 001's "Reduce Current Allocation: From 82.5% to 40% (sell excess positions)". The tier caps
 * new entries; when margin already in use is above the (possibly lowered) tier, the positions are
 * cut back to it. Pure: the bot turns the answer into reduce-only orders on both legs of its pair.
 */
export interface OverAllocationInput {
  /** Account equity, USD. At or below 0 everything is excess. */
  readonly equity: number;
  /** This bot's initial margin in use, USD (its gross notional ÷ leverage). */
  readonly botMargin: number;
  /** Every bot's initial margin in use together, USD (≥ `botMargin`). */
  readonly accountMargin: number;
  /** The tier's limit for one bot, fraction of equity. */
  readonly limit: number;
  /** The tier's total leveraged-asset limit, fraction of equity. */
  readonly totalLimit: number;
  /** Act only when a limit is exceeded by more than this share of it (hysteresis), in [0, 1]. */
  readonly reduceAboveShare: number;
}

export interface OverAllocation {
  /** Which limit asks for the larger cut. */
  readonly check: 'allocation_tier' | 'total_leveraged';
  /**
   * Share of each position to close, in (0, 1]: `1 − limit × equity ÷ margin`. Every bot over the
   * total cuts by the same share, so the excess is taken pro rata from every pair.
   */
  readonly fraction: number;
  /** Margin ÷ equity now, and the limit it must come back under. */
  readonly usage: number;
  readonly allowed: number;
}

/**
 * The cut that brings this bot's margin back under its tier and the account's under the total
 * limit, or null when neither is exceeded by more than `reduceAboveShare` of it.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity, a negative margin, an account
 * margin below the bot's, or a limit or share outside [0, 1].
 */
export function overAllocation(i: OverAllocationInput): OverAllocation | null {
  const equity = requireFinite('equity', i.equity);
  const bot = requireNonNegative('botMargin', i.botMargin);
  const account = requireNonNegative('accountMargin', i.accountMargin);
  if (account < bot * (1 - 1e-9)) throw new InputError('accountMargin', `must be ≥ botMargin ${bot}, got ${account}`);
  // One call each, in this order (no array of pairs: this runs on every control tick).
  requireUnitInterval('limit', i.limit);
  requireUnitInterval('totalLimit', i.totalLimit);
  requireUnitInterval('reduceAboveShare', i.reduceAboveShare);
  if (bot <= 0) return null;
  if (equity <= 0) return { check: 'allocation_tier', fraction: 1, usage: Number.POSITIVE_INFINITY, allowed: i.limit };
  const cut = (margin: number, limit: number): number => (margin > limit * equity * (1 + i.reduceAboveShare) ? 1 - (limit * equity) / margin : 0);
  const own = cut(bot, i.limit);
  const total = cut(account, i.totalLimit);
  if (own <= 0 && total <= 0) return null;
  return own >= total
    ? { check: 'allocation_tier', fraction: own, usage: bot / equity, allowed: i.limit }
    : { check: 'total_leveraged', fraction: total, usage: account / equity, allowed: i.totalLimit };
}

function requireUnitInterval(field: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0 && v <= 1)) throw new InputError(field, `must be in [0, 1], got ${String(v)}`);
}
