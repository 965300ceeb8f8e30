import { maintenanceMargin, type MarginPosition } from './liquidation-margin.js';
import { liquidationPrices, type LiquidationPrice } from './liquidation-prices.js';

/** Inputs of {@link botMargin}, quote units. */
export interface BotMarginInput {
  /** The bot's equity (its latest snapshot), quote units. */
  readonly equity: number;
  /** Its open positions at their marks, with each instrument's maintenance margin ratio. */
  readonly positions: readonly MarginPosition[];
  /** The leverage it may use: min(phase leverage, risk.limits.maxPortfolioLeverage) (ruling 3). */
  readonly allowedLeverage: number;
}

/** How much of its leverage a bot uses and where each of its positions would liquidate it. */
export interface BotMargin {
  /** Σ |size| × mark. */
  readonly grossNotionalUsd: number;
  /** Gross notional ÷ equity; null when equity is not above zero. */
  readonly leverage: number | null;
  readonly allowedLeverage: number;
  /** Leverage used ÷ allowed (1 = at the cap); null with no leverage figure. */
  readonly leverageShare: number | null;
  /** Σ |size| × mark × MMR. */
  readonly maintenanceMarginUsd: number;
  /** Per position, in input order (see liquidationPrices); empty when equity is not above zero. */
  readonly liquidation: readonly LiquidationPrice[];
}

/**
 * A bot's leverage used against its cap and its positions' liquidation prices (cross margin, the
 * other marks held fixed), as the dashboard shows them. Pure.
 * @throws InputError (E_INPUT_INVALID) on a bad position (see liquidationPrices).
 */
export function botMargin(i: BotMarginInput): BotMargin {
  const gross = i.positions.reduce((a, p) => a + Math.abs(p.size) * p.mark, 0);
  const leverage = i.equity > 0 ? gross / i.equity : null;
  return {
    grossNotionalUsd: gross,
    leverage,
    allowedLeverage: i.allowedLeverage,
    leverageShare: leverage !== null && i.allowedLeverage > 0 ? leverage / i.allowedLeverage : null,
    maintenanceMarginUsd: maintenanceMargin(i.positions),
    liquidation: i.equity > 0 ? liquidationPrices({ equity: i.equity, positions: i.positions }) : [],
  };
}
