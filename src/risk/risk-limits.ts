import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative, requirePositive } from '../core/validation.js';
import { HARD_LEVERAGE_CAP } from './leverage-validation.js';

const fraction = z.number().gt(0).max(1);

/**
 * Seed 002's `RiskLimits`, its defaults unchanged. Units: fractions of equity, USD, and the health
 * ratio in percent (ruling 6: collateral ÷ maintenance margin, 150 = 1.5×).
 */
export const riskLimitsSchema = z
  .object({
    /** Gross notional ÷ equity (seed 002: 5). Ruling 3: the effective cap is min(phase leverage, this), ≤ 20. */
    maxPortfolioLeverage: z.number().positive().max(HARD_LEVERAGE_CAP).default(5),
    /** Notional of one position, USD (seed 002: $50,000). */
    maxPositionSizeUsd: z.number().positive().default(50_000),
    /** Notional of one position ÷ equity (seed 002: 30% of portfolio). */
    maxPositionSizePercent: fraction.default(0.3),
    /** Correlated share of exposure, as measured by the caller (seed 002: 0.7). */
    maxCorrelationExposure: fraction.default(0.7),
    /** One-day VaR ÷ equity (seed 002: 5%). */
    maxVar1dPercent: fraction.default(0.05),
    /** Minimum health ratio, percent (seed 002: 150). */
    minHealthRatio: z.number().positive().default(150),
    /** Drawdown from the equity peak, fraction (seed 002: 15%). */
    maxDrawdownPercent: fraction.default(0.15),
  })
  .strict();

export type RiskLimits = z.output<typeof riskLimitsSchema>;
export type RiskLimitName = keyof RiskLimits;

export const DEFAULT_RISK_LIMITS: RiskLimits = riskLimitsSchema.parse({});

/** Account state the limits read. Optional metrics are checked only when measured. */
export interface RiskLimitState {
  /** Equity, USD (> 0). */
  readonly equity: number;
  /** Sum of |notional| over all positions and resting entries, USD. */
  readonly grossNotional: number;
  /** |Notional| of the position being checked or sized (its symbol), USD. */
  readonly positionNotional: number;
  /** Drawdown from the equity peak, fraction (0.1 = 10%). */
  readonly drawdown: number;
  /** Health ratio, percent. */
  readonly healthRatio?: number | null;
  /** One-day VaR, USD, positive. */
  readonly var1dUsd?: number | null;
  /** Correlated share of exposure, in [0, 1]. */
  readonly correlationExposure?: number | null;
}

export interface RiskLimitViolation {
  readonly limit: RiskLimitName;
  readonly actual: number;
  readonly allowed: number;
  readonly message: string;
}

/**
 * Every seed 002 limit the state breaks; empty when none. `grossNotional` and `positionNotional`
 * are AFTER the order being checked. A value exactly at its limit is allowed.
 * @throws InputError (E_INPUT_INVALID) on equity not finite and > 0, or a negative or non-finite
 * notional, drawdown or metric.
 */
export function checkRiskLimits(s: RiskLimitState, limits: RiskLimits = DEFAULT_RISK_LIMITS): RiskLimitViolation[] {
  const v = { equity: requirePositive('equity', s.equity), ...readExposure(s) };
  const out: RiskLimitViolation[] = [];
  const over = (limit: RiskLimitName, actual: number, allowed: number, what: string): void => {
    if (actual > allowed) out.push({ limit, actual, allowed, message: `${what} ${fmt(actual)} above ${limit} ${fmt(allowed)}` });
  };
  over('maxPortfolioLeverage', v.gross / v.equity, limits.maxPortfolioLeverage, 'portfolio leverage');
  over('maxPositionSizeUsd', v.position, limits.maxPositionSizeUsd, 'position notional');
  over('maxPositionSizePercent', v.position / v.equity, limits.maxPositionSizePercent, 'position share of equity');
  if (v.correlation !== null) over('maxCorrelationExposure', v.correlation, limits.maxCorrelationExposure, 'correlation exposure');
  if (v.var1d !== null) over('maxVar1dPercent', v.var1d / v.equity, limits.maxVar1dPercent, '1-day VaR share of equity');
  over('maxDrawdownPercent', v.drawdown, limits.maxDrawdownPercent, 'drawdown');
  if (v.health !== null && v.health < limits.minHealthRatio) {
    out.push({
      limit: 'minHealthRatio',
      actual: v.health,
      allowed: limits.minHealthRatio,
      message: `health ratio ${fmt(v.health)} below minHealthRatio ${fmt(limits.minHealthRatio)}`,
    });
  }
  return out;
}

/** Limits on the account's state rather than on notional: while one is broken there is no room. */
const STATE_LIMITS: ReadonlySet<RiskLimitName> = new Set(['maxDrawdownPercent', 'minHealthRatio', 'maxVar1dPercent', 'maxCorrelationExposure']);

export interface RiskLimitCapInput extends RiskLimitState {
  /** Legs the entry opens, each of the returned notional: 2 for a pair (default 1). */
  readonly legs?: number;
}

/**
 * Max notional of a new leg under seed 002's limits, USD (≥ 0): `grossNotional` and
 * `positionNotional` are BEFORE the order (positions plus resting entries). The notional room is
 * min(maxPositionSizeUsd − position, maxPositionSizePercent × equity − position,
 * (maxPortfolioLeverage × equity − gross) / legs). Limits with no notional room to give (drawdown,
 * health, VaR, correlation) give 0 while broken: no new entries. Fails closed at equity ≤ 0.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity, a negative or non-finite notional,
 * drawdown or metric, or `legs` not a positive integer.
 */
export function riskLimitCap(i: RiskLimitCapInput, limits: RiskLimits = DEFAULT_RISK_LIMITS): number {
  const legs = i.legs ?? 1;
  if (!(Number.isInteger(legs) && legs >= 1)) throw new InputError('legs', `must be an integer ≥ 1, got ${String(legs)}`);
  const equity = requireFinite('equity', i.equity);
  const v = { equity, ...readExposure(i) };
  if (equity <= 0) return 0;
  if (checkRiskLimits(i, limits).some((x) => STATE_LIMITS.has(x.limit))) return 0;
  const room = Math.min(
    limits.maxPositionSizeUsd - v.position,
    limits.maxPositionSizePercent * v.equity - v.position,
    (limits.maxPortfolioLeverage * v.equity - v.gross) / legs,
  );
  return Math.max(0, room);
}

interface Exposure {
  readonly gross: number;
  readonly position: number;
  readonly drawdown: number;
  readonly health: number | null;
  readonly var1d: number | null;
  readonly correlation: number | null;
}

/** Everything but equity, checked: each caller has its own rule for equity. */
function readExposure(s: RiskLimitState): Exposure {
  const optional = (field: string, x: number | null | undefined): number | null =>
    x === null || x === undefined ? null : requireNonNegative(field, x);
  const correlation = optional('correlationExposure', s.correlationExposure);
  if (correlation !== null && correlation > 1) throw new InputError('correlationExposure', `must be in [0, 1], got ${correlation}`);
  return {
    gross: requireNonNegative('grossNotional', s.grossNotional),
    position: requireNonNegative('positionNotional', s.positionNotional),
    drawdown: requireNonNegative('drawdown', s.drawdown),
    health: optional('healthRatio', s.healthRatio),
    var1d: optional('var1dUsd', s.var1dUsd),
    correlation,
  };
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(4));
