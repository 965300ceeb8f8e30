/**
 * Coinbase Advanced Trade market stream over one WebSocket: level2 + market_trades + heartbeats
 * (without heartbeats, quiet channels are closed by Coinbase after 60–90 s). ccxt.pro's coinbase
 * class ignores `sequence_num`, so we read the stream ourselves: a gap, a dropped socket or a
 * silent stream replaces the connection, and the books stay stale until fresh snapshots arrive.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import { CoinbaseStreamState, type StreamSymbols } from './coinbase-book.js';

export interface CoinbaseStreamOptions {
  readonly url: string;
  readonly productIds: readonly string[];
  readonly symbols: StreamSymbols;
  readonly wall: Clock;
  readonly logger: Logger;
  readonly staleAfterMs: number;
  readonly reconnectDelayMs: number;
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

const MAX_RECONNECT_MS = 30_000;

export class CoinbaseStream {
  private ws: WebSocket | null = null;
  private readonly state: CoinbaseStreamState;
  private closed = false;
  private lastMessageTs: number | null = null;
  private readonly lastUpdateTs = new Map<string, number>();
  private reason: string | null = 'connecting';
  private resyncs = 0;
  private dropped = 0;
  private connects = 0;
  private delay: number;
  private watchdog: TimerHandle | null = null;
  private reconnectTimer: TimerHandle | null = null;

  constructor(private readonly o: CoinbaseStreamOptions) {
    this.state = new CoinbaseStreamState(o.symbols, o.depth);
    this.delay = o.reconnectDelayMs;
  }

  start(): void {
    this.connect();
    this.armWatchdog();
  }

  health(): StreamHealth {
    const stale = new Set(this.o.productIds.filter((id) => !this.state.isSynced(id)));
    return { lastMessageTs: this.lastMessageTs, lastUpdateTs: this.lastUpdateTs, stale, reason: stale.size > 0 ? (this.reason ?? 'waiting for a snapshot') : null, resyncs: this.resyncs, dropped: this.dropped, connects: this.connects };
  }

  close(): void {
    this.closed = true;
    if (this.watchdog) this.o.wall.cancelTimer(this.watchdog);
    if (this.reconnectTimer) this.o.wall.cancelTimer(this.reconnectTimer);
    this.ws?.terminate();
    this.ws = null;
  }

  private connect(): void {
    if (this.closed) return;
    this.connects++;
    const ws = new WebSocket(this.o.url);
    this.ws = ws;
    this.lastMessageTs = this.o.wall.now();
    ws.on('open', () => {
      const ids = [...this.o.productIds];
      for (const channel of ['heartbeats', 'level2', 'market_trades']) ws.send(JSON.stringify({ type: 'subscribe', product_ids: ids, channel }));
    });
    ws.on('message', (data) => {
      if (this.ws !== ws) return;
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        this.dropped++;
        return;
      }
      this.onMessage(msg);
    });
    ws.on('error', (e) => this.o.logger.warn({ err: e.message }, 'coinbase stream error'));
    ws.on('close', () => {
      if (this.ws === ws) this.replace('stream disconnected; reconnecting');
    });
  }

  private onMessage(msg: unknown): void {
    const now = this.o.wall.now();
    this.lastMessageTs = now;
    const r = this.state.step(msg, now);
    this.dropped += r.dropped;
    if (r.error !== null) this.o.logger.warn({ error: r.error }, 'coinbase stream refused a request');
    if (r.gap) {
      this.o.logger.warn({}, 'coinbase stream sequence gap: resyncing');
      this.replace('sequence gap; resyncing');
      return;
    }
    if (r.synced.length > 0) {
      this.delay = this.o.reconnectDelayMs;
      this.o.onHealth?.();
    }
    for (const ev of r.events) {
      if (ev.kind === 'book') this.lastUpdateTs.set(ev.book.symbol, now);
      this.o.onEvent(ev);
    }
  }

  /** Drops the connection and its books; a new one starts after the reconnect delay. */
  private replace(reason: string): void {
    if (this.closed) return;
    const old = this.ws;
    this.ws = null;
    old?.removeAllListeners('message');
    old?.terminate();
    this.state.reset();
    this.reason = reason;
    this.resyncs++;
    this.o.onHealth?.();
    if (this.reconnectTimer) return;
    const wait = this.delay;
    this.delay = Math.min(MAX_RECONNECT_MS, this.delay * 2);
    this.reconnectTimer = this.o.wall.setTimer(wait, () => {
      this.reconnectTimer = null;
      this.connect();
    });
  }

  /** Silence (no heartbeat, no book) for staleAfterMs replaces the connection. */
  private armWatchdog(): void {
    const period = Math.max(20, Math.floor(this.o.staleAfterMs / 4));
    this.watchdog = this.o.wall.setTimer(period, () => {
      this.watchdog = null;
      if (this.closed) return;
      const last = this.lastMessageTs;
      if (this.ws !== null && last !== null && this.o.wall.now() - last > this.o.staleAfterMs) {
        this.o.logger.warn({ silentMs: this.o.wall.now() - last }, 'coinbase stream silent: replacing it');
        this.replace(`no message for ${this.o.staleAfterMs} ms; resyncing`);
      }
      this.armWatchdog();
    });
  }
}
