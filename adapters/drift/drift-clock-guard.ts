/**
 * The local clock against the chain's, in live mode. Drift orders carry no wall-clock expiry from
 * us, but the order-event backfill after a disconnect starts its window from local times and
 * compares them with block times: a local clock far ahead of the chain's skips the fills of the gap
 * it recovers, and one far behind re-reads more than it needs. The doctor checks the skew once at
 * start; this guard measures it again (the block time of the current slot, against the middle of
 * the round trip) at most every `recheckMs` before an order, and past `maxSkewMs` the order is
 * refused unsent, with an error naming the skew in ms. Cancels are never checked.
 */
import type { Clock } from '../../src/core/clock.js';
import { VenueRejectError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';

export interface DriftClockGuardOptions {
  readonly wall: Clock;
  readonly logger: Logger;
  /** The block time of the current slot, ms (s resolution); null when the RPC serves none. */
  readonly blockTime: () => Promise<number | null>;
  /** Largest |local − block time| (ms) at which orders are still sent (`drift.maxClockSkewMs`). */
  readonly maxSkewMs: number;
  /** Wall ms after which a measurement is taken again before the next order (`drift.clockCheckMs`). */
  readonly recheckMs: number;
}

/** Local − chain in ms (positive: the local clock is ahead), and when it was measured (local ms). */
export interface DriftClockSkew {
  readonly skewMs: number;
  readonly at: number;
}

export class DriftClockGuard {
  private last: DriftClockSkew | null = null;
  private pending: Promise<DriftClockSkew | null> | null = null;

  constructor(private readonly o: DriftClockGuardOptions) {}

  /** The last measurement, or null before the first one succeeded. */
  get skew(): DriftClockSkew | null {
    return this.last;
  }

  /**
   * Measures the skew now (one slot and one block-time query; concurrent callers share it); logs
   * an error past the limit. A failed query keeps the previous measurement (null when none): it is
   * logged, never thrown.
   */
  measure(): Promise<DriftClockSkew | null> {
    this.pending ??= this.measureOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /**
   * Before an order is sent: measured again when the last measurement is older than `recheckMs`.
   * @throws VenueRejectError (E_VENUE_REJECTED, `details.clockSkewMs`) when |local − chain| exceeds `maxSkewMs`.
   */
  async check(clientOrderId: string): Promise<void> {
    const now = this.o.wall.now();
    // |elapsed|: a clock stepped back must not postpone the next measurement.
    const s = this.last === null || Math.abs(now - this.last.at) >= this.o.recheckMs ? await this.measure() : this.last;
    if (s === null || Math.abs(s.skewMs) <= this.o.maxSkewMs) return;
    throw new VenueRejectError(`drift: not sent: ${describeDriftSkew(s.skewMs, this.o.maxSkewMs)}`, { clientOrderId, clockSkewMs: s.skewMs });
  }

  private async measureOnce(): Promise<DriftClockSkew | null> {
    try {
      const sent = this.o.wall.now();
      const block = await this.o.blockTime();
      const received = this.o.wall.now();
      if (block === null) throw new Error('the RPC served no block time for the current slot');
      if (!Number.isFinite(block) || block <= 0) throw new Error(`no block time in the answer (${String(block)})`);
      const s = { skewMs: Math.round((sent + received) / 2 - block), at: received };
      this.last = s;
      if (Math.abs(s.skewMs) > this.o.maxSkewMs) this.o.logger.error({ clockSkewMs: s.skewMs }, `drift: ${describeDriftSkew(s.skewMs, this.o.maxSkewMs)}`);
      return s;
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'drift: clock skew not measured (the block-time query failed)');
      return this.last;
    }
  }
}

/** The skew in words: how far, which way, what it breaks, what to do. */
export function describeDriftSkew(skewMs: number, maxSkewMs: number): string {
  const what =
    skewMs > 0
      ? 'a backfill after a disconnect would start after the fills it must recover and skip them'
      : 'backfills after a disconnect would be windowed from the wrong times';
  return `the local clock is ${Math.abs(skewMs)} ms ${skewMs < 0 ? 'behind' : 'ahead of'} the chain's block time (limit ${maxSkewMs} ms, drift.maxClockSkewMs): ${what}; sync the system clock (NTP)`;
}
