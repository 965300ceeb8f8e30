/**
 * One WebSocket that replaces itself: a close, a silence longer than staleAfterMs (watched every
 * staleAfterMs / 4) or the owner's `drop` terminates it, and a new one opens after a backoff delay
 * that doubles up to 30 s until the owner calls `resetBackoff` (it saw the stream healthy again).
 * Timers run on the injected wall clock; the owner parses messages and says what counts as alive.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';

/** Where a socket connects and how patiently: what a stream's owner passes through from its config. */
export interface SocketSettings {
  readonly url: string;
  readonly wall: Clock;
  readonly logger: Logger;
  /** First reconnect delay (wall ms); doubles up to 30 s. */
  readonly reconnectDelayMs: number;
  /** Silence (wall ms) after which the connection is replaced. */
  readonly staleAfterMs: number;
}

export interface ReconnectingSocketOptions extends SocketSettings {
  /** Names the socket in log lines, e.g. 'coinbase stream'. */
  readonly name: string;
  /** The socket opened: subscribe here. */
  readonly onOpen: (ws: WebSocket) => void;
  /** A message on the current socket (never one from a replaced socket). */
  readonly onMessage: (data: WebSocket.RawData) => void;
  /** The current socket was dropped for `reason`; a new one follows after the backoff delay. */
  readonly onDrop: (reason: string) => void;
  /** Keep-alive while open: a protocol ping every `everyMs`, with `message()` sent as JSON alongside when given. */
  readonly ping?: { readonly everyMs: number; readonly message?: () => unknown };
}

const MAX_RECONNECT_MS = 30_000;

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private closed = false;
  private delay: number;
  private watchdog: TimerHandle | null = null;
  private reconnectTimer: TimerHandle | null = null;
  private pinger: TimerHandle | null = null;
  private lastAlive: number | null = null;
  private opened = 0;

  constructor(private readonly o: ReconnectingSocketOptions) {
    this.delay = o.reconnectDelayMs;
  }

  /** Wall time of the last sign of life (a connect, or the owner's `alive`); null before the first connect. */
  get lastMessageTs(): number | null {
    return this.lastAlive;
  }

  /** True while a connection exists or is being opened (false while waiting to reconnect, and once closed). */
  get hasSocket(): boolean {
    return this.ws !== null;
  }

  /** Connections opened so far (the first one included). */
  get connects(): number {
    return this.opened;
  }

  start(): void {
    this.connect();
    this.armWatchdog();
  }

  /** The stream is alive at `now`: holds off the silence watchdog. */
  alive(now: number): void {
    this.lastAlive = now;
  }

  /** The stream is healthy again: the next reconnect waits the base delay. */
  resetBackoff(): void {
    this.delay = this.o.reconnectDelayMs;
  }

  /** Drops the current connection (onDrop tells the owner); a new one starts after the reconnect delay. */
  drop(reason: string): void {
    if (this.closed) return;
    const old = this.ws;
    this.ws = null;
    this.stopPing();
    old?.removeAllListeners('message');
    old?.terminate();
    this.o.onDrop(reason);
    if (this.reconnectTimer) return;
    const wait = this.delay;
    this.delay = Math.min(MAX_RECONNECT_MS, this.delay * 2);
    this.reconnectTimer = this.o.wall.setTimer(wait, () => {
      this.reconnectTimer = null;
      this.connect();
    });
  }

  close(): void {
    this.closed = true;
    if (this.watchdog) this.o.wall.cancelTimer(this.watchdog);
    if (this.reconnectTimer) this.o.wall.cancelTimer(this.reconnectTimer);
    this.stopPing();
    this.ws?.terminate();
    this.ws = null;
  }

  private connect(): void {
    if (this.closed) return;
    this.opened++;
    const ws = new WebSocket(this.o.url);
    this.ws = ws;
    this.lastAlive = this.o.wall.now();
    ws.on('open', () => {
      this.guard(ws, 'subscribe', () => this.o.onOpen(ws));
      if (this.ws === ws) this.armPing(ws);
    });
    ws.on('message', (data) => {
      if (this.ws === ws) this.guard(ws, 'message', () => this.o.onMessage(data));
    });
    ws.on('error', (e) => this.o.logger.warn({ err: e.message }, `${this.o.name} error`));
    ws.on('close', () => {
      if (this.ws === ws) this.drop('stream disconnected; reconnecting');
    });
  }

  private armPing(ws: WebSocket): void {
    const ping = this.o.ping;
    if (!ping) return;
    this.pinger = this.o.wall.setTimer(ping.everyMs, () => {
      this.pinger = null;
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      if (ping.message) ws.send(JSON.stringify(ping.message()));
      this.armPing(ws);
    });
  }

  private stopPing(): void {
    if (this.pinger) this.o.wall.cancelTimer(this.pinger);
    this.pinger = null;
  }

  /** An owner's handler that throws (inside ws's event emitter it would crash the process) drops the connection. */
  private guard(ws: WebSocket, what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      const err = e instanceof Error ? e.message : String(e);
      this.o.logger.error({ err }, `${this.o.name} ${what} failed`);
      if (this.ws === ws) this.drop(`${what} failed (${err}); reconnecting`);
    }
  }

  /** Silence (nothing the owner counts as alive) for staleAfterMs replaces the connection. */
  private armWatchdog(): void {
    const period = Math.max(20, Math.floor(this.o.staleAfterMs / 4));
    this.watchdog = this.o.wall.setTimer(period, () => {
      this.watchdog = null;
      if (this.closed) return;
      const last = this.lastAlive;
      if (this.ws !== null && last !== null && this.o.wall.now() - last > this.o.staleAfterMs) {
        this.o.logger.warn({ silentMs: this.o.wall.now() - last }, `${this.o.name} silent: replacing it`);
        this.drop(`no message for ${this.o.staleAfterMs} ms; resyncing`);
      }
      this.armWatchdog();
    });
  }
}
