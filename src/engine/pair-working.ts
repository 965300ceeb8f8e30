import type { OrderPurpose, Side, SizingStep } from '../core/types.js';
import type { RoundTrip } from '../store/round-trip-repository.js';

export interface PairExecutionConfig {
  readonly entryTimeoutMs: number;
  readonly exitTimeoutMs: number;
  readonly maxSlippageBps: number;
  readonly maxRequotes: number;
  /** Tolerated hedge imbalance as a fraction of the pair's target notional. */
  readonly imbalanceTolerance: number;
  /** Largest notional per leg of one slice of an entry or exit: a leg runs ahead of the other by at most one. */
  readonly sliceUsd: number;
  /** Unhedged notional above which the lagging leg crosses by IOC at once. */
  readonly nakedMaxUsd: number;
  /** How long an unhedged notional may wait for a post-only hedge before the lagging leg crosses. */
  readonly nakedMaxMs: number;
  /** Times a non-urgent reduction's post-only orders are re-posted at the touch before IOC (volume mode); absent = 0. */
  readonly exitReposts?: number | undefined;
  /** |net delta| ÷ gross of an open pair above which a post-only order brings the legs back together; absent or 0 = off. */
  readonly driftShare?: number | undefined;
  /** How long that order rests before it is re-posted at the new touch; absent = 30 s. */
  readonly driftRestMs?: number | undefined;
}

export type WorkingPhase = 'posting' | 'cancelling' | 'escalating' | 'backoff';

/** A reduction in progress (exit or harvest): the absolute size each leg must come down to. */
export interface Reduction {
  readonly targets: ReadonlyMap<string, number>;
  /** `manual`: an operator's rebalance. */
  readonly purpose: 'exit' | 'harvest' | 'manual';
  /** True when the pair is flat at the end (an exit, or the last harvest). */
  readonly final: boolean;
}

/** One leg of a sliced, hedged transition: from `start` towards `start ∓ total`, by `side` orders. */
export interface BalanceLegState {
  readonly symbol: string;
  readonly side: Side;
  /** Absolute position size when the transition started. */
  readonly start: number;
  /** Absolute size the transition moves. */
  readonly total: number;
  readonly trace: readonly SizingStep[];
}

/**
 * A transition worked leg against leg (hedge on fill), slice by slice. Held in memory; a restart
 * rebuilds it from the pair's orders and the positions (`pair-resume.ts`).
 */
export interface Balance {
  readonly legs: readonly [BalanceLegState, BalanceLegState];
  readonly purpose: OrderPurpose;
  readonly reduceOnly: boolean;
  /** Slices cross by IOC on both legs together (urgent or escalated reductions). */
  readonly cross: boolean;
  sliceEnd: number;
  nakedSince: number | null;
  /** Crossing mode: IOC rounds in a row that moved nothing (a book that cannot take them). */
  misses: number;
  /** Crossing mode: the legs' summed progress when the last IOCs were sent. */
  lastProgress: number | null;
  /** Crossing mode: gave up on slices after too many misses; the caller escalates. */
  stalled: boolean;
}

/** The pair executor's state for the pair it is working. */
export interface Working {
  rt: RoundTrip;
  phase: WorkingPhase;
  deadline: number;
  /** Escalation step: 0–2 = IOC within the slippage cap from the current touch, 3 = back off loudly and go again. */
  step: number;
  requotes: number;
  reduce: Reduction | null;
  /** Market time before which an open pair is not re-trimmed. */
  nextRebalanceTs: number;
  /** Failed rounds of a reduction's escalation (each ends in a backoff before the next). */
  rounds: number;
  /** A hedge sent and not yet measured. */
  pendingHedge: { deltaBefore: number } | null;
  /** Post-only re-posts left to the current non-urgent reduction before it escalates to IOC. */
  reposts: number;
  /** The sliced, hedged entry or reduction in progress, if any. */
  balance: Balance | null;
  /** An entry cut by a restart, rebuilt from SQLite: its slicing resumes once the old orders are cancelled. */
  resume: readonly BalanceLegState[] | null;
  /** The reduction's current stage leaves a tail on one leg for a stage of its own (`reductionStage`). */
  staged: boolean;
  /**
   * A reduction that found orders working (a drift rebalance resting, a harvest it takes over)
   * cancels them first, then starts as it was asked: post-only slices, or IOC slices (`cross`).
   */
  clearing: 'post' | 'cross' | null;
  /**
   * The open pair has been reduced (harvested, cut, rebalanced to smaller legs): the drift
   * rebalancer trims its heavy leg instead of adding to the light one, which would take a leg back
   * above its harvest target (and ExitBrain would take it off again, by IOC).
   */
  reduced: boolean;
}

export function newWorking(rt: RoundTrip, phase: WorkingPhase, deadline: number): Working {
  return { rt, phase, deadline, step: 0, requotes: 0, reduce: null, nextRebalanceTs: 0, rounds: 0, pendingHedge: null, reposts: 0, balance: null, resume: null, staged: false, clearing: null, reduced: false };
}

export const REBALANCE_INTERVAL_MS = 5_000;
export const REDUCTION_BACKOFF_MS = 10_000;
