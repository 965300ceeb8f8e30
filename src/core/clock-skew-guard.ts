/**
 * The local clock against a venue's reference time, in live mode: measured against the middle of
 * the query's round trip at open and again at most every `recheckMs` before an order; past
 * `maxSkewMs` the order is refused unsent, with an error naming the skew in ms. Concurrent callers
 * share one measurement; a failed query keeps the previous one (logged, never thrown). Each venue
 * supplies its reference query and what the skew breaks there (adapters/nado, adapters/drift).
 */
import type { Clock } from './clock.js';
import { VenueRejectError } from './errors.js';
import type { Logger } from './logger.js';

/** Local − venue in ms (positive: the local clock is ahead), and when it was measured (local ms). */
export interface ClockSkew {
  readonly skewMs: number;
  readonly at: number;
}

export interface ClockSkewGuardOptions {
  readonly wall: Clock;
  readonly logger: Logger;
  /** The venue's name in messages ("nado", "drift"). */
  readonly venue: string;
  /** The venue's time now, ms; null when the venue serves none. */
  readonly reference: () => Promise<number | null>;
  /** What the reference is called in errors: "server time", "block time". */
  readonly referenceName: string;
  /** Why a null reference is missing, for the log. */
  readonly missingReason: string;
  /** What the failed query is called in the log: "the time query". */
  readonly queryName: string;
  /** Largest |local − venue| (ms) at which orders are still sent. */
  readonly maxSkewMs: number;
  /** Wall ms after which a measurement is taken again before the next order. */
  readonly recheckMs: number;
  /** The skew in words: how far, which way, what it breaks, what to do. */
  readonly describe: (skewMs: number) => string;
}

export class ClockSkewGuard {
  private last: ClockSkew | null = null;
  private pending: Promise<ClockSkew | null> | null = null;

  constructor(private readonly g: ClockSkewGuardOptions) {}

  /** The last measurement, or null before the first one succeeded. */
  get skew(): ClockSkew | null {
    return this.last;
  }

  /** Measures the skew now (concurrent callers share it); logs an error past the limit. */
  measure(): Promise<ClockSkew | null> {
    this.pending ??= this.measureOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /**
   * Before an order is sent: measured again when the last measurement is older than `recheckMs`.
   * @throws VenueRejectError (E_VENUE_REJECTED, `details.clockSkewMs`) when |local − venue| exceeds `maxSkewMs`.
   */
  async check(clientOrderId: string): Promise<void> {
    const now = this.g.wall.now();
    // |elapsed|: a clock stepped back must not postpone the next measurement.
    const s = this.last === null || Math.abs(now - this.last.at) >= this.g.recheckMs ? await this.measure() : this.last;
    if (s === null || Math.abs(s.skewMs) <= this.g.maxSkewMs) return;
    throw new VenueRejectError(`${this.g.venue}: not sent: ${this.g.describe(s.skewMs)}`, { clientOrderId, clockSkewMs: s.skewMs });
  }

  private async measureOnce(): Promise<ClockSkew | null> {
    try {
      const sent = this.g.wall.now();
      const reference = await this.g.reference();
      const received = this.g.wall.now();
      if (reference === null) throw new Error(this.g.missingReason);
      if (!Number.isFinite(reference) || reference <= 0) throw new Error(`no ${this.g.referenceName} in the answer (${String(reference)})`);
      const s = { skewMs: Math.round((sent + received) / 2 - reference), at: received };
      this.last = s;
      if (Math.abs(s.skewMs) > this.g.maxSkewMs) this.g.logger.error({ clockSkewMs: s.skewMs }, `${this.g.venue}: ${this.g.describe(s.skewMs)}`);
      return s;
    } catch (err) {
      this.g.logger.warn({ err: (err as Error).message }, `${this.g.venue}: clock skew not measured (${this.g.queryName} failed)`);
      return this.last;
    }
  }
}
