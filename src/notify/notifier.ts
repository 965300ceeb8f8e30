import type { Clock, TimerHandle } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { batchPairs, type Notification, type PairNote } from './notification.js';
import type { NotifyChannel, SendResult } from './notify-channels.js';
import { scrubSecrets } from './secret-scrub.js';

export interface NotifierOptions {
  readonly channels: readonly NotifyChannel[];
  /** Wall clock: pacing, backoff and batching windows. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly venue: string;
  /** Messages per minute per channel (Telegram allows about 20 per chat). */
  readonly perMinute: number;
  /** Messages sent at once before the rate applies. */
  readonly burst: number;
  /** Pair openings and closings are gathered for this long into one message. */
  readonly batchWindowMs: number;
  /** Attempts per message (the first included) and the first backoff, doubled each time. */
  readonly attempts: number;
  readonly backoffMs: number;
  /** Messages waiting per channel before the oldest informational ones are dropped. */
  readonly maxQueue?: number;
  /** Secret values (from the environment) scrubbed from every message. */
  readonly secrets?: readonly string[];
}

interface Lane {
  readonly channel: NotifyChannel;
  readonly queue: { n: Notification; attempt: number }[];
  tokens: number;
  refilledAt: number;
  busy: boolean;
  timer: TimerHandle | null;
  dropped: number;
}

/**
 * Delivers notifications without ever blocking the caller: `notify()` queues and returns; each
 * channel drains its queue on its own, paced by a token bucket, retrying network errors, 5xx and
 * 429 with exponential backoff (honouring Retry-After), dropping what a channel refuses (4xx).
 * Pair openings and closings are batched per window. Logs name the channel, never its address.
 */
export class Notifier {
  private readonly lanes: Lane[];
  private pairs: PairNote[] = [];
  private pairTimer: TimerHandle | null = null;
  private closed = false;

  constructor(private readonly o: NotifierOptions) {
    this.lanes = o.channels.map((channel) => ({ channel, queue: [], tokens: o.burst, refilledAt: o.clock.now(), busy: false, timer: null, dropped: 0 }));
  }

  get enabled(): boolean {
    return this.lanes.length > 0;
  }

  /** Queues a notification on every channel; returns at once. */
  notify(raw: Notification): void {
    if (this.closed) return;
    const n = scrubSecrets(raw, this.o.secrets ?? []);
    for (const lane of this.lanes) {
      lane.queue.push({ n, attempt: 0 });
      const max = this.o.maxQueue ?? 200;
      if (lane.queue.length > max) {
        // Keep what matters: drop the oldest informational message, else the oldest of all.
        const i = lane.queue.findIndex((q) => q.n.severity === 'info');
        lane.queue.splice(i >= 0 ? i : 0, 1);
        lane.dropped++;
      }
      this.pump(lane);
    }
  }

  /** A pair opened or closed: sent with the others of its window as one message. */
  pair(note: PairNote): void {
    if (this.closed || !this.enabled) return;
    this.pairs.push(note);
    this.pairTimer ??= this.o.clock.setTimer(this.o.batchWindowMs, () => this.flushPairs());
  }

  /** Sends the pending pair batch now (shutdown, daily summary). */
  flushPairs(): void {
    if (this.pairTimer) this.o.clock.cancelTimer(this.pairTimer);
    this.pairTimer = null;
    if (this.pairs.length === 0) return;
    const batch = this.pairs;
    this.pairs = [];
    this.notify(batchPairs(batch, this.o.venue));
  }

  /** Messages not yet delivered (or given up on), over all channels. */
  pending(): number {
    return this.lanes.reduce((a, l) => a + l.queue.length + (l.busy ? 1 : 0), 0);
  }

  /**
   * Flushes the pair batch and waits until every queue is empty or `timeoutMs` of wall time has
   * passed (shutdown and crash: say what happened without hanging the exit).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.flushPairs();
    const until = this.o.clock.now() + timeoutMs;
    while (this.pending() > 0 && this.o.clock.now() < until) await this.o.clock.sleep(20);
  }

  /** Stops: pending timers cancelled, later notifications ignored. */
  close(): void {
    this.closed = true;
    if (this.pairTimer) this.o.clock.cancelTimer(this.pairTimer);
    this.pairTimer = null;
    for (const l of this.lanes) {
      if (l.timer) this.o.clock.cancelTimer(l.timer);
      l.timer = null;
      l.queue.length = 0;
    }
  }

  private refill(lane: Lane): void {
    const now = this.o.clock.now();
    const perMs = this.o.perMinute / 60_000;
    lane.tokens = Math.min(this.o.burst, lane.tokens + (now - lane.refilledAt) * perMs);
    lane.refilledAt = now;
  }

  private later(lane: Lane, ms: number): void {
    if (lane.timer || this.closed) return;
    lane.timer = this.o.clock.setTimer(ms, () => {
      lane.timer = null;
      this.pump(lane);
    });
  }

  private pump(lane: Lane): void {
    if (lane.busy || lane.timer || lane.queue.length === 0 || this.closed) return;
    this.refill(lane);
    if (lane.tokens < 1) {
      this.later(lane, Math.ceil((1 - lane.tokens) / (this.o.perMinute / 60_000)));
      return;
    }
    lane.tokens -= 1;
    const item = lane.queue.shift()!;
    lane.busy = true;
    lane.channel
      .send(item.n)
      .catch((): SendResult => ({ ok: false, retryable: true }))
      .then((r: SendResult) => {
        lane.busy = false;
        if (this.closed) return;
        if (r.ok) {
          if (lane.dropped > 0) {
            const dropped = lane.dropped;
            lane.dropped = 0;
            this.o.logger.warn({ channel: lane.channel.name, dropped }, 'notifications dropped: the channel could not keep up');
          }
          this.pump(lane);
          return;
        }
        const attempt = item.attempt + 1;
        if (r.retryable && attempt < this.o.attempts) {
          lane.queue.unshift({ n: item.n, attempt });
          this.later(lane, Math.max(r.retryAfterMs ?? 0, this.o.backoffMs * 2 ** (attempt - 1)));
          return;
        }
        this.o.logger.warn({ channel: lane.channel.name, kind: item.n.kind, status: r.status ?? null, attempts: attempt }, 'notification not delivered');
        this.pump(lane);
      });
  }
}
