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
  constructor(
    private readonly reader: DailyVolumeReader,
    private targetUsd: number,
  ) {}

  setTarget(targetUsd: number): void {
    this.targetUsd = targetUsd;
  }

  /** May a new entry be opened at `ts`? */
  check(ts: number): VolumeGateResult {
    const day = utcDay(ts);
    const volumeUsd = this.reader.volumeUsd(day);
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
