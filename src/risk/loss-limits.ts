import { z } from 'zod';
import { requireFinite, requirePositive } from '../core/validation.js';

const fraction = z.number().gt(0).max(1);

/**
 * Seed 001's loss limits as ruled (ruling 2): 2% per asset per day, 3% for the portfolio per day,
 * 8% per month, each a fraction of start-of-period equity, on realised plus unrealised PnL. A trip
 * is a persistent circuit breaker: no new entries, resting entries cancelled, until the period
 * rolls over (see `loss-limit-period.ts`) or an operator resets; exits and hedges continue.
 */
export const lossLimitsSchema = z
  .object({
    /** Loss on one asset in a UTC day, fraction of start-of-day equity (seed 001: 2%). */
    perAssetDaily: fraction.default(0.02),
    /** Portfolio loss in a UTC day, fraction of start-of-day equity (seed 001: 3%). */
    portfolioDaily: fraction.default(0.03),
    /** Portfolio loss in a UTC month, fraction of start-of-month equity (seed 001: 8%). */
    portfolioMonthly: fraction.default(0.08),
    /** Ruling 2: also flatten open positions on a trip. Off by default. */
    flattenOnTrip: z.boolean().default(false),
  })
  .strict();

export type LossLimits = z.output<typeof lossLimitsSchema>;

export const DEFAULT_LOSS_LIMITS: LossLimits = lossLimitsSchema.parse({});

export type LossLimitScope = 'asset' | 'portfolio_day' | 'portfolio_month';

export interface LossLimitInput {
  /** Today's PnL per symbol (realised + unrealised), USD; losses negative. */
  readonly perAsset: Readonly<Record<string, number>>;
  /** Today's portfolio PnL (realised + unrealised), USD. */
  readonly portfolioPnlToday: number;
  /** Month-to-date portfolio PnL (realised + unrealised), USD. */
  readonly portfolioPnlMonth: number;
  /** Equity at the start of the UTC day, USD (> 0). */
  readonly startOfDayEquity: number;
  /** Equity at the start of the UTC month, USD (> 0). */
  readonly startOfMonthEquity: number;
  readonly limits?: LossLimits;
}

export interface LossLimitBreach {
  readonly scope: LossLimitScope;
  /** The symbol for `asset`; `portfolio` otherwise. */
  readonly key: string;
  /** The loss, USD, positive. */
  readonly loss: number;
  /** The limit it reached, USD: `limitFraction × start-of-period equity`. */
  readonly limit: number;
  /** The loss as a fraction of start-of-period equity. */
  readonly fraction: number;
  /** The configured limit, as a fraction. */
  readonly limitFraction: number;
}

/**
 * Every loss limit reached (a loss ≥ its limit trips: "2%" means a 2% loss is already too much).
 * Order: assets by symbol, then the portfolio day, then the month. Empty when none is reached.
 * @throws InputError (E_INPUT_INVALID) on a non-finite PnL, or start-of-period equity that is not
 * finite and > 0 (an account with no equity has nothing to size; the caller halts entries).
 */
export function evaluateLossLimits(i: LossLimitInput): LossLimitBreach[] {
  const limits = i.limits ?? DEFAULT_LOSS_LIMITS;
  const dayEquity = requirePositive('startOfDayEquity', i.startOfDayEquity);
  const monthEquity = requirePositive('startOfMonthEquity', i.startOfMonthEquity);
  const breaches: LossLimitBreach[] = [];
  const check = (scope: LossLimitScope, key: string, field: string | null, pnl: number, equity: number, limitFraction: number): void => {
    // An asset's field name is built only to name a bad value (this runs on every control tick).
    const loss = -(Number.isFinite(pnl) ? pnl : requireFinite(field ?? `perAsset.${key}`, pnl));
    // Compared as fractions: a correctly rounded division makes "exactly 2%" trip, where
    // 0.02 × equity can round a hair above the loss.
    const fraction = loss / equity;
    if (loss > 0 && fraction >= limitFraction) breaches.push({ scope, key, loss, limit: limitFraction * equity, fraction, limitFraction });
  };
  for (const symbol of sortedKeys(i.perAsset)) {
    check('asset', symbol, null, i.perAsset[symbol] as number, dayEquity, limits.perAssetDaily);
  }
  check('portfolio_day', 'portfolio', 'portfolioPnlToday', i.portfolioPnlToday, dayEquity, limits.portfolioDaily);
  check('portfolio_month', 'portfolio', 'portfolioPnlMonth', i.portfolioPnlMonth, monthEquity, limits.portfolioMonthly);
  return breaches;
}

/**
 * `Object.keys(o).sort()` for the few symbols of a book: an insertion sort comparing by UTF-16
 * code units, as the default sort does (the same order; runs on every control tick, where the
 * built-in sort cost more than the rest of the evaluation).
 */
export function sortedKeys(o: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(o);
  if (keys.length > 8) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}
