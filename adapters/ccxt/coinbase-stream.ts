/**
 * Coinbase Advanced Trade market stream over one WebSocket: level2 + market_trades + heartbeats
 * (without heartbeats, quiet channels are closed by Coinbase after 60–90 s). ccxt.pro's coinbase
 * class ignores `sequence_num`, so we read the stream ourselves: a gap, a dropped socket or a
 * silent stream replaces the connection, and the books stay stale until fresh snapshots arrive.
 */
import type { MarketEvent } from '../../src/core/types.js';
import { CoinbaseStreamState, type StreamSymbols } from './coinbase-book.js';
import { ReconnectingSocket, type SocketSettings } from './reconnecting-socket.js';

export interface CoinbaseStreamOptions extends SocketSettings {
  readonly productIds: readonly string[];
  readonly symbols: StreamSymbols;
  readonly depth: number;
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
  private reason: string | null = 'connecting';
  private resyncs = 0;
  private dropped = 0;

  constructor(private readonly o: CoinbaseStreamOptions) {
    this.state = new CoinbaseStreamState(o.symbols, o.depth);
    this.socket = new ReconnectingSocket({
      ...o,
      name: 'coinbase stream',
      onOpen: (ws) => {
        const ids = [...o.productIds];
        for (const channel of ['heartbeats', 'level2', 'market_trades']) ws.send(JSON.stringify({ type: 'subscribe', product_ids: ids, channel }));
      },
      onMessage: (data) => {
        let msg: unknown;
        try {
          msg = JSON.parse(String(data));
        } catch {
          this.dropped++;
          return;
        }
        this.onMessage(msg);
      },
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

  private onMessage(msg: unknown): void {
    const now = this.o.wall.now();
    this.socket.alive(now);
    const r = this.state.step(msg, now);
    this.dropped += r.dropped;
    if (r.error !== null) this.o.logger.warn({ error: r.error }, 'coinbase stream refused a request');
    if (r.gap) {
      this.o.logger.warn({}, 'coinbase stream sequence gap: resyncing');
      this.socket.drop('sequence gap; resyncing');
      return;
    }
    if (r.synced.length > 0) {
      this.socket.resetBackoff();
      this.o.onHealth?.();
    }
    for (const ev of r.events) {
      if (ev.kind === 'book') this.lastUpdateTs.set(ev.book.symbol, now);
      this.o.onEvent(ev);
    }
  }

  /** The connection was dropped (a gap, a close or silence): its books go too, until fresh snapshots arrive. */
  private onDrop(reason: string): void {
    this.state.reset();
    this.reason = reason;
    this.resyncs++;
    this.o.onHealth?.();
  }
}
