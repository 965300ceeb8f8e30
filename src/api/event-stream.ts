import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

export interface EventStreamOptions {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly logger: Logger;
  /** The document pushed on every tick (the `/status` JSON). */
  readonly read: () => unknown;
}

/**
 * Server-sent events: every client of `GET /events` receives the status document at once, then on
 * a fixed wall-time cadence. One document is built per tick, whatever the number of clients; the
 * timer runs only while someone listens.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private timer: TimerHandle | null = null;
  private seq = 0;

  constructor(private readonly o: EventStreamOptions) {}

  get clientCount(): number {
    return this.clients.size;
  }

  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${Math.max(1_000, this.o.intervalMs)}\n\n`);
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopTimer();
    });
    this.write(res, this.frame());
    if (this.timer === null) this.schedule();
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    this.stopTimer();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimer(this.o.intervalMs, () => {
      this.timer = null;
      if (this.clients.size === 0) return;
      const f = this.frame();
      for (const c of this.clients) this.write(c, f);
      this.schedule();
    });
  }

  private stopTimer(): void {
    if (this.timer !== null) this.o.clock.cancelTimer(this.timer);
    this.timer = null;
  }

  private frame(): string {
    let doc: unknown;
    try {
      doc = this.o.read();
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'status push failed');
      doc = { error: 'status unavailable' };
    }
    return `id: ${++this.seq}\nevent: status\ndata: ${JSON.stringify(doc)}\n\n`;
  }

  private write(res: ServerResponse, frame: string): void {
    if (!res.writableEnded) res.write(frame);
  }
}
