import { utcDay } from '../core/utc-day.js';

/**
 * Seed 003's daily volume tracker: volume counted per UTC day; at the phase target new entries
 * stop (exits and hedges continue). Counters live in SQLite via the injected reader.
 */
export interface DailyVolumeReader {
  volumeUsd(day: string): number;
}

export interface VolumeGateResult {
  readonly allowed: boolean;
  readonly day: string;
  readonly volumeUsd: number;
  readonly targetUsd: number;
  readonly reason: string;
}

export class DailyVolumeTracker {
  private day = '';
  private volume = 0;

  constructor(
    private readonly reader: DailyVolumeReader,
    private targetUsd: number,
  ) {}

  /**
   * Counts a fill already persisted by the fill ledger. A fill on another day than the cached one
   * drops the cache: the next check reads that day from the store, fill included.
   */
  record(ts: number, notionalUsd: number): void {
    if (utcDay(ts) === this.day) this.volume += notionalUsd;
    else this.day = '';
  }

  /** The day's volume: read from the store once per day, then kept current by {@link record}. */
  private volumeOn(day: string): number {
    if (day !== this.day) {
      this.day = day;
      this.volume = this.reader.volumeUsd(day);
    }
    return this.volume;
  }

  setTarget(targetUsd: number): void {
    this.targetUsd = targetUsd;
  }

  /** May a new entry be opened at `ts`? */
  check(ts: number): VolumeGateResult {
    const day = utcDay(ts);
    const volumeUsd = this.volumeOn(day);
    const allowed = volumeUsd < this.targetUsd;
    return {
      allowed,
      day,
      volumeUsd,
      targetUsd: this.targetUsd,
      reason: allowed
        ? 'below daily volume target'
        : `daily volume target reached: $${Math.round(volumeUsd)} ≥ $${Math.round(this.targetUsd)} on ${day} (UTC)`,
    };
  }
}
