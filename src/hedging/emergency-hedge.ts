import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative, requirePositive } from '../core/validation.js';
import { planHedgeTrades, type HedgeTrade } from './hedge-plan.js';
import { portfolioDeltaUsd } from './portfolio-delta.js';
import type { HedgeRequirementsInput } from './hedge-requirements.js';

/** Inputs of {@link emergencyHedge}: those of `hedgeRequirements` plus the emergency band and trade cap. */
export interface EmergencyHedgeInput extends HedgeRequirementsInput {
  /** Half-width of the emergency band around the target, USD, ≥ `toleranceUsd`. */
  readonly emergencyToleranceUsd: number;
  /** Most trades to send (default 5, seed 002's `emergency_hedge(max_trades=5)`). */
  readonly maxTrades?: number;
}

/** Seed 002's `EmergencyHedgeResult`. USD unless stated. */
export interface EmergencyHedge {
  /** True when |deviation| > emergencyToleranceUsd; otherwise `trades` is empty. */
  readonly triggered: boolean;
  readonly targetDelta: number;
  readonly currentDelta: number;
  readonly deltaDeviation: number;
  readonly toleranceUsd: number;
  readonly emergencyToleranceUsd: number;
  /** At most `maxTrades`, each capped by book depth within the slippage limit. */
  readonly trades: readonly HedgeTrade[];
  readonly expectedDeltaAfter: number;
  /** True when the trades bring delta back inside the NORMAL band. */
  readonly expectedWithinBand: boolean;
  readonly estimatedCost: number;
  readonly marketImpactBps: number;
  readonly notes: readonly string[];
}

/**
 * Seed 002's `emergency_hedge`: when delta has left the emergency band, the trades that steer it
 * back toward the target (stopping once inside the normal band), bounded by `maxTrades`. Each trade
 * is capped by its book's depth within `maxSlippageBps`; a market without a book is skipped (depth
 * unknown). Same order as `hedgeRequirements`: reduce the heavier leg first, then open. Pure.
 * @throws InputError (E_INPUT_INVALID) on bad input, `maxTrades` not an integer ≥ 1, or an
 * emergency band narrower than the normal band.
 */
export function emergencyHedge(i: EmergencyHedgeInput): EmergencyHedge {
  const maxTrades = i.maxTrades ?? 5;
  if (!(Number.isInteger(maxTrades) && maxTrades >= 1)) throw new InputError('maxTrades', `must be an integer ≥ 1, got ${String(maxTrades)}`);
  const tol = requireNonNegative('toleranceUsd', i.toleranceUsd);
  const emergencyTol = requireNonNegative('emergencyToleranceUsd', i.emergencyToleranceUsd);
  if (emergencyTol < tol) throw new InputError('emergencyToleranceUsd', `must be ≥ toleranceUsd (${tol}), got ${emergencyTol}`);
  const common = {
    positions: i.positions,
    candidates: i.hedgeInstruments,
    targetDeltaUsd: i.target ?? 0,
    maxSlippageBps: i.maxSlippageBps ?? 10,
    betaAdjusted: i.betaAdjusted ?? false,
    ...(i.betas === undefined ? {} : { betas: i.betas }),
    allowOpening: i.allowOpening ?? true,
    maxTrades,
    requireBook: true,
  };
  // Measure against the emergency band first: inside it, nothing is sent.
  const probe = planHedgeTrades({ ...common, toleranceUsd: emergencyTol });
  const triggered = !probe.withinBand;
  const plan = triggered ? planHedgeTrades({ ...common, toleranceUsd: tol }) : probe;
  return {
    triggered,
    targetDelta: plan.targetDelta,
    currentDelta: plan.currentDelta,
    deltaDeviation: plan.deltaDeviation,
    toleranceUsd: tol,
    emergencyToleranceUsd: emergencyTol,
    trades: triggered ? plan.trades : [],
    expectedDeltaAfter: triggered ? plan.expectedDeltaAfter : plan.currentDelta,
    expectedWithinBand: Math.abs((triggered ? plan.expectedDeltaAfter : plan.currentDelta) - plan.targetDelta) <= tol,
    estimatedCost: triggered ? plan.estimatedCost : 0,
    marketImpactBps: triggered ? plan.marketImpactBps : 0,
    notes: plan.notes,
  };
}

/**
 * `emergencyHedge(i).triggered`, without building or checking the hedge candidates: the same
 * checks of the bands, positions and betas, the same delta (the candidates carry no betas of their
 * own here), the same comparison. A caller that acts only on a triggered hedge skips building its
 * candidates (the books' levels) every evaluation while delta is inside the emergency band. Pure.
 * @throws InputError (E_INPUT_INVALID) on what `emergencyHedge` refuses, candidates aside.
 */
export function emergencyHedgeTriggered(i: Omit<EmergencyHedgeInput, 'hedgeInstruments'>): boolean {
  const maxTrades = i.maxTrades ?? 5;
  if (!(Number.isInteger(maxTrades) && maxTrades >= 1)) throw new InputError('maxTrades', `must be an integer ≥ 1, got ${String(maxTrades)}`);
  requireNonNegative('toleranceUsd', i.toleranceUsd);
  const emergencyTol = requireNonNegative('emergencyToleranceUsd', i.emergencyToleranceUsd);
  if (emergencyTol < i.toleranceUsd) throw new InputError('emergencyToleranceUsd', `must be ≥ toleranceUsd (${i.toleranceUsd}), got ${emergencyTol}`);
  const target = requireFinite('targetDeltaUsd', i.target ?? 0);
  requirePositive('maxSlippageBps', i.maxSlippageBps ?? 10);
  const deltaUsd = portfolioDeltaUsd(i.positions, i.betaAdjusted ?? false, i.betas);
  return !(Math.abs(deltaUsd - target) <= emergencyTol);
}

