import { InputError } from '../core/errors.js';
import { requireFinite } from '../core/validation.js';
import type { HarvestFractions } from './exit-config.js';

/**
 * The harvest ladder of a live position (seed 004, ruling 5): pure decisions over the pair's
 * return on one leg's entry notional. Harvests close the same fraction of both legs.
 */

export type TakeProfitLevel = 'tp1' | 'tp2' | 'tp3';

/** What the ladder needs from an exit plan; `ExitLevels` satisfies it. */
export interface LadderPlan {
  readonly tp1: number;
  readonly tp2: number;
  readonly tp3: number;
  readonly sl: number;
  readonly harvestScheme: { readonly fractions: HarvestFractions };
}

/** Progress of a position through its ladder; persisted so a restart resumes it. */
export interface LadderState {
  /** Take-profit levels already fired, in order: 2 means TP1 and TP2. */
  readonly levelsHit: 0 | 1 | 2 | 3;
  /** Fraction of the original position closed so far, in [0, 1]. */
  readonly closedFraction: number;
}

export type LadderAction =
  | {
      readonly kind: 'harvest';
      readonly level: TakeProfitLevel;
      /** Fraction of the ORIGINAL position to close; TP3 closes whatever remains. */
      readonly closeFraction: number;
    }
  | {
      readonly kind: 'stop';
      /** Everything that remains. */
      readonly closeFraction: number;
      /** The stop return that fired (−sl before TP1, 0 after). */
      readonly stopReturn: number;
    };

export const INITIAL_LADDER_STATE: LadderState = { levelsHit: 0, closedFraction: 0 };

/** Below this the position counts as fully closed (float dust from summing fractions). */
const CLOSED_EPSILON = 1e-9;
const TP_LEVELS = ['tp1', 'tp2', 'tp3'] as const satisfies readonly TakeProfitLevel[];

function validate(plan: LadderPlan, state: LadderState): void {
  if (!(plan.tp1 > 0 && plan.tp1 < plan.tp2 && plan.tp2 < plan.tp3 && Number.isFinite(plan.tp3))) {
    throw new InputError('plan', `levels must satisfy 0 < tp1 < tp2 < tp3, got ${plan.tp1}, ${plan.tp2}, ${plan.tp3}`);
  }
  if (!(plan.sl > 0 && Number.isFinite(plan.sl))) throw new InputError('plan.sl', `must be finite and > 0, got ${plan.sl}`);
  if (![0, 1, 2, 3].includes(state.levelsHit)) {
    throw new InputError('state.levelsHit', `must be 0, 1, 2 or 3, got ${String(state.levelsHit)}`);
  }
  if (!(state.closedFraction >= 0 && state.closedFraction <= 1)) {
    throw new InputError('state.closedFraction', `must be within [0, 1], got ${state.closedFraction}`);
  }
}

/**
 * The pair return at or below which the stop fires. Before TP1: −sl. After TP1 the stop ratchets
 * to max(−sl, break-even) = 0 and stays there (the seed is silent; a stop never loosens). Pure.
 */
export function effectiveStop(plan: Pick<LadderPlan, 'sl'>, state: Pick<LadderState, 'levelsHit'>): number {
  return state.levelsHit >= 1 ? Math.max(-plan.sl, 0) : -plan.sl;
}

/**
 * The next thing to do for a position at `pairReturn`, or null. One action per call: levels fire
 * in order and at most once, so a jump past TP2 yields TP1 now and TP2 after the caller applies
 * it (see {@link ladderActions} for all of them at once). A state replayed after a restart fires
 * nothing it already fired, because `levelsHit` says which fired.
 *
 * @throws InputError `E_INPUT_INVALID` on a non-finite return, misordered plan or corrupt state.
 */
export function nextLadderAction(plan: LadderPlan, state: LadderState, pairReturn: number): LadderAction | null {
  requireFinite('pairReturn', pairReturn);
  validate(plan, state);
  const remaining = 1 - state.closedFraction;
  if (remaining <= CLOSED_EPSILON) return null;

  const hit = state.levelsHit;
  if (hit !== 3) {
    const level = TP_LEVELS[hit];
    if (pairReturn >= plan[level]) {
      const closeFraction = level === 'tp3' ? remaining : Math.min(plan.harvestScheme.fractions[hit], remaining);
      return { kind: 'harvest', level, closeFraction };
    }
  }
  const stopReturn = effectiveStop(plan, state);
  if (pairReturn <= stopReturn) return { kind: 'stop', closeFraction: remaining, stopReturn };
  return null;
}

/**
 * The state after an action has been taken. TP3 and the stop close the position outright, so
 * float dust cannot leave a sliver open. Pure.
 */
export function applyLadderAction(state: LadderState, action: LadderAction): LadderState {
  if (action.kind === 'stop') return { levelsHit: state.levelsHit, closedFraction: 1 };
  const levelsHit = (TP_LEVELS.indexOf(action.level) + 1) as 1 | 2 | 3;
  if (levelsHit !== state.levelsHit + 1) {
    throw new InputError('action.level', `${action.level} out of order after ${state.levelsHit} level(s) hit`);
  }
  const closedFraction = levelsHit === 3 ? 1 : Math.min(1, state.closedFraction + action.closeFraction);
  return { levelsHit, closedFraction };
}

/**
 * Every action due at `pairReturn`, in order, and the state after them: a jump past TP2 gives
 * `[TP1, TP2]`. At most three: a stop and a take-profit cannot both be due at one return,
 * since every stop return is ≤ 0 < tp1. Pure.
 */
export function ladderActions(
  plan: LadderPlan,
  state: LadderState,
  pairReturn: number,
): { readonly actions: readonly LadderAction[]; readonly state: LadderState } {
  const actions: LadderAction[] = [];
  let current = state;
  let action = nextLadderAction(plan, current, pairReturn);
  while (action !== null) {
    actions.push(action);
    current = applyLadderAction(current, action);
    action = nextLadderAction(plan, current, pairReturn);
  }
  return { actions, state: current };
}
