import { requireNonNegative, requirePositive } from '../core/validation.js';
import { DEFAULT_PHASES, phaseParams, type Phases } from './phases.js';

export interface ProgressiveNotionalInput {
  /** Notional per leg configured for phase 1 at the initial collateral, USD (> 0). */
  readonly initialNotional: number;
  /** Collateral when sizing started, USD (> 0). */
  readonly initialCollateral: number;
  /** Collateral now, USD (≥ 0). Below the initial collateral the notional shrinks with it. */
  readonly currentCollateral: number;
  /** Phase 1–4. */
  readonly phase: number;
}

/**
 * Seed 003's progressive sizer: `initialNotional × min(phaseMultiplier, currentCollateral /
 * initialCollateral)`, phase multipliers 1 / 1.5 / 2.5 / 5 by default. A phase only raises the
 * ceiling; size grows only as collateral does (compounded profits), and shrinks after losses.
 * The base of ruling 4's sizing pipeline, before the risk multiplier and the caps.
 * @throws InputError (E_INPUT_INVALID) on a non-positive or non-finite initial notional or
 * initial collateral, a negative or non-finite current collateral, or an unknown phase.
 */
export function progressiveNotional(i: ProgressiveNotionalInput, phases: Phases = DEFAULT_PHASES): number {
  const initialNotional = requirePositive('initialNotional', i.initialNotional);
  const initialCollateral = requirePositive('initialCollateral', i.initialCollateral);
  const currentCollateral = requireNonNegative('currentCollateral', i.currentCollateral);
  const { growthMultiplier } = phaseParams(i.phase, phases);
  const growthFactor = currentCollateral / initialCollateral;
  // Finite: both operands are finite and initialCollateral > 0; a tiny initial collateral can
  // overflow the ratio to Infinity, which min() then drops in favour of the phase multiplier.
  return initialNotional * Math.min(growthMultiplier, growthFactor);
}
