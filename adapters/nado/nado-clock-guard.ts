/**
 * The local clock against Nado's, in live mode. Nado's orders and cancels carry a nonce whose high
 * bits are a recv time, local now + `recvWindowMs` (ccxt reads our injected clock for it): a local
 * clock behind the venue's by about the window makes every order arrive expired (refused), and one
 * ahead stretches the window past what the "never placed" verdict on a lost ack assumes (recv time
 * + `archiveLagMs`, in local time), so such an order could still arrive after being called never
 * placed. The skew is measured from Nado's `time` query (against the middle of the round trip) at
 * open and again at most every `recheckMs` before an order; past `maxSkewMs` an order is refused
 * unsent, with an error naming the skew in ms.
 */
import type { Clock } from '../../src/core/clock.js';
import { VenueRejectError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';

export interface NadoClockGuardOptions {
  readonly wall: Clock;
  readonly logger: Logger;
  /** The venue's time now, ms (Nado's `time` query). */
  readonly serverTime: () => Promise<number>;
  /** Largest |local − venue| (ms) at which orders are still sent. */
  readonly maxSkewMs: number;
  /** Wall ms after which a measurement is taken again before the next order. */
  readonly recheckMs: number;
  /** The recv window (ms), named in the error. */
  readonly recvWindowMs: number;
}

/** Local − venue in ms (positive: the local clock is ahead), and when it was measured (local ms). */
export interface ClockSkew {
  readonly skewMs: number;
  readonly at: number;
}

export class NadoClockGuard {
  private last: ClockSkew | null = null;
  private pending: Promise<ClockSkew | null> | null = null;

  constructor(private readonly o: NadoClockGuardOptions) {}

  /** The last measurement, or null before the first one succeeded. */
  get skew(): ClockSkew | null {
    return this.last;
  }

  /**
   * Measures the skew now (one `time` query); logs an error when it is past the limit. A failed
   * query keeps the previous measurement (null when none): it is logged, never thrown.
   */
  measure(): Promise<ClockSkew | null> {
    this.pending ??= this.measureOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /**
   * Before an order is signed: measured again when the last measurement is older than `recheckMs`.
   * @throws VenueRejectError (E_VENUE_REJECTED, `details.clockSkewMs`) when |local − venue| exceeds `maxSkewMs`.
   */
  async check(clientOrderId: string): Promise<void> {
    const now = this.o.wall.now();
    // |elapsed|: a clock stepped back must not postpone the next measurement.
    const s = this.last === null || Math.abs(now - this.last.at) >= this.o.recheckMs ? await this.measure() : this.last;
    if (s === null || Math.abs(s.skewMs) <= this.o.maxSkewMs) return;
    throw new VenueRejectError(`nado: not sent: ${describeSkew(s.skewMs, this.o.maxSkewMs, this.o.recvWindowMs)}`, { clientOrderId, clockSkewMs: s.skewMs });
  }

  private async measureOnce(): Promise<ClockSkew | null> {
    try {
      const sent = this.o.wall.now();
      const server = await this.o.serverTime();
      const received = this.o.wall.now();
      if (!Number.isFinite(server) || server <= 0) throw new Error(`no server time in the answer (${String(server)})`);
      const s = { skewMs: Math.round((sent + received) / 2 - server), at: received };
      this.last = s;
      if (Math.abs(s.skewMs) > this.o.maxSkewMs) this.o.logger.error({ clockSkewMs: s.skewMs }, `nado: ${describeSkew(s.skewMs, this.o.maxSkewMs, this.o.recvWindowMs)}`);
      return s;
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'nado: clock skew not measured (the time query failed)');
      return this.last;
    }
  }
}

/** The skew in words: how far, which way, what it breaks, what to do. */
export function describeSkew(skewMs: number, maxSkewMs: number, recvWindowMs: number): string {
  const what =
    skewMs < 0
      ? `orders signed now would reach the venue after their ${recvWindowMs} ms recv window and be refused`
      : 'an order whose ack is lost could still arrive after it is called never placed';
  return `the local clock is ${Math.abs(skewMs)} ms ${skewMs < 0 ? 'behind' : 'ahead of'} Nado's (limit ${maxSkewMs} ms): ${what}; sync the system clock (NTP)`;
}
