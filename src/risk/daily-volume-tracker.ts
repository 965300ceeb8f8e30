import { utcDay } from '../core/utc-day.js';

/**
 * Seed 003's daily volume tracker: volume and trades counted per UTC day; at the phase's volume
 * target or its `max_trades` new entries stop (exits and hedges continue). Counters live in SQLite
 * via the injected reader.
 */
export interface DailyVolumeReader {
  volumeUsd(day: string): number;
  /** The trade keys (see {@link DailyVolumeTracker.record}) that filled on `day`; a reader without it counts none. */
  tradeKeys?(day: string): Iterable<string>;
}

export interface VolumeGateResult {
  readonly allowed: boolean;
  readonly day: string;
  readonly volumeUsd: number;
  readonly targetUsd: number;
  readonly trades: number;
  readonly maxTrades: number;
  readonly reason: string;
}

export class DailyVolumeTracker {
  private day = '';
  private volume = 0;
  private readonly keys = new Set<string>();

  constructor(
    private readonly reader: DailyVolumeReader,
    private targetUsd: number,
    private maxTrades = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Counts a fill already persisted by the fill ledger. Volume counts every fill; a trade is one
   * leg of a pair opened or closed (`tradeKey`: pair, symbol and side), however many slices, fills
   * and hedges it took. Seed 003's phase 1 reads that way: 40 trades of a $500 leg are its $20,000
   * a day; counting fills would let slicing (several small orders, also seed 003) eat the limit. A
   * fill on another day than the cached one drops the cache: the next check reads that day from
   * the store, fill included.
   */
  record(ts: number, notionalUsd: number, tradeKey: string): void {
    if (utcDay(ts) === this.day) {
      this.volume += notionalUsd;
      this.keys.add(tradeKey);
    } else this.day = '';
  }

  /** The day's counters: read from the store once per day, then kept current by {@link record}. */
  private load(day: string): void {
    if (day !== this.day) {
      this.day = day;
      this.volume = this.reader.volumeUsd(day);
      this.keys.clear();
      for (const k of this.reader.tradeKeys?.(day) ?? []) this.keys.add(k);
    }
  }

  /** The phase's daily volume target and `max_trades` (seed 003: 40/150/500/1000). */
  setTarget(targetUsd: number, maxTrades = this.maxTrades): void {
    this.targetUsd = targetUsd;
    this.maxTrades = maxTrades;
  }

  /** May a new entry be opened at `ts`? (`check(ts).allowed`, without building its result.) */
  allows(ts: number): boolean {
    this.load(utcDay(ts));
    return this.open();
  }

  /**
   * Whether {@link allows} would answer false at `ts` without reading the store: `ts` falls on the
   * day already loaded and its counters are at a limit. False when the day is not loaded yet (the
   * read is left to {@link allows}, where it always happened) or is open.
   */
  knownClosed(ts: number): boolean {
    return utcDay(ts) === this.day && !this.open();
  }

  /** The loaded day's counters below both limits. */
  private open(): boolean {
    return this.volume < this.targetUsd && this.keys.size < this.maxTrades;
  }

  /** May a new entry be opened at `ts`, and why (the counters and the limit reached). */
  check(ts: number): VolumeGateResult {
    const day = utcDay(ts);
    this.load(day);
    const volumeUsd = this.volume;
    const trades = this.keys.size;
    const volumeOk = volumeUsd < this.targetUsd;
    const tradesOk = trades < this.maxTrades;
    return {
      allowed: volumeOk && tradesOk,
      day,
      volumeUsd,
      targetUsd: this.targetUsd,
      trades,
      maxTrades: this.maxTrades,
      reason: !volumeOk
        ? `daily volume target reached: $${Math.round(volumeUsd)} ≥ $${Math.round(this.targetUsd)} on ${day} (UTC)`
        : !tradesOk
          ? `daily max trades reached: ${trades} ≥ ${this.maxTrades} on ${day} (UTC)`
          : 'below daily volume target and max trades',
    };
  }
}
