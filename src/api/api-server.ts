import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';

/** The result of a control action: an HTTP status and a JSON body. */
export interface ControlResult {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiHandlers {
  /** `GET /health`. */
  health(): unknown;
  /** `GET /status`. */
  status?(): unknown;
  /** `GET /metrics`, Prometheus text format. */
  metrics?(): Promise<string>;
  /** `POST /control/<action>`, only after the token matched. */
  control?(action: string, body: Record<string, unknown>): ControlResult;
}

export interface ApiServerOptions {
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  readonly handlers: ApiHandlers;
  /** Bearer token for control actions (from the environment); none means control is refused. */
  readonly controlToken?: string;
}

const MAX_BODY = 16 * 1024;

/**
 * The local status API: `GET /health`, `/status`, `/metrics` (read-only, open on loopback) and
 * `POST /control/<action>` (bearer token from the environment; 401 without it). Serves only the
 * documents it is given: no secret is ever in them.
 */
export class ApiServer {
  private server: Server | null = null;

  constructor(private readonly o: ApiServerOptions) {}

  /** Starts listening; resolves with the bound port, or null when the port is taken (the bot runs on). */
  start(): Promise<number | null> {
    return new Promise((resolve) => {
      const server = createServer((req, res) => {
        this.handle(req, res).catch((err: unknown) => {
          this.o.logger.error({ err: String(err) }, 'status API request failed');
          if (!res.headersSent) this.send(res, 500, { error: 'internal error' });
        });
      });
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const h = this.o.handlers;
    if (path.startsWith('/control/')) {
      if (req.method !== 'POST') return this.send(res, 405, { error: 'method not allowed' });
      if (!this.authorized(req)) return this.send(res, 401, { error: 'control needs the bearer token (DNBOT_CONTROL_TOKEN)' });
      if (!h.control) return this.send(res, 404, { error: 'control not available' });
      const body = await this.readBody(req);
      if (body === null) return this.send(res, 400, { error: 'body must be a JSON object' });
      const r = h.control(decodeURIComponent(path.slice('/control/'.length)), body);
      return this.send(res, r.status, r.body);
    }
    if (req.method !== 'GET') return this.send(res, 405, { error: 'method not allowed' });
    if (path === '/health') return this.send(res, 200, h.health());
    if (path === '/status' && h.status) return this.send(res, 200, h.status());
    if (path === '/metrics' && h.metrics) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(await h.metrics());
      return;
    }
    return this.send(res, 404, { error: 'not found', endpoints: ['/health', '/status', '/metrics', 'POST /control/<action>'] });
  }

  private authorized(req: IncomingMessage): boolean {
    const token = this.o.controlToken;
    if (!token) return false;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
    return new Promise((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.length > MAX_BODY) req.destroy();
      });
      req.on('end', () => {
        if (text.trim() === '') return resolve({});
        try {
          const v: unknown = JSON.parse(text);
          resolve(v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
        } catch {
          resolve(null);
        }
      });
      req.on('error', () => resolve(null));
    });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
