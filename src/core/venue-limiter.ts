import PQueue from 'p-queue';
import type { Clock, TimerHandle } from './clock.js';
import type { OrderPurpose } from './types.js';

/** Request classes, highest priority first. Cancels and hedges go ahead of new entries. */
export type RequestClass = 'cancel' | 'hedge' | 'exit' | 'entry' | 'query';

const CLASS_OF_PURPOSE: Readonly<Record<OrderPurpose, RequestClass>> = {
  entry: 'entry',
  exit: 'exit',
  harvest: 'exit',
  stop: 'hedge',
  hedge: 'hedge',
  manual: 'exit',
  liquidation: 'hedge',
};

/** The class an order is sent under: stops and hedges first, then reduce-only and exits, then entries. */
export function requestClassOf(req: { readonly purpose?: OrderPurpose; readonly reduceOnly: boolean }): RequestClass {
  const cls = req.purpose === undefined ? 'entry' : CLASS_OF_PURPOSE[req.purpose];
  return cls === 'entry' && req.reduceOnly ? 'exit' : cls;
}

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

interface Waiter {
  readonly weight: number;
  readonly priority: number;
  readonly grant: () => void;
}

/**
 * One limiter per venue account: a token bucket on the injected clock spends the venue's weight
 * budget (so simulated runs stay deterministic), then a p-queue bounds requests in flight.
 *
 * Invariant: tokens are granted strictly by (class priority, arrival order), and a request holds
 * no concurrency slot while it waits for tokens — otherwise entries already waiting would take
 * the freed tokens ahead of a cancel or hedge that arrived later.
 */
export class VenueLimiter {
  private readonly queue: PQueue;
  private readonly clock: Clock;
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private lastRefill: number;
  private backoffUntil = 0;
  /** Requests waiting for tokens, highest priority first, then arrival order. */
  private readonly waiters: Waiter[] = [];
  private timer: TimerHandle | null = null;

  constructor(opts: VenueLimiterOptions) {
    this.clock = opts.clock;
    this.rate = opts.ratePerSecond;
    this.burst = opts.burst;
    this.tokens = opts.burst;
    this.lastRefill = opts.clock.now();
    this.queue = new PQueue({ concurrency: opts.concurrency ?? 4 });
  }

  /** Runs `fn` when its class's turn comes and `weight` tokens are available. */
  async schedule<T>(cls: RequestClass, fn: () => Promise<T>, weight = 1): Promise<T> {
    const priority = PRIORITY[cls];
    await this.acquire(weight, priority);
    return this.queue.add(fn, { priority });
  }

  /** Pauses every request until `ms` from now (a 429 or Retry-After from the venue). */
  backoff(ms: number): void {
    this.backoffUntil = Math.max(this.backoffUntil, this.clock.now() + ms);
  }

  /** Requests waiting (for tokens or a slot) plus running. */
  depth(): number {
    return this.waiters.length + this.queue.size + this.queue.pending;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.rate);
    this.lastRefill = now;
  }

  private acquire(weight: number, priority: number): Promise<void> {
    return new Promise((grant) => {
      // A request heavier than the bucket waits for a full bucket instead of blocking forever.
      const w: Waiter = { weight: Math.min(weight, this.burst), priority, grant };
      let i = this.waiters.length;
      while (i > 0 && this.waiters[i - 1]!.priority < priority) i--;
      this.waiters.splice(i, 0, w);
      this.pump();
    });
  }

  /** Grants tokens to waiters in order while they last; otherwise arms one timer for the head. */
  private pump(): void {
    if (this.timer !== null) {
      this.clock.cancelTimer(this.timer);
      this.timer = null;
    }
    for (;;) {
      const head = this.waiters[0];
      if (!head) return;
      const now = this.clock.now();
      if (now < this.backoffUntil) {
        this.arm(this.backoffUntil - now);
        return;
      }
      this.refill();
      if (this.tokens < head.weight) {
        this.arm(Math.max(1, Math.ceil(((head.weight - this.tokens) / this.rate) * 1000)));
        return;
      }
      this.tokens -= head.weight;
      this.waiters.shift();
      head.grant();
    }
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimer(delayMs, () => {
      this.timer = null;
      this.pump();
    });
  }
}
