import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative } from '../core/validation.js';
import { DEFAULT_PHASES, requirePhase, type PhaseNumber, type Phases } from './phases.js';

/** A closed round trip, as the gate sees it: its PnL in USD, net of fees. */
export interface RoundTripPnl {
  readonly pnl: number;
}

export interface PhaseGateInput {
  /** The phase the bot is in. */
  readonly phase: number;
  /** Round trips closed in the phase window, oldest first. */
  readonly roundTrips: readonly RoundTripPnl[];
  /**
   * UTC days the phase has lived (its first, partial day included; see `phaseWindow`). Defaults
   * to the number of complete days given.
   */
  readonly days?: number;
  /** Volume per complete UTC day of the window, USD, oldest first (0 on a day without fills). */
  readonly dailyVolumes: readonly number[];
  /** PnL per complete UTC day of the window, USD, aligned with `dailyVolumes`. */
  readonly dailyPnls: readonly number[];
  /** Manual interventions counted in the window. */
  readonly manualInterventions: number;
}

export type GateCriterionName = 'days' | 'round_trips' | 'non_negative_pnl_share' | 'daily_volume' | 'manual_interventions' | 'daily_profit';

export interface GateCriterion {
  readonly name: GateCriterionName;
  readonly actual: number;
  readonly required: number;
  /** How `actual` must compare to `required`. */
  readonly comparison: '>=' | '<=';
  readonly met: boolean;
}

export interface PhaseGateResult {
  /** Every criterion met and a next phase exists. Promotion still needs an operator's approval (ruling 7). */
  readonly ready: boolean;
  readonly phase: PhaseNumber;
  /** `null` in phase 4: there is nothing to promote to. */
  readonly nextPhase: PhaseNumber | null;
  readonly criteria: readonly GateCriterion[];
}

/**
 * Seed 003's phase gate (ruling 7): over the phase window, at least `minDays` days and
 * `minRoundTrips` round trips; ≥ 95% of round trips with PnL ≥ 0; mean volume of the complete days
 * ≥ the phase's daily target; manual interventions ≤ 0; mean daily PnL of the complete days ≥ the
 * low end of the seed's daily profit range (the high end is a projection, not a ceiling).
 * "Daily volume: $20,000+" is read as the mean of the complete days: the daily volume tracker
 * stops entries at the target, so the mean reaches it only when nearly every day does, and a day
 * without fills (0) pulls it down; the lowest day would let one partial or halted day stand for
 * the whole window. Pure: the caller supplies the window's data and asks an operator before
 * promoting.
 * @throws InputError (E_INPUT_INVALID) on an unknown phase, a non-finite PnL or volume, a negative
 * volume or intervention count, or daily arrays of different lengths.
 */
export function evaluatePhaseGate(i: PhaseGateInput, phases: Phases = DEFAULT_PHASES): PhaseGateResult {
  const phase = requirePhase(i.phase);
  const c = phases[phase].successCriteria;
  const target = phases[phase].dailyVolumeTargetUsd;
  if (i.dailyVolumes.length !== i.dailyPnls.length) {
    throw new InputError('dailyPnls', `must have one entry per day of dailyVolumes (${i.dailyVolumes.length}), got ${i.dailyPnls.length}`);
  }
  i.roundTrips.forEach((t, k) => requireFinite(`roundTrips[${k}].pnl`, t.pnl));
  i.dailyVolumes.forEach((v, k) => requireNonNegative(`dailyVolumes[${k}]`, v));
  i.dailyPnls.forEach((v, k) => requireFinite(`dailyPnls[${k}]`, v));
  const interventions = requireNonNegative('manualInterventions', i.manualInterventions);

  const completeDays = i.dailyVolumes.length;
  const days = i.days === undefined ? completeDays : requireNonNegative('days', i.days);
  const trips = i.roundTrips.length;
  const nonNegative = i.roundTrips.filter((t) => t.pnl >= 0).length;
  const share = trips > 0 ? nonNegative / trips : 0;
  const meanVolume = completeDays > 0 ? i.dailyVolumes.reduce((a, b) => a + b, 0) / completeDays : 0;
  const meanPnl = completeDays > 0 ? i.dailyPnls.reduce((a, b) => a + b, 0) / completeDays : 0;

  const atLeast = (name: GateCriterionName, actual: number, required: number, hasData = true): GateCriterion => ({
    name,
    actual,
    required,
    comparison: '>=',
    met: hasData && actual >= required,
  });
  const criteria: GateCriterion[] = [
    atLeast('days', days, c.minDays),
    atLeast('round_trips', trips, c.minRoundTrips),
    atLeast('non_negative_pnl_share', share, c.minNonNegativeShare, trips > 0),
    atLeast('daily_volume', meanVolume, target, completeDays > 0),
    {
      name: 'manual_interventions',
      actual: interventions,
      required: c.maxManualInterventions,
      comparison: '<=',
      met: interventions <= c.maxManualInterventions,
    },
    atLeast('daily_profit', meanPnl, c.dailyProfitUsd.min, completeDays > 0),
  ];
  const nextPhase = phase < 4 ? ((phase + 1) as PhaseNumber) : null;
  return { ready: nextPhase !== null && criteria.every((x) => x.met), phase, nextPhase, criteria };
}
