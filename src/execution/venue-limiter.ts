import PQueue from 'p-queue';
import type { Clock } from '../core/clock.js';

/** Request classes, highest priority first. Cancels and hedges go ahead of new entries. */
export type RequestClass = 'cancel' | 'hedge' | 'exit' | 'entry' | 'query';

const PRIORITY: Readonly<Record<RequestClass, number>> = {
  cancel: 40,
  hedge: 30,
  exit: 20,
  query: 15,
  entry: 10,
};

export interface VenueLimiterOptions {
  readonly clock: Clock;
  /** Sustained weight per second (the venue's published limit). */
  readonly ratePerSecond: number;
  /** Bucket size: weight that may be spent at once. */
  readonly burst: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
}

/**
 * One limiter per venue account: a p-queue orders requests by class, and a token bucket
 * on the injected clock spends the venue's weight budget, so simulated runs stay deterministic.
 */
export class VenueLimiter {
  private readonly queue: PQueue;
  private readonly clock: Clock;
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private lastRefill: number;
  private backoffUntil = 0;

  constructor(opts: VenueLimiterOptions) {
    this.clock = opts.clock;
    this.rate = opts.ratePerSecond;
    this.burst = opts.burst;
    this.tokens = opts.burst;
    this.lastRefill = opts.clock.now();
    this.queue = new PQueue({ concurrency: opts.concurrency ?? 4 });
  }

  /** Runs `fn` when its class's turn comes and `weight` tokens are available. */
  schedule<T>(cls: RequestClass, fn: () => Promise<T>, weight = 1): Promise<T> {
    return this.queue.add(
      async () => {
        await this.take(weight);
        return fn();
      },
      { priority: PRIORITY[cls] },
    );
  }

  /** Pauses every request until `ms` from now (a 429 or Retry-After from the venue). */
  backoff(ms: number): void {
    this.backoffUntil = Math.max(this.backoffUntil, this.clock.now() + ms);
  }

  /** Requests waiting plus running. */
  depth(): number {
    return this.queue.size + this.queue.pending;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
  }

  private async take(weight: number): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.backoffUntil) {
        await this.clock.sleep(this.backoffUntil - now);
        continue;
      }
      this.refill();
      if (this.tokens >= weight) {
        this.tokens -= weight;
        return;
      }
      const waitMs = Math.ceil(((weight - this.tokens) / this.rate) * 1000);
      await this.clock.sleep(Math.max(1, waitMs));
    }
  }
}
