import type { DeltaPosition } from './portfolio-delta.js';
import { planHedgeTrades, type HedgeCandidate, type HedgePlan, type HedgeTrade } from './hedge-plan.js';

/** Inputs of {@link hedgeRequirements}. USD unless stated. */
export interface HedgeRequirementsInput {
  readonly positions: readonly DeltaPosition[];
  /** Markets the engine may trade; positions outside this list count for delta but are not traded. */
  readonly hedgeInstruments: readonly HedgeCandidate[];
  /** Target delta (default 0). */
  readonly target?: number;
  /** Half-width of the no-trade band around the target, ≥ 0 (see `hedgeBands`). */
  readonly toleranceUsd: number;
  /** Depth limit from the touch, bps (default 10). */
  readonly maxSlippageBps?: number;
  readonly betaAdjusted?: boolean;
  readonly betas?: Readonly<Record<string, number>>;
  /** Open new exposure when reducing cannot restore the band (default true). */
  readonly allowOpening?: boolean;
}

/** Seed 002's `HedgeRequirements`, plus the band and the expected outcome. */
export interface HedgeRequirements {
  readonly targetDelta: number;
  readonly currentDelta: number;
  /** current − target. */
  readonly deltaDeviation: number;
  readonly toleranceUsd: number;
  /** True when no hedge is needed (|deviation| ≤ tolerance): then `requiredTrades` is empty. */
  readonly withinBand: boolean;
  /** In sending order (priority 1 first). */
  readonly requiredTrades: readonly HedgeTrade[];
  /** Fees plus slippage of all trades. */
  readonly estimatedCost: number;
  /** Seed's `market_impact`: notional-weighted slippage against the mark, bps. */
  readonly marketImpactBps: number;
  /** Seed's `confidence_score`, in [0, 1] (see {@link hedgeConfidence}). */
  readonly confidence: number;
  readonly expectedDeltaAfter: number;
  readonly expectedWithinBand: boolean;
  readonly notes: readonly string[];
}

/** Confidence lost when a trade's depth and cost could not be read from a book. */
const UNPRICED_PENALTY = 0.25;

/**
 * Confidence that the plan restores the band: 1 inside the band; otherwise the share of the
 * deviation the trades remove (1 when they reach the band), times (1 − 0.25 × share of traded
 * notional with no book to check depth and cost against).
 */
export function hedgeConfidence(plan: HedgePlan): number {
  if (plan.withinBand) return 1;
  const dev = Math.abs(plan.deltaDeviation);
  const left = Math.abs(plan.expectedDeltaAfter - plan.targetDelta);
  const progress = plan.expectedWithinBand ? 1 : Math.max(0, Math.min(1, (dev - left) / dev));
  let total = 0;
  let unpriced = 0;
  for (const t of plan.trades) {
    total += t.notionalUsd;
    if (!t.pricedFromBook) unpriced += t.notionalUsd;
  }
  return progress * (1 - UNPRICED_PENALTY * (total > 0 ? unpriced / total : 0));
}

/**
 * Seed 002's `calculate_hedge_requirements`: the trades that bring portfolio delta back to the target
 * when it has left the band. Nothing is produced inside the band. Reducing the heavier existing leg
 * (reduce-only) comes before opening new exposure; sizes are rounded down to the lot (one lot up only
 * to land inside the band), capped by book depth within `maxSlippageBps` when a book is given, and
 * meet `minSize` and `minNotional`. See `planHedgeTrades` for the exact order. Pure.
 * @throws InputError (E_INPUT_INVALID) on a bad position, instrument, beta or parameter.
 */
export function hedgeRequirements(i: HedgeRequirementsInput): HedgeRequirements {
  const plan = planHedgeTrades({
    positions: i.positions,
    candidates: i.hedgeInstruments,
    targetDeltaUsd: i.target ?? 0,
    toleranceUsd: i.toleranceUsd,
    maxSlippageBps: i.maxSlippageBps ?? 10,
    betaAdjusted: i.betaAdjusted ?? false,
    ...(i.betas === undefined ? {} : { betas: i.betas }),
    allowOpening: i.allowOpening ?? true,
    requireBook: false,
  });
  return {
    targetDelta: plan.targetDelta,
    currentDelta: plan.currentDelta,
    deltaDeviation: plan.deltaDeviation,
    toleranceUsd: i.toleranceUsd,
    withinBand: plan.withinBand,
    requiredTrades: plan.trades,
    estimatedCost: plan.estimatedCost,
    marketImpactBps: plan.marketImpactBps,
    confidence: hedgeConfidence(plan),
    expectedDeltaAfter: plan.expectedDeltaAfter,
    expectedWithinBand: plan.expectedWithinBand,
    notes: plan.notes,
  };
}
