import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireNonNegativeNumber, requirePositiveNumber } from './analytics-input.js';

export interface PositionSizeInput {
  readonly equityUsd: number;
  /** Gross notional already held, USD. */
  readonly grossNotionalUsd: number;
  /** 1-day VaR of the book already held, USD (0 when flat). */
  readonly currentVar1dUsd: number;
  /** 1-day VaR of the new pair per USD of long-leg notional (short leg at `hedgeRatio`), a fraction. */
  readonly pairVar1dPerUsd: number;
  /** Short notional per long notional. */
  readonly hedgeRatio: number;
  /** The 1-day VaR the whole book may reach, as a share of equity (seed 002's `risk_tolerance`). */
  readonly riskTolerance: number;
  readonly maxPositionSizeUsd: number;
  readonly maxPositionSizePercent: number;
  readonly maxPortfolioLeverage: number;
}

export type SizeConstraint = 'var-budget' | 'max-position-usd' | 'max-position-percent' | 'portfolio-leverage';

export interface PositionSizing {
  /** Suggested long-leg notional, USD (the smallest of the caps, ≥ 0). */
  readonly longNotionalUsd: number;
  /** hedgeRatio × long. */
  readonly shortNotionalUsd: number;
  /** The cap that binds. */
  readonly binding: SizeConstraint;
  /** Each cap on the long leg's notional, USD. */
  readonly caps: Readonly<Record<SizeConstraint, number>>;
  /** 1-day VaR of the suggested pair alone, USD. */
  readonly var1dUsd: number;
}

/**
 * Seed 002's `suggest_position_sizes` for a pair: the largest long-leg notional N (short h·N) that
 * keeps every limit: the VaR budget (riskTolerance × equity − the book's VaR, over the pair's VaR
 * per USD; VaR is subadditive, so adding the two VaRs is the conservative reading), the position
 * limits on either leg (N·max(1, h) ≤ min(maxPositionSizeUsd, maxPositionSizePercent × equity))
 * and the portfolio leverage (gross + N·(1 + h) ≤ maxPortfolioLeverage × equity). Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on a negative or non-finite input, equity, VaR per USD
 *   or hedge ratio not > 0.
 */
export function suggestPositionSize(i: PositionSizeInput): PositionSizing {
  const equity = requirePositiveNumber('equityUsd', i.equityUsd);
  const gross = requireNonNegativeNumber('grossNotionalUsd', i.grossNotionalUsd);
  const held = requireNonNegativeNumber('currentVar1dUsd', i.currentVar1dUsd);
  const v = requirePositiveNumber('pairVar1dPerUsd', i.pairVar1dPerUsd);
  const h = requirePositiveNumber('hedgeRatio', i.hedgeRatio);
  const tol = requirePositiveNumber('riskTolerance', i.riskTolerance);
  if (tol > 1) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, 'riskTolerance', `must be a share of equity in (0, 1], got ${tol}`);
  requireNonNegativeNumber('maxPositionSizeUsd', i.maxPositionSizeUsd);
  requireNonNegativeNumber('maxPositionSizePercent', i.maxPositionSizePercent);
  requireNonNegativeNumber('maxPortfolioLeverage', i.maxPortfolioLeverage);
  const heavier = Math.max(1, h);
  const caps: Record<SizeConstraint, number> = {
    'var-budget': Math.max(0, tol * equity - held) / v,
    'max-position-usd': i.maxPositionSizeUsd / heavier,
    'max-position-percent': (i.maxPositionSizePercent * equity) / heavier,
    'portfolio-leverage': Math.max(0, i.maxPortfolioLeverage * equity - gross) / (1 + h),
  };
  let binding: SizeConstraint = 'var-budget';
  for (const k of Object.keys(caps) as SizeConstraint[]) if (caps[k] < caps[binding]) binding = k;
  const longNotionalUsd = caps[binding];
  return { longNotionalUsd, shortNotionalUsd: h * longNotionalUsd, binding, caps, var1dUsd: longNotionalUsd * v };
}
