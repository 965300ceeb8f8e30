import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Candle, Instrument, MarketEvent, MarkUpdate } from '../../src/core/types.js';
import type { FeedHealth, LiveMarketSource } from '../../src/core/venue.js';
import { ChainedBook, type BookSnapshot } from './nado-book.js';
import { parseNadoFrame, type NadoFillFrame, type NadoOrderUpdateFrame } from './nado-parse.js';

/** One market the source streams: our symbol, the venue's product id. */
export interface StreamedMarket {
  readonly symbol: string;
  readonly productId: number;
}

export interface MarketSourceDeps {
  readonly venue: string;
  readonly markets: readonly StreamedMarket[];
  readonly instruments: readonly Instrument[];
  readonly history: ReadonlyMap<string, readonly Candle[]>;
  readonly wall: Clock;
  readonly logger: Logger;
  readonly staleAfterMs: number;
  readonly depth: number;
  /** REST snapshot of one product's book (Nado: the market_liquidity query). */
  fetchSnapshot(productId: number): Promise<BookSnapshot>;
  /** Drops and reopens the socket (a stale stream); without it a stale symbol only resyncs. */
  requestReconnect?(): void;
  /** Releases the stream and timers the opener created. */
  onClose?(): void;
}

/** Private frames and stale streams, for the live venue (fills, order updates, cancel-all when stale). */
export interface PrivateFeedListener {
  onPrivateFill(f: NadoFillFrame): void;
  onPrivateOrderUpdate(u: NadoOrderUpdateFrame): void;
  onStale(symbol: string, reason: string): void;
}

interface SymbolState {
  readonly m: StreamedMarket;
  readonly book: ChainedBook;
  lastUpdateTs: number | null;
  stale: boolean;
  reason: string | null;
  resyncs: number;
  dropped: number;
  resyncing: boolean;
  /** Seeded at least once (later seeds count as resyncs). */
  seededOnce: boolean;
}

/**
 * A LiveMarketSource over a venue stream of chained book deltas (Nado `book_depth`) and trades.
 * Books are seeded from a REST snapshot; a broken chain, a reconnect or a stale stream (no update
 * for `staleAfterMs`) marks the symbol stale and resyncs it from a fresh snapshot, and so does a
 * book frame that cannot be applied in full (a malformed level or timestamp). Other malformed
 * messages are dropped, counted and logged; nothing here throws on venue input.
 */
export class NadoMarketSource implements LiveMarketSource {
  readonly live = true as const;
  readonly instruments: readonly Instrument[];
  readonly startTs: number;
  private readonly byProduct = new Map<number, SymbolState>();
  private readonly queue: MarketEvent[] = [];
  private waiter: ((v: MarketEvent | 'idle' | null) => void) | null = null;
  private closed = false;
  private staleTimer: TimerHandle | null = null;
  private privateListener: PrivateFeedListener | null = null;
  private malformedLogged = 0;
  /** Frames handled (for the bench and the record command). */
  frames = 0;
  /** Raw message tap (the record command). */
  tap: ((text: string, recvTs: number) => void) | null = null;

  constructor(private readonly d: MarketSourceDeps) {
    this.instruments = d.instruments;
    this.startTs = d.wall.now();
    for (const m of d.markets) {
      this.byProduct.set(m.productId, {
        m, book: new ChainedBook(), lastUpdateTs: null, stale: true, reason: 'waiting for the first snapshot',
        resyncs: 0, dropped: 0, resyncing: false, seededOnce: false,
      });
    }
    this.armStaleCheck();
  }

  setPrivateListener(l: PrivateFeedListener): void {
    this.privateListener = l;
  }

  /** The subscribe messages for the public streams (sent on every (re)connect). */
  subscriptions(): unknown[] {
    let id = 1;
    return [...this.byProduct.keys()].flatMap((pid) => [
      { method: 'subscribe', stream: { type: 'book_depth', product_id: pid }, id: id++ },
      { method: 'subscribe', stream: { type: 'trade', product_id: pid }, id: id++ },
    ]);
  }

