import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative } from '../core/validation.js';

/**
 * Seed 001's performance tiers (`get_smart_allocation_limit`). Ruling 2: in a leveraged perp
 * account "allocation" is initial margin in use as a fraction of equity; the tier's limit (and
 * the emergency 20%) caps that fraction.
 *
 * Each tier names two figures: "25% crypto, 35% total leveraged assets". Every dnbot position is a
 * leveraged crypto perp, so the two are read as two scopes of the same measure: the first caps one
 * bot's margin (its strategy's allocation), the second the margin of every bot on the account
 * together (the account's total leveraged assets). The seed gives no total for the emergency
 * month; "reduce to 20%" is read as 20% for both.
 */
export type AllocationTierName = 'EMERGENCY' | 'LEARNING' | 'STABLE' | 'PROFITABLE';

const fraction = z.number().min(0).max(1);

export const allocationTierConfigSchema = z
  .object({
    /** Month-to-date return strictly below this → EMERGENCY (seed 001: −5%). */
    emergencyMonthlyReturnBelow: z.number().max(0).default(-0.05),
    /** Win rate strictly below this → LEARNING (seed 001: 45%). */
    learningWinRateBelow: fraction.default(0.45),
    /** Win rate strictly below this → STABLE, otherwise PROFITABLE (seed 001: 60%). */
    stableWinRateBelow: fraction.default(0.6),
    /** Allocation limit per tier, as a fraction of equity (seed 001: 20/25/40/60%). */
    limits: z
      .object({
        EMERGENCY: fraction.default(0.2),
        LEARNING: fraction.default(0.25),
        STABLE: fraction.default(0.4),
        PROFITABLE: fraction.default(0.6),
      })
      .strict()
      .prefault({}),
    /** Total leveraged assets per tier: every bot's margin together ÷ equity (seed 001: 35/60/80%; emergency 20%). */
    totalLimits: z
      .object({
        EMERGENCY: fraction.default(0.2),
        LEARNING: fraction.default(0.35),
        STABLE: fraction.default(0.6),
        PROFITABLE: fraction.default(0.8),
      })
      .strict()
      .prefault({}),
    /**
     * Margin in use above the limit by more than this share of it is reduced back to the limit
     * (seed 001: "reduce current allocation ... sell excess positions"); below it only entries stop,
     * so a price tick over the line does not trade.
     */
    reduceAboveShare: z.number().min(0).max(1).default(0.05),
  })
  .strict()
  .refine((c) => c.learningWinRateBelow <= c.stableWinRateBelow, {
    message: 'learningWinRateBelow must be ≤ stableWinRateBelow',
    path: ['learningWinRateBelow'],
  });

export type AllocationTierConfig = z.output<typeof allocationTierConfigSchema>;

export const DEFAULT_ALLOCATION_TIER_CONFIG: AllocationTierConfig = allocationTierConfigSchema.parse({});

export interface AllocationPerformance {
  /**
   * Share of closed round trips with PnL > 0, in [0, 1]. `null` when none closed yet: treated as
   * LEARNING, the tier meant for an unproven system.
   */
  readonly winRate: number | null;
  /** Month-to-date return as a fraction of start-of-month equity (−0.05 = −5%). */
  readonly monthlyReturn: number;
}

export interface AllocationTier {
  readonly tier: AllocationTierName;
  /** Max initial margin in use ÷ equity, for one bot. */
  readonly limit: number;
  /** Max initial margin in use ÷ equity, for every bot on the account together (total leveraged assets). */
  readonly totalLimit: number;
}

/**
 * Seed 001's tier and its limit; the emergency check comes first, as in the seed. Boundaries as
 * in the seed: exactly −5% is not an emergency, exactly 45% is STABLE, exactly 60% is PROFITABLE.
 * @throws InputError (E_INPUT_INVALID) on a win rate outside [0, 1] or a non-finite return.
 */
export function allocationTier(p: AllocationPerformance, config: AllocationTierConfig = DEFAULT_ALLOCATION_TIER_CONFIG): AllocationTier {
  const monthly = requireFinite('monthlyReturn', p.monthlyReturn);
  const winRate = p.winRate === null ? null : requireNonNegative('winRate', p.winRate);
  if (winRate !== null && winRate > 1) throw new InputError('winRate', `must be in [0, 1], got ${winRate}`);
  const tier: AllocationTierName =
    monthly < config.emergencyMonthlyReturnBelow
      ? 'EMERGENCY'
      : winRate === null || winRate < config.learningWinRateBelow
        ? 'LEARNING'
        : winRate < config.stableWinRateBelow
          ? 'STABLE'
          : 'PROFITABLE';
  return { tier, limit: config.limits[tier], totalLimit: config.totalLimits[tier] };
}

/**
 * Seed 001's `get_smart_allocation_limit`: 0.20, 0.25, 0.40 or 0.60 by default.
 * @throws InputError (E_INPUT_INVALID) — see {@link allocationTier}.
 */
export function allocationLimit(p: AllocationPerformance, config: AllocationTierConfig = DEFAULT_ALLOCATION_TIER_CONFIG): number {
  return allocationTier(p, config).limit;
}

export interface AllocationCapInput {
  /** Account equity, USD (≤ 0 gives no room). */
  readonly equity: number;
  /** Initial margin per unit of notional, in (0, 1] (1 / leverage: 0.2 at 5×). */
  readonly initialMarginRatio: number;
  /** Initial margin already in use, USD, including what resting entry orders reserve. */
  readonly marginInUse: number;
  /** The tier's allocation limit, in [0, 1]. */
  readonly limit: number;
}

/**
 * Ruling 2: the additional notional that keeps `(marginInUse + notional × IMR) / equity ≤ limit`,
 * i.e. `(limit × equity − marginInUse) / IMR`, never negative. For a pair, both legs' notional
 * counts: halve it per leg.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity, an IMR outside (0, 1], a negative
 * margin in use, or a limit outside [0, 1].
 */
export function allocationCap(i: AllocationCapInput): number {
  const equity = requireFinite('equity', i.equity);
  const imr = i.initialMarginRatio;
  if (!(Number.isFinite(imr) && imr > 0 && imr <= 1)) {
    throw new InputError('initialMarginRatio', `must be in (0, 1], got ${String(imr)}`);
  }
  const inUse = requireNonNegative('marginInUse', i.marginInUse);
  const limit = requireNonNegative('limit', i.limit);
  if (limit > 1) throw new InputError('limit', `must be in [0, 1], got ${limit}`);
  if (equity <= 0) return 0;
  return Math.max(0, limit * equity - inUse) / imr;
}
