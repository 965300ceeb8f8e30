import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';

export interface HealthServerOptions {
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  /** Builds the `/health` document from live state on each request. */
  readonly health: () => unknown;
}

/**
 * The local status API: `GET /health` as JSON. Read-only, bound to loopback, serves nothing but
 * the document it is given (no secret is in it).
 */
export class HealthServer {
  private server: Server | null = null;

  constructor(private readonly o: HealthServerOptions) {}

  /** Starts listening; resolves with the bound port, or null when the port is taken (the bot runs on). */
  start(): Promise<number | null> {
    return new Promise((resolve) => {
      const server = createServer((req, res) => this.handle(req, res));
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.o.logger.warn({ port: this.o.port, code: err.code }, 'status API not started');
        resolve(null);
      });
      server.listen(this.o.port, this.o.host, () => {
        this.server = server;
        const port = (server.address() as AddressInfo).port;
        this.o.logger.info({ url: `http://${this.o.host}:${port}/health` }, 'status API listening');
        resolve(port);
      });
    });
  }

  stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    return new Promise((resolve) => (s ? s.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return this.send(res, 405, { error: 'method not allowed' });
    if (path !== '/health') return this.send(res, 404, { error: 'not found', endpoints: ['/health'] });
    try {
      this.send(res, 200, this.o.health());
    } catch (err) {
      this.o.logger.error({ err: String(err) }, 'health document failed');
      this.send(res, 500, { error: 'internal error' });
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  }
}
