import type { Clock } from '../core/clock.js';
import type { DailyVolumeTracker } from '../risk/daily-volume-tracker.js';
import type { BotControls } from './bot-controls.js';
import type { EntryRefusals } from './entry-refusals.js';

/**
 * The cheap gates a bot's entry meets before it is sized, in this order: an operator's halt, the
 * liquidation monitor's protection, an active loss-limit breaker, a stale feed, the day's volume
 * target. Nothing after them can change their answer, so they read the controls one by one and
 * the controls' snapshot is built only once they all pass. A refusal is journaled through
 * {@link EntryRefusals} (once per check per UTC day).
 *
 * {@link onlyRepeat} answers beforehand when {@link refuse} could do nothing but repeat the day's
 * volume refusal: it lists the same gates, so a gate added to one belongs in the other.
 */
export class EntryGates {
  constructor(
    private readonly o: {
      readonly controls: BotControls;
      readonly volume: DailyVolumeTracker;
      readonly refusals: EntryRefusals;
      readonly clock: Clock;
      readonly feedPaused?: () => string | null;
    },
  ) {}

  /** Why the daily volume gate refuses now (built only when a refusal is journaled). */
  private readonly volumeReason = (): string => this.o.volume.check(this.o.clock.now()).reason;

  /** Refuses at the first closed gate (journaled) and answers true; false when all are open. */
  refuse(now: number): boolean {
    const { controls, refusals } = this.o;
    const halted = controls.haltReason();
    if (halted !== null) return refused(refusals, 'halt', `entries halted: ${halted}`);
    const protection = controls.protectionReason();
    if (protection !== null) return refused(refusals, 'risk_level', protection);
    if (controls.lossLimits.hasActive()) return refused(refusals, 'circuit_breaker', controls.lossLimits.reasons().join('; '));
    const feed = this.o.feedPaused?.() ?? null;
    if (feed !== null) return refused(refusals, 'stale_feed', feed);
    // A day at its volume target refuses every entry signal until midnight: its reason (a string
    // built from live numbers) is written out only when the refusal is journaled.
    if (!this.o.volume.allows(now)) return refused(refusals, 'daily_volume', this.volumeReason);
    return false;
  }

  /**
   * Whether an entry at `now` could only repeat the day's volume refusal, already journaled: the
   * day's volume gate closed with its counters loaded, the last refusal journaled today that one,
   * no gate ahead of it closed, and no multiplier recalculation due (which the entry would run
   * first). No side effect: the day's counters are not read here, so {@link refuse} still reads
   * them where it always did.
   */
  onlyRepeat(now: number): boolean {
    return (
      this.o.volume.knownClosed(now) &&
      this.o.refusals.repeats('daily_volume', now) &&
      this.o.controls.entryUnhindered(now) &&
      (this.o.feedPaused?.() ?? null) === null
    );
  }
}

function refused(refusals: EntryRefusals, check: string, why: string | (() => string)): true {
  refusals.refuse(check, why);
  return true;
}
