import { InputError } from '../core/errors.js';
import { requireFinite } from '../core/validation.js';
import { healthRatio } from './liquidation-health-ratio.js';
import { maintenanceMargin, type MarginPosition } from './liquidation-margin.js';
import { liquidationPrices, type LiquidationPrice } from './liquidation-prices.js';
import { describeAction, graduatedAction, type ProtectionAction, type ProtectionConfig } from './liquidation-protection.js';
import { riskLevelDetail, type RiskLevel, type RiskLevelThresholds } from './liquidation-risk-level.js';
import { stressScenarios, worstStressHealth, type StressResult, type StressScenario } from './liquidation-stress.js';
import { timeToLiquidation } from './liquidation-time.js';

/** Inputs of {@link assessLiquidationRisk}, quote units. */
export interface LiquidationRiskInput {
  /** Equity incl. unrealised PnL at current marks. */
  readonly equity: number;
  /** Collateral counted for margin; defaults to `equity`. Health and liquidation prices use it. */
  readonly collateral?: number;
  readonly positions: readonly MarginPosition[];
  /** Annualised volatility per symbol (fraction, > 0); required for every non-flat position. */
  readonly volatility: Readonly<Record<string, number>>;
  readonly scenarios?: readonly StressScenario[];
  readonly thresholds?: RiskLevelThresholds;
  readonly protection?: ProtectionConfig;
  /** Move size for the time-to-liquidation estimate, in standard deviations (default 2). */
  readonly sigmas?: number;
  /**
   * The venue's own margin (e.g. Drift's SDK): its maintenance margin replaces ours in the health
   * ratio, and its liquidation prices replace ours where it gives one for a symbol.
   */
  readonly venueMargin?: { readonly maintenanceMargin: number; readonly liquidationPrices: ReadonlyMap<string, number | null> };
}

/** Seed 002's `LiquidationRisk`, with the numbers that produced it. */
export interface LiquidationRisk {
  /** Percent (ruling 6); null with no positions. */
  readonly healthRatio: number | null;
  readonly maintenanceMargin: number;
  readonly liquidationPrices: readonly LiquidationPrice[];
  /** Shortest estimate over positions, ms; null when no position has a liquidation price. */
  readonly timeToLiquidationMs: number | null;
  /** The position whose estimate that is. */
  readonly nearestSymbol: string | null;
  readonly riskLevel: RiskLevel;
  readonly reasons: readonly string[];
  readonly action: ProtectionAction;
  /** Seed 002's `protection_actions`: human-readable steps. */
  readonly protectionActions: readonly string[];
  readonly stressTestResults: readonly StressResult[];
  /** Lowest stressed health, percent; null when no scenario requires margin. */
  readonly worstStressHealth: number | null;
}

/**
 * The liquidation monitor's whole assessment in one pure call: health ratio, per-position
 * liquidation prices, the shortest time to liquidation, stress results, the risk level and the
 * graduated action it calls for.
 * @throws InputError (E_INPUT_INVALID) on any bad input, including a missing volatility for a
 * non-flat position (an unknown risk is not a low one).
 */
export function assessLiquidationRisk(i: LiquidationRiskInput): LiquidationRisk {
  const equity = requireFinite('equity', i.equity);
  const collateral = requireFinite('collateral', i.collateral ?? equity);
  const venueMm = i.venueMargin ? requireFinite('venueMargin.maintenanceMargin', i.venueMargin.maintenanceMargin) : null;
  const mm = venueMm ?? maintenanceMargin(i.positions);
  const health = healthRatio({ collateral, maintenanceMargin: mm });
  const ours = liquidationPrices({ equity: collateral, positions: i.positions });
  const prices = i.venueMargin ? withVenuePrices(ours, i.positions, i.venueMargin.liquidationPrices) : ours;
  let ttl: number | null = null;
  let nearestSymbol: string | null = null;
  for (const lp of prices) {
    if (lp.direction === null) continue;
    const vol = i.volatility[lp.symbol];
    if (vol === undefined) throw new InputError(`volatility.${lp.symbol}`, 'missing for an open position');
    const t = timeToLiquidation({ distanceFraction: lp.distanceFraction, annualisedVolatility: vol, ...(i.sigmas === undefined ? {} : { sigmas: i.sigmas }) });
    if (t !== null && (ttl === null || t < ttl)) {
      ttl = t;
      nearestSymbol = lp.symbol;
    }
  }
  const stress = stressScenarios({ equity, collateral, positions: i.positions, ...(i.scenarios === undefined ? {} : { scenarios: i.scenarios }) });
  const worst = worstStressHealth(stress);
  const detail = riskLevelDetail({
    healthRatio: health,
    worstStressHealth: worst,
    timeToLiquidationMs: ttl,
    ...(i.thresholds === undefined ? {} : { thresholds: i.thresholds }),
  });
  const action = graduatedAction(detail.level, i.protection);
  return {
    healthRatio: health,
    maintenanceMargin: mm,
    liquidationPrices: prices,
    timeToLiquidationMs: ttl,
    nearestSymbol,
    riskLevel: detail.level,
    reasons: detail.reasons,
    action,
    protectionActions: [describeAction(action)],
    stressTestResults: stress,
    worstStressHealth: worst,
  };
}

/**
 * Our liquidation prices with the venue's where it has one for the symbol: an account already at
 * or below maintenance stays `breached`; a venue price of null means nothing liquidates that leg.
 */
export function withVenuePrices(ours: readonly LiquidationPrice[], positions: readonly MarginPosition[], venue: ReadonlyMap<string, number | null>): LiquidationPrice[] {
  const marks = new Map(positions.map((p) => [p.symbol, p.mark]));
  return ours.map((lp) => {
    const mark = marks.get(lp.symbol);
    if (!venue.has(lp.symbol) || lp.status === 'breached' || lp.direction === null || mark === undefined) return lp;
    const price = venue.get(lp.symbol) ?? null;
    if (price === null || !Number.isFinite(price) || price <= 0) return { ...lp, status: 'none', price: null, distanceFraction: null };
    return { ...lp, status: 'at_risk', price, distanceFraction: Math.abs(price - mark) / mark };
  });
}
