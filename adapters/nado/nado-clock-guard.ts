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
import { ClockSkewGuard } from '../../src/core/clock-skew-guard.js';
import type { Logger } from '../../src/core/logger.js';

export type { ClockSkew } from '../../src/core/clock-skew-guard.js';

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

/** Nado's `time` query as the reference of the shared {@link ClockSkewGuard}. */
export class NadoClockGuard extends ClockSkewGuard {
  constructor(o: NadoClockGuardOptions) {
    super({
      wall: o.wall,
      logger: o.logger,
      venue: 'nado',
      reference: o.serverTime,
      referenceName: 'server time',
      missingReason: 'no server time in the answer (null)',
      queryName: 'the time query',
      maxSkewMs: o.maxSkewMs,
      recheckMs: o.recheckMs,
      describe: (skewMs) => describeSkew(skewMs, o.maxSkewMs, o.recvWindowMs),
    });
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