  /** A (re)connect: every book restarts from a fresh snapshot. */
  onConnected(): void {
    for (const s of this.byProduct.values()) void this.resync(s, 'connected');
  }

  /** The socket dropped: a gap on every book (the private fills are backfilled once resubscribed, adapters/nado/nado-stream.ts). */
  onDropped(reason: string): void {
    for (const s of this.byProduct.values()) {
      s.book.reset();
      this.markStale(s, `stream dropped (${reason}), reconnecting`);
    }
    this.privateListener?.onStale('*', `stream dropped (${reason})`);
  }

  /** One raw message from the stream. */
  onMessage(text: string, recvTs: number): void {
    if (this.closed) return;
    this.frames++;
    this.tap?.(text, recvTs);
    const f = parseNadoFrame(text);
    if (f === null) return this.malformed(text, null);
    switch (f.type) {
      case 'book_broken':
        return this.bookBroken(f.productId, f.reason, text);
      case 'book_depth': {
        const s = this.byProduct.get(f.frame.productId);
        if (!s) return;
        const r = s.book.apply(f.frame);
        if (r === 'gap') {
          this.logger.warn({ symbol: s.m.symbol, last: f.frame.lastMaxTs.toString() }, 'book chain broken: resync');
          void this.resync(s, 'sequence gap');
          return;
        }
        if (r !== 'applied' || s.resyncing) return;
        this.sound(s, recvTs);
        this.push({ kind: 'book', ts: recvTs, book: s.book.toBook(s.m.symbol, recvTs, this.d.depth) });
        return;
      }
      case 'trade': {
        const s = this.byProduct.get(f.frame.productId);
        if (!s) return;
        const t = f.frame;
        this.push({
          kind: 'trade', ts: recvTs,
          trade: { symbol: s.m.symbol, ts: recvTs, price: t.price, size: t.size, aggressor: t.takerBuys ? 'buy' : 'sell', tradeId: `${t.productId}:${t.tsNs}` },
        });
        return;
      }
      case 'fill':
        this.privateListener?.onPrivateFill(f.frame);
        return;
      case 'order_update':
        this.privateListener?.onPrivateOrderUpdate(f.frame);
        return;
      default:
        return;
    }
  }

  /** Best bid and ask of a seeded book (prices market orders), or null. */
  top(symbol: string): { readonly bid: number | null; readonly ask: number | null } | null {
    for (const s of this.byProduct.values()) {
      if (s.m.symbol !== symbol || !s.book.seeded) continue;
      const b = s.book.toBook(symbol, 0, 1);
      return { bid: b.bids[0]?.price ?? null, ask: b.asks[0]?.price ?? null };
    }
    return null;
  }

  /** A polled mark and funding rate (stamped with receive time like every event). */
  pushMark(m: MarkUpdate): void {
    if (!this.closed) this.push({ kind: 'mark', ts: m.ts, mark: m });
  }

  history(symbol: string, bars: number): readonly Candle[] {
    const h = this.d.history.get(symbol) ?? [];
    return h.slice(Math.max(0, h.length - bars));
  }

