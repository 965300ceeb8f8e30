import { utcDay } from '../core/utc-day.js';
import { evaluatePhaseGate, type PhaseGateResult } from '../sizing/phase-gate.js';
import type { Phases } from '../sizing/phases.js';
import { phaseWindow } from '../sizing/phase-window.js';
import type { Store } from '../store/store.js';

/** The phase gate as every surface shows it, with the window it judged. */
export type PhaseGateReading = PhaseGateResult & {
  /** When the current phase began. */
  readonly sinceTs: number;
  /** The time the gate was judged at (its "today" is still running and does not count). */
  readonly asOfTs: number;
  /** The complete UTC days whose volume and PnL were judged. */
  readonly completeDays: readonly string[];
};

/**
 * The one evaluation of a bot's current phase gate, read from SQLite: `dnbot status`,
 * `dnbot phase status`, the report and `/health` all show this, so they cannot disagree. Judged
 * at `nowTs` over the phase window (`phaseWindow`): round trips closed since the phase began,
 * every UTC day since (first day included, days without fills at zero), and the manual
 * interventions in that time. A bot that has never run is judged as phase 1 since it was created.
 * @throws Error when `botId` is not in the database.
 */
export function phaseGateFor(store: Store, botId: string, phases: Phases, nowTs: number): PhaseGateReading {
  const bot = store.bots.get(botId);
  if (!bot) throw new Error(`no bot "${botId}" in this database`);
  const state = store.phases.get(botId) ?? { phase: 1 as const, sinceTs: bot.createdTs };
  const trips = store.roundTrips
    .closedSince(botId, state.sinceTs - 1)
    .filter((t) => (t.exitTs ?? 0) < nowTs)
    .map((t) => ({ pnl: t.realizedPnl ?? 0 }));
  const w = phaseWindow(
    state.sinceTs,
    nowTs,
    // Only the phase's days count (phaseWindow): the days before it are not read.
    store.dailyVolume.history(botId, utcDay(state.sinceTs)).map((d) => ({ day: d.day, volumeUsd: d.volumeUsd, pnlUsd: d.realizedPnl - d.feesUsd })),
  );
  const gate = evaluatePhaseGate(
    {
      phase: state.phase,
      roundTrips: trips,
      days: w.days,
      dailyVolumes: w.dailyVolumes,
      dailyPnls: w.dailyPnls,
      manualInterventions: store.controls.interventionsSince(botId, state.sinceTs, nowTs),
    },
    phases,
  );
  return { ...gate, sinceTs: state.sinceTs, asOfTs: nowTs, completeDays: w.completeDays };
}
