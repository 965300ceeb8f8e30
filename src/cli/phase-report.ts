import { evaluatePhaseGate, type PhaseGateResult } from '../sizing/phase-gate.js';
import type { Phases } from '../sizing/phases.js';
import { utcDay } from '../core/utc-day.js';
import type { Store } from '../store/store.js';

/**
 * Judges a bot's current phase gate from SQLite: round trips closed since the phase began, the
 * complete UTC days of the window (volume and PnL net of fees) and the manual interventions.
 */
export function phaseGateFor(store: Store, botId: string, phases: Phases, nowTs: number): PhaseGateResult & { sinceTs: number } {
  const state = store.phases.get(botId);
  if (!state) throw new Error(`bot ${botId} has no phase yet (it has never run)`);
  const trips = store.roundTrips.closedSince(botId, state.sinceTs - 1).map((t) => ({ pnl: t.realizedPnl ?? 0 }));
  const firstDay = utcDay(state.sinceTs);
  const today = utcDay(nowTs);
  // Only complete days count: the phase's first (partial) day and today are left out.
  const days = store.dailyVolume.history(botId).filter((d) => d.day > firstDay && d.day < today);
  const gate = evaluatePhaseGate(
    {
      phase: state.phase,
      roundTrips: trips,
      dailyVolumes: days.map((d) => d.volumeUsd),
      dailyPnls: days.map((d) => d.realizedPnl - d.feesUsd),
      manualInterventions: store.controls.interventionsSince(botId, state.sinceTs),
    },
    phases,
  );
  return { ...gate, sinceTs: state.sinceTs };
}
