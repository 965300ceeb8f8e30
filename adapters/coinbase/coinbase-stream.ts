/**
 * Coinbase Advanced Trade market stream over one WebSocket: level2 + market_trades + heartbeats
 * (without heartbeats, quiet channels are closed by Coinbase after 60–90 s). ccxt.pro's coinbase
 * class ignores `sequence_num`, so we read the stream ourselves: a gap, a dropped socket or a
 * silent stream replaces the connection, and the books stay stale until fresh snapshots arrive.
 */
import type { MarketEvent } from '../../src/core/types.js';
import { CoinbaseStreamState, type StreamSymbols } from './coinbase-book.js';
import { ReconnectingSocket, type SocketSettings } from '../ccxt-common/reconnecting-socket.js';

export interface CoinbaseStreamOptions extends SocketSettings {
  readonly productIds: readonly string[];
  readonly symbols: StreamSymbols;
  readonly depth: number;
  /** A product's book unchanged this long (wall ms) while the stream is alive resubscribes the stream (0 = off). */
  readonly bookStallMs: number;
  /** Receives book and trade events, stamped with the local receive time. */
  readonly onEvent: (ev: MarketEvent) => void;
  /** Called whenever the stream's health changes. */
  readonly onHealth?: () => void;
}

export interface StreamHealth {
  readonly lastMessageTs: number | null;
  readonly lastUpdateTs: ReadonlyMap<string, number>;
  readonly stale: ReadonlySet<string>;
  readonly reason: string | null;
  readonly resyncs: number;
  readonly dropped: number;
  readonly connects: number;
}

export class CoinbaseStream {
  private readonly socket: ReconnectingSocket;
  private readonly state: CoinbaseStreamState;
  private readonly lastUpdateTs = new Map<string, number>();
  /** Last book event per symbol since the current connection's snapshots (for the stall check). */
  private readonly bookSeen = new Map<string, number>();
  private reason: string | null = 'connecting';
  private resyncs = 0;
  private dropped = 0;
  /** Wall ms the current connection subscribed (the snapshot wait runs from here); null while down. */
  private subscribedTs: number | null = null;

  constructor(private readonly o: CoinbaseStreamOptions) {
    this.state = new CoinbaseStreamState(o.symbols, o.depth);
    this.socket = new ReconnectingSocket({
      ...o,
      name: 'coinbase stream',
      onOpen: (ws) => {
        const ids = [...o.productIds];
        this.subscribedTs = o.wall.now();
        this.reason = 'waiting for a snapshot';
        for (const channel of ['heartbeats', 'level2', 'market_trades']) ws.send(JSON.stringify({ type: 'subscribe', product_ids: ids, channel }));
      },
      onMessage: (data) => this.onMessage(String(data)),
      onDrop: (reason) => this.onDrop(reason),
    });
  }

  start(): void {
    this.socket.start();
  }

  health(): StreamHealth {
    const stale = new Set(this.o.productIds.filter((id) => !this.state.isSynced(id)));
    return { lastMessageTs: this.socket.lastMessageTs, lastUpdateTs: this.lastUpdateTs, stale, reason: stale.size > 0 ? (this.reason ?? 'waiting for a snapshot') : null, resyncs: this.resyncs, dropped: this.dropped, connects: this.socket.connects };
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string): void {
    const now = this.o.wall.now();
    const r = this.state.stepFrame(text, now);
    if (r === null) {
      this.dropped++; // not JSON: dropped, and not a sign of life
      return;
    }
    this.socket.alive(now);
    this.dropped += r.dropped;
    if (r.error !== null) this.o.logger.warn({ error: r.error }, 'coinbase stream refused a request');
    if (r.gap) {
      const why = r.gapReason ?? 'sequence gap';
      this.o.logger.warn({ reason: why }, 'coinbase stream: books unsynced; resyncing');
      this.socket.drop(`${why}; resyncing`);
      return;
    }
    if (r.synced.length > 0) {
      this.socket.resetBackoff();
      this.o.onHealth?.();
    }
    for (const ev of r.events) {
      if (ev.kind === 'book') {
        this.lastUpdateTs.set(ev.book.symbol, now);
        this.bookSeen.set(ev.book.symbol, now);
      }
      this.o.onEvent(ev);
    }
    this.checkStall(now);
  }

  /**
   * Heartbeats keep the socket alive even when one product's level2 has gone silent, so the silence
   * check cannot see it: a book unchanged for bookStallMs replaces the connection (fresh snapshots).
   */
  private checkStall(now: number): void {
    if (this.o.bookStallMs <= 0) return;
    // A product whose snapshot never came while the others keep the socket busy: resubscribe.
    if (this.subscribedTs !== null && now - this.subscribedTs > this.o.bookStallMs) {
      const missing = this.o.productIds.find((id) => !this.state.isSynced(id));
      if (missing !== undefined) {
        const reason = `no level2 snapshot for ${missing} within ${Math.round((now - this.subscribedTs) / 1000)} s; resubscribing`;
        this.o.logger.warn({ productId: missing }, 'coinbase level2 snapshot missing for one product: resubscribing');
        this.socket.drop(reason);
        return;
      }
    }
    for (const [symbol, ts] of this.bookSeen) {
      if (now - ts <= this.o.bookStallMs) continue;
      const reason = `no book update for ${symbol} in ${Math.round((now - ts) / 1000)} s; resyncing`;
      this.o.logger.warn({ symbol, quietMs: now - ts }, 'coinbase level2 stalled for one product: resubscribing');
      this.socket.drop(reason);
      return;
    }
  }

  /** The connection was dropped (a gap, a close or silence): its books go too, until fresh snapshots arrive. */
  private onDrop(reason: string): void {
    this.subscribedTs = null;
    this.state.reset();
    this.bookSeen.clear();
    this.reason = reason;
    this.resyncs++;
    this.o.onHealth?.();
  }
}
