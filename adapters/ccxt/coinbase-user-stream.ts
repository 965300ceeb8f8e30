/**
 * Coinbase's private `user` channel (JWT-authenticated) as a wake-up call: its order updates carry
 * cumulative quantities, not fills with trade ids, so every update (and every reconnect, a gap in
 * what we saw) triggers an immediate REST poll of fills and orders, which stays the one source of
 * truth. Without it fills still arrive, at the poll interval.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';

export interface CoinbaseUserStreamOptions {
  readonly url: string;
  readonly productIds: readonly string[];
  /** A fresh ES256 JWT for a subscribe message (valid 2 minutes; never logged). */
  readonly jwt: () => string;
  readonly wall: Clock;
  readonly logger: Logger;
  readonly reconnectDelayMs: number;
  readonly staleAfterMs: number;
  /** Something may have changed on the account: poll now. */
  readonly onActivity: () => void;
}

export class CoinbaseUserStream {
  private ws: WebSocket | null = null;
  private closed = false;
  private lastMessageTs = 0;
  private reconnectTimer: TimerHandle | null = null;
  private watchdog: TimerHandle | null = null;
  private delay: number;
  /** Order updates received (for tests and status). */
  updates = 0;
  connects = 0;

  constructor(private readonly o: CoinbaseUserStreamOptions) {
    this.delay = o.reconnectDelayMs;
  }

  start(): void {
    this.connect();
    this.armWatchdog();
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) this.o.wall.cancelTimer(this.reconnectTimer);
    if (this.watchdog) this.o.wall.cancelTimer(this.watchdog);
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
      for (const channel of ['heartbeats', 'user']) ws.send(JSON.stringify({ type: 'subscribe', channel, product_ids: ids, jwt: this.o.jwt() }));
      this.o.onActivity(); // whatever happened while we were away
    });
    ws.on('message', (data) => {
      if (this.ws !== ws) return;
      this.lastMessageTs = this.o.wall.now();
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        return;
      }
      if (m['type'] === 'error') {
        this.o.logger.warn({ error: String(m['message'] ?? '') }, 'coinbase user stream refused');
        return;
      }
      if (m['channel'] === 'user') {
        this.delay = this.o.reconnectDelayMs;
        this.updates++;
        this.o.onActivity();
      }
    });
    ws.on('error', (e) => this.o.logger.warn({ err: e.message }, 'coinbase user stream error'));
    ws.on('close', () => {
      if (this.ws === ws) this.reconnect();
    });
  }

  private reconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.ws?.removeAllListeners('message');
    this.ws?.terminate();
    this.ws = null;
    const wait = this.delay;
    this.delay = Math.min(30_000, this.delay * 2);
    this.reconnectTimer = this.o.wall.setTimer(wait, () => {
      this.reconnectTimer = null;
      this.connect();
    });
  }

  private armWatchdog(): void {
    this.watchdog = this.o.wall.setTimer(Math.max(20, Math.floor(this.o.staleAfterMs / 4)), () => {
      this.watchdog = null;
      if (this.closed) return;
      if (this.ws !== null && this.o.wall.now() - this.lastMessageTs > this.o.staleAfterMs) this.reconnect();
      this.armWatchdog();
    });
  }
}
