import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { detectBreach, type PhaseBreachConfig } from '../sizing/phase-breach.js';
import { phaseParams, type PhaseParams, type Phases } from '../sizing/phases.js';
import type { PhaseState } from '../store/phase-repository.js';
import type { Store } from '../store/store.js';

/**
 * Seed 003's phase for one bot, from SQLite: operators advance it (`dnbot phase approve`); a breach
 * of the phase (loss-limit trip, or too few round trips with PnL ≥ 0) rolls it back one phase
 * automatically, logged and stored. Re-read from SQLite on every refresh so CLI changes reach a
 * running bot.
 */
export class PhaseController {
  private state: PhaseState;

  constructor(
    private readonly o: { botId: string; store: Store; clock: Clock; logger: Logger; phases: Phases; breach: PhaseBreachConfig; initialCollateral: number },
  ) {
    this.state = o.store.phases.ensure(o.botId, o.initialCollateral, o.clock.now());
  }

  refresh(): void {
    const s = this.o.store.phases.get(this.o.botId);
    if (s && (s.phase !== this.state.phase || s.sinceTs !== this.state.sinceTs)) {
      this.o.logger.info({ from: this.state.phase, to: s.phase }, 'phase changed');
    }
    if (s) this.state = s;
  }

  get phase(): PhaseState['phase'] {
    return this.state.phase;
  }

  get sinceTs(): number {
    return this.state.sinceTs;
  }

  get initialCollateral(): number {
    return this.state.initialCollateral;
  }

  params(): PhaseParams {
    return phaseParams(this.state.phase, this.o.phases);
  }

  /** Judges the phase after a round trip closes or a breaker trips; rolls back one phase on a breach. */
  checkBreach(lossLimitTripped: boolean): void {
    // A breach is judged on the last `window` round trips of the phase only: read no more than those.
    const trips = this.o.store.roundTrips.recentPnlsSince(this.o.botId, this.state.sinceTs, this.o.breach.window).map((pnl) => ({ pnl }));
    const b = detectBreach({ phase: this.state.phase, roundTrips: trips, lossLimitTripped }, this.o.breach);
    if (!b.breached) return;
    const now = this.o.clock.now();
    if (b.rollbackTo === null) {
      // Phase 1 has nothing below it; the loss-limit breakers already stop entries for the period.
      this.o.store.events.record(now, this.o.botId, 'phase_breach', { phase: this.state.phase, reasons: b.reasons, action: 'none (phase 1)' });
      return;
    }
    const from = this.state.phase;
    this.o.store.phases.change({ botId: this.o.botId, ts: now, fromPhase: from, toPhase: b.rollbackTo, kind: 'auto_rollback', reason: 'phase breach', criteria: b.reasons });
    this.o.store.events.record(now, this.o.botId, 'phase_rollback', { from, to: b.rollbackTo, reasons: b.reasons });
    this.o.logger.warn({ from, to: b.rollbackTo, reasons: b.reasons }, 'phase breached: rolled back one phase');
    this.refresh();
  }
}
