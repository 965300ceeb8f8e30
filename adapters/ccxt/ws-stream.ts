import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';

export interface WsStreamHandlers {
  /** Called on every (re)connect, before any message: subscribe here. */
  onOpen(send: (msg: unknown) => void): void;
  onMessage(text: string, recvTs: number): void;
  /** The socket dropped (a gap for every stream on it); a reconnect follows. */
  onDrop(reason: string): void;
}

/**
 * One WebSocket with reconnects (backoff doubling to 30 s) on the injected wall clock. Messages
 * are handed over as text with their local receive time; nothing here parses them.
 */
export class WsStream {
  private ws: WebSocket | null = null;
  private closed = false;
  private delay: number;
  private timer: TimerHandle | null = null;
  private pinger: TimerHandle | null = null;
  connects = 0;

  constructor(
    private readonly url: string,
    private readonly wall: Clock,
    private readonly logger: Logger,
    private readonly baseDelayMs: number,
    private readonly h: WsStreamHandlers,
    private readonly pingMs = 20_000,
    /** An application-level ping sent with every protocol ping (Nado's subscription stream expects one). */
    private readonly pingMessage: (() => unknown) | null = null,
  ) {
    this.delay = baseDelayMs;
  }

  start(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on('open', () => {
      this.connects++;
      this.delay = this.baseDelayMs;
      this.h.onOpen((m) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m)));
      this.armPing(ws);
    });
    ws.on('message', (data) => this.h.onMessage(data.toString(), this.wall.now()));
    ws.on('error', (err) => this.logger.warn({ err: err.message }, 'stream error'));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.pinger) this.wall.cancelTimer(this.pinger);
      if (this.closed) return;
      this.h.onDrop('socket closed');
      this.timer = this.wall.setTimer(this.delay, () => {
        this.timer = null;
        this.start();
      });
      this.delay = Math.min(30_000, this.delay * 2);
    });
  }

  /** Forces a reconnect (a detected gap that needs a fresh subscription). */
  drop(): void {
    this.ws?.terminate();
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.wall.cancelTimer(this.timer);
    if (this.pinger) this.wall.cancelTimer(this.pinger);
    this.ws?.close();
    this.ws = null;
  }

  private armPing(ws: WebSocket): void {
    this.pinger = this.wall.setTimer(this.pingMs, () => {
      if (ws.readyState === WebSocket.OPEN) {
        ws.ping();
        if (this.pingMessage) ws.send(JSON.stringify(this.pingMessage()));
      }
      if (this.ws === ws) this.armPing(ws);
    });
  }
}
