/**
 * Coinbase live market source: the stream's events queued for the runtime in receive order,
 * `next(maxWaitMs)` waiting on the wall clock, feed health per symbol, warm-up candles.
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Candle, Instrument, MarketEvent } from '../../src/core/types.js';
import type { FeedHealth, LiveMarketSource } from '../../src/core/venue.js';
import type { CoinbaseStream } from './coinbase-stream.js';

/** Events kept while the runtime is busy; past this the oldest book events are dropped (newer books supersede them). */
const MAX_QUEUE = 10_000;

export class CoinbaseMarketSource implements LiveMarketSource {
  readonly live = true as const;
  readonly startTs: number;
  private readonly queue: MarketEvent[] = [];
  private waiter: ((ev: MarketEvent | 'idle' | null) => void) | null = null;
  private waitTimer: TimerHandle | null = null;
  private closed = false;
  private stream: CoinbaseStream | null = null;
  private overflow = 0;

  constructor(
    readonly instruments: readonly Instrument[],
    private readonly candles: ReadonlyMap<string, readonly Candle[]>,
    private readonly wall: Clock,
    /** Our symbol → Coinbase product id. */
    private readonly productOf: ReadonlyMap<string, string>,
  ) {
    this.startTs = wall.now();
  }

  attach(stream: CoinbaseStream): void {
    this.stream = stream;
  }

  /** Called by the stream for each event. */
  push(ev: MarketEvent): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.clearWait();
      w(ev);
      return;
    }
    if (this.queue.length >= MAX_QUEUE) {
      const i = this.queue.findIndex((e) => e.kind === 'book');
      this.queue.splice(i >= 0 ? i : 0, 1);
      this.overflow++;
    }
    this.queue.push(ev);
  }

  history(symbol: string, bars: number): readonly Candle[] {
    const c = this.candles.get(symbol) ?? [];
    return c.slice(Math.max(0, c.length - bars));
  }

  next(maxWaitMs: number): Promise<MarketEvent | 'idle' | null> {
    if (this.closed) return Promise.resolve(null);
    const ev = this.queue.shift();
    if (ev) return Promise.resolve(ev);
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.waitTimer = this.wall.setTimer(maxWaitMs, () => {
        this.waitTimer = null;
        const w = this.waiter;
        this.waiter = null;
        w?.('idle');
      });
    });
  }

  private clearWait(): void {
    this.waiter = null;
    if (this.waitTimer) this.wall.cancelTimer(this.waitTimer);
    this.waitTimer = null;
  }

  feedHealth(): readonly FeedHealth[] {
    const h = this.stream?.health();
    return [...this.productOf].map(([symbol, productId]) => {
      const stale = h === undefined || h.stale.has(productId);
      return {
        venue: 'coinbase',
        symbol,
        lastUpdateTs: h?.lastUpdateTs.get(symbol) ?? null,
        stale,
        reason: stale ? (h?.reason ?? 'not connected') : null,
        resyncs: h?.resyncs ?? 0,
        dropped: (h?.dropped ?? 0) + this.overflow,
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stream?.close();
    const w = this.waiter;
    this.clearWait();
    w?.(null);
  }
}