  next(maxWaitMs: number): Promise<MarketEvent | 'idle' | null> {
    const ev = this.queue.shift();
    if (ev) return Promise.resolve(ev);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = this.d.wall.setTimer(maxWaitMs, () => {
        this.waiter = null;
        resolve('idle');
      });
      this.waiter = (v) => {
        this.d.wall.cancelTimer(timer);
        this.waiter = null;
        resolve(v);
      };
    });
  }

  feedHealth(): readonly FeedHealth[] {
    return [...this.byProduct.values()].map((s) => ({
      venue: this.d.venue, symbol: s.m.symbol, lastUpdateTs: s.lastUpdateTs, stale: s.stale,
      reason: s.reason, resyncs: s.resyncs, dropped: s.dropped,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.staleTimer) this.d.wall.cancelTimer(this.staleTimer);
    this.d.onClose?.();
    this.waiter?.(null);
  }

  private get logger(): Logger {
    return this.d.logger;
  }

  private push(ev: MarketEvent): void {
    if (this.waiter) return this.waiter(ev);
    // A burst of frames for one symbol while the consumer is busy: the newest book replaces the
    // queued one (a book is a state, not an increment), so a slow consumer never falls behind.
    const last = this.queue[this.queue.length - 1];
    if (ev.kind === 'book' && last?.kind === 'book' && last.book.symbol === ev.book.symbol) {
      this.queue[this.queue.length - 1] = ev;
      return;
    }
    this.queue.push(ev);
  }

  private malformed(text: string, s: SymbolState | null): void {
    const target = s ?? this.byProduct.values().next().value;
    if (target) target.dropped++;
    if (this.malformedLogged++ < 20) this.logger.warn({ sample: text.slice(0, 200) }, 'malformed stream message dropped');
  }

  /**
   * A book frame that could not be applied in full: its product's book (every book when the frame
   * does not say which) is missing a change, so it is marked stale and resynced now, rather than
   * served as healthy until the next frame reveals the broken chain.
   */
  private bookBroken(productId: number | null, reason: string, text: string): void {
    const one = productId === null ? undefined : this.byProduct.get(productId);
    if (productId !== null && one === undefined) return; // a product we do not stream
    const targets = one !== undefined ? [one] : [...this.byProduct.values()];
    for (const s of targets) s.dropped++;
    if (this.malformedLogged++ < 20) this.logger.warn({ reason, symbols: targets.map((s) => s.m.symbol), sample: text.slice(0, 200) }, 'nado: book frame could not be applied; resyncing');
    for (const s of targets) void this.resync(s, reason);
  }

  private sound(s: SymbolState, ts: number): void {
    s.lastUpdateTs = ts;
    if (s.stale && !s.resyncing) {
      s.stale = false;
      s.reason = null;
    }
  }

  private markStale(s: SymbolState, reason: string): void {
    s.stale = true;
    s.reason = reason;
  }

  /** Fetches a fresh snapshot and reseeds; retries while the chain does not connect. */
  private async resync(s: SymbolState, why: string): Promise<void> {
    if (s.resyncing || this.closed) return;
    s.resyncing = true;
    if (s.seededOnce) s.resyncs++;
    this.markStale(s, `resyncing (${why})`);
    s.book.reset();
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        const snap = await this.d.fetchSnapshot(s.m.productId);
        if (s.book.seed(snap) === 'applied' && s.book.sane()) break;
        this.logger.warn({ symbol: s.m.symbol, attempt }, 'snapshot does not connect to the stream: retrying');
        s.book.reset();
      } catch (err) {
        this.logger.warn({ symbol: s.m.symbol, err: (err as Error).message }, 'book snapshot failed');
      }
      await this.d.wall.sleep(Math.min(5_000, 200 * 2 ** attempt));
    }
    s.resyncing = false;
    if (this.closed) return;
    s.seededOnce = true;
    const now = this.d.wall.now();
    // Stale until the stream proves alive: the first frame chained onto this snapshot clears it.
    s.reason = 'resynced, waiting for the stream';
    s.lastUpdateTs = now;
    this.push({ kind: 'book', ts: now, book: s.book.toBook(s.m.symbol, now, this.d.depth) });
  }

  private armStaleCheck(): void {
    const every = Math.max(50, Math.min(1_000, Math.floor(this.d.staleAfterMs / 4)));
    this.staleTimer = this.d.wall.setTimer(every, () => {
      const now = this.d.wall.now();
      let reconnect = false;
      for (const s of this.byProduct.values()) {
        if (s.resyncing || s.lastUpdateTs === null) continue;
        if (now - s.lastUpdateTs > this.d.staleAfterMs) {
          const was = s.stale;
          this.markStale(s, `no book update for ${Math.round((now - s.lastUpdateTs) / 1000)} s`);
          if (!was) this.privateListener?.onStale(s.m.symbol, s.reason!);
          if (this.d.requestReconnect) {
            s.lastUpdateTs = null;
            reconnect = true;
          } else void this.resync(s, 'stale stream');
        }
      }
      if (reconnect) this.d.requestReconnect?.();
      if (!this.closed) this.armStaleCheck();
    });
  }
}
