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
import { ClockSkewGuard } from '../../src/core/clock-skew-guard.js';
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

/** The chain's block time as the reference of the shared {@link ClockSkewGuard}. */
export class DriftClockGuard extends ClockSkewGuard {
  constructor(o: DriftClockGuardOptions) {
    super({
      wall: o.wall,
      logger: o.logger,
      venue: 'drift',
      reference: o.blockTime,
      referenceName: 'block time',
      missingReason: 'the RPC served no block time for the current slot',
      queryName: 'the block-time query',
      maxSkewMs: o.maxSkewMs,
      recheckMs: o.recheckMs,
      describe: (skewMs) => describeDriftSkew(skewMs, o.maxSkewMs),
    });
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
