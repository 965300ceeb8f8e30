import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LiveClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { loadDashboardAssets, type StaticAsset } from './dashboard-assets.js';
import { EventStream } from './event-stream.js';

/** The result of a control action: an HTTP status and a JSON body. */
export interface ControlResult {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiHandlers {
  /** `GET /health`: 503 when the document's `status` is `fail` (its `reasons` say why), else 200. */
  health(): unknown;
  /** `GET /ready`: 200 once the bot trades (reconciled, market data flowing), 503 before and while stopping. */
  ready?(): { readonly ready: boolean; readonly reasons: readonly string[] };
  /** `GET /status`. */
  status?(): unknown;
  /** `GET /metrics`, Prometheus text format. */
  metrics?(): Promise<string>;
  /** `GET /series`: equity, PnL and delta history (query: bot, from, to, points). */
  series?(query: URLSearchParams): unknown;
  /** `POST /control/<action>`, only after the token matched. */
  control?(action: string, body: Record<string, unknown>): ControlResult;
  /** Releases what the handlers hold (monitors), when the server stops. */
  close?(): void;
}

export interface ApiServerOptions {
  /** Address to bind (see resolveApiBinding: beyond loopback only with a token). */
  readonly host: string;
  /** Reads need the bearer token too (bound beyond loopback). Static dashboard files stay open: they hold no data. */
  readonly readsNeedToken?: boolean;
  /** Wall clock for the server-sent events cadence (default: the live clock). */
  readonly clock?: Clock;
  /** Wall time between pushes on `GET /events`. */
  readonly pushIntervalMs?: number;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger: Logger;
  readonly handlers: ApiHandlers;
  /** Bearer token for control actions (from the environment); none means control is refused. */
  readonly controlToken?: string;
  /** Host names answered besides loopback and `host` (any other Host header: 421). */
  readonly hostNames?: readonly string[];
  /**
   * `/status`, `/health`, `/metrics` and each `/series` query are rebuilt at most this often (wall ms), or
   * {@link BUILD_SPACING} times their last build's time when that is longer; the `/events` pushes
   * share the `/status` build. 0 rebuilds on every read.
   */
  readonly readCacheMs?: number;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

/** Request targets taken as they are, without building a URL: the reads polled many times a second. */
const PLAIN_PATHS = new Set(['/status', '/health', '/metrics', '/ready']);

/** A read document as served: built once per rebuild, encoded once, sent as it is to every reader. */
interface CachedDoc {
  readonly at: number;
  /** Wall ms the build took: the next one waits at least BUILD_SPACING times this. */
  readonly buildMs: number;
  readonly doc: unknown;
  readonly body: Buffer;
}

/**
 * A document is rebuilt no sooner than this many times its last build's wall time after it: builds
 * take at most about 1/20 of the bot's thread even when a busy machine makes each one slow.
 */
export const BUILD_SPACING = 20;

/** Cached documents kept at most (the /series queries are dropped past it). */
const MAX_CACHED_DOCS = 32;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;
const METRICS_HEADERS = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' } as const;

/** The host name of a Host header, without its port (`[::1]:8787` → `::1`), lower-cased. */
export function hostNameOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.slice(0, colon) : h;
}

const MAX_BODY = 16 * 1024;
/** A body this long is not read to its end: the connection is cut. */
const DRAIN_LIMIT = 1024 * 1024;

const STATIC_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  // The page loads nothing from elsewhere; uPlot sets inline styles on its elements.
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
} as const;

/**
 * The local status API and dashboard: `GET /` (the live dashboard, static files), `/health`, `/ready`,
 * `/status`, `/series`, `/events` (server-sent events), `/metrics` (read-only; open on loopback,
 * token-guarded beyond it) and `POST /control/<action>` (bearer token from the environment; 401
 * without it). Serves only the documents it is given: no secret is ever in them.
 */
export class ApiServer {
  private server: Server | null = null;
  private readonly assets: ReadonlyMap<string, StaticAsset>;
  private readonly events: EventStream | null;

  private readonly allowedHosts: ReadonlySet<string>;
  private readonly wall: Clock;
  private readonly cache = new Map<string, CachedDoc>();
  private metricsCache: { readonly at: number; buildMs: number; readonly body: Promise<Buffer> } | null = null;

  constructor(private readonly o: ApiServerOptions) {
    this.allowedHosts = new Set([...LOOPBACK_NAMES, o.host, ...(o.hostNames ?? [])].map((n) => hostNameOf(n)));
    this.wall = o.clock ?? new LiveClock();
    this.assets = loadDashboardAssets();
    const status = o.handlers.status?.bind(o.handlers);
    // Pushes share the /status build: a dashboard open next to a poller costs one build, not two.
    this.events = status ? new EventStream({ clock: o.clock ?? new LiveClock(), intervalMs: o.pushIntervalMs ?? 1_000, logger: o.logger, read: () => this.cached('status', status).doc }) : null;
  }

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
        const host = this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host;
        this.o.logger.info({ url: `http://${host}:${port}/`, readsNeedToken: this.o.readsNeedToken === true }, 'status API and dashboard listening');
        resolve(port);
      });
    });
  }

  stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    this.events?.close();
    this.o.handlers.close?.();
    return new Promise((resolve) => {
      if (!s) return resolve();
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only the names this server is meant to be reached by: a page on evil.example resolving to
    // 127.0.0.1 sends its own name and is turned away before anything is read.
    if (!this.allowedHosts.has(hostNameOf(req.headers.host ?? ''))) return this.send(res, 421, { error: 'unknown Host: this API answers only to its configured host names (api.hostNames)' });
    const target = req.url ?? '/';
    // The polled reads skip URL parsing; anything else (a query, dot segments, an absolute form) is parsed.
    const url = PLAIN_PATHS.has(target) ? null : new URL(target, 'http://localhost');
    const path = url ? url.pathname : target;
    const h = this.o.handlers;
    if (path.startsWith('/control/')) {
      if (req.method !== 'POST') return this.send(res, 405, { error: 'method not allowed' });
      if (!this.authorized(req)) return this.send(res, 401, { error: 'control needs the bearer token (DNBOT_CONTROL_TOKEN)' });
      if (!h.control) return this.send(res, 404, { error: 'control not available' });
      let action: string;
      try {
        action = decodeURIComponent(path.slice('/control/'.length));
      } catch {
        return this.send(res, 400, { error: 'the action is not a valid URL-encoded name' });
      }
      const body = await this.readBody(req);
      if (body === 'too_large') return this.send(res, 413, { error: `body over ${MAX_BODY} bytes` });
      if (body === null) return this.send(res, 400, { error: 'body must be a JSON object' });
      const r = h.control(action, body);
      return this.send(res, r.status, r.body);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, { error: 'method not allowed' });
    const asset = this.assets.get(path === '/index.html' ? '/' : path);
    if (asset) {
      res.writeHead(200, { 'content-type': asset.contentType, 'content-length': asset.body.length, ...STATIC_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (this.o.readsNeedToken && !this.authorized(req)) return this.send(res, 401, { error: 'this server is bound beyond loopback: reads need the bearer token (DNBOT_CONTROL_TOKEN)' });
    if (path === '/health') {
      const c = this.cached('health', () => h.health());
      const failing = typeof c.doc === 'object' && c.doc !== null && (c.doc as { status?: unknown }).status === 'fail';
      return this.sendBody(res, failing ? 503 : 200, JSON_HEADERS, c.body);
    }
    if (path === '/ready' && h.ready) {
      const r = h.ready();
      return this.send(res, r.ready ? 200 : 503, r);
    }
    if (path === '/status' && h.status) {
      const status = h.status.bind(h);
      return this.sendBody(res, 200, JSON_HEADERS, this.cached('status', status).body);
    }
    if (path === '/series' && h.series) {
      const series = h.series.bind(h);
      const query = url?.searchParams ?? new URLSearchParams();
      // Under the same rule as the others, per query (a dashboard reloaded in many tabs reads once).
      if (this.cache.size >= MAX_CACHED_DOCS) for (const k of this.cache.keys()) if (k.startsWith('/series')) this.cache.delete(k);
      return this.sendBody(res, 200, JSON_HEADERS, this.cached(`/series?${query.toString()}`, () => series(query)).body);
    }
    if (path === '/events' && this.events) return this.events.add(res);
    if (path === '/metrics' && h.metrics) {
      const metrics = h.metrics.bind(h);
      return this.sendBody(res, 200, METRICS_HEADERS, await this.cachedMetrics(metrics));
    }
    return this.send(res, 404, { error: 'not found', endpoints: ['/', '/health', '/ready', '/status', '/series', '/events', '/metrics', 'POST /control/<action>'] });
  }

  /**
   * A read document, rebuilt at most every `readCacheMs` of wall time: building it reads SQLite
   * on the bot's event loop, so a flood of reads would otherwise slow the bot itself. Serialized
   * and encoded once per rebuild, not once per read.
   */
  private cached(key: string, build: () => unknown): CachedDoc {
    const ttl = this.o.readCacheMs ?? 0;
    const now = this.wall.now();
    const hit = this.cache.get(key);
    if (hit && ttl > 0 && now - hit.at < Math.max(ttl, hit.buildMs * BUILD_SPACING)) return hit;
    const doc = build();
    const body = Buffer.from(JSON.stringify(doc), 'utf8');
    const entry = { at: now, buildMs: this.wall.now() - now, doc, body };
    this.cache.set(key, entry);
    return entry;
  }

  /** The `/metrics` text, under the same rule; scrapes that arrive while it is built wait for that build. */
  private cachedMetrics(build: () => Promise<string>): Promise<Buffer> {
    const ttl = this.o.readCacheMs ?? 0;
    const now = this.wall.now();
    const hit = this.metricsCache;
    if (hit && ttl > 0 && now - hit.at < Math.max(ttl, hit.buildMs * BUILD_SPACING)) return hit.body;
    const entry = { at: now, buildMs: 0, body: build().then((text) => Buffer.from(text, 'utf8')) };
    const body = entry.body;
    this.metricsCache = entry;
    void body.then(() => {
      entry.buildMs = this.wall.now() - now;
    }, () => undefined);
    // A failed build is not served again: the next scrape builds anew.
    body.catch(() => {
      if (this.metricsCache?.body === body) this.metricsCache = null;
    });
    return body;
  }

  private authorized(req: IncomingMessage): boolean {
    const token = this.o.controlToken;
    if (!token) return false;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * The body as a JSON object; null when it is not one; 'too_large' past MAX_BODY (read to its end
   * so the client gets its 413 instead of a reset connection, up to DRAIN_LIMIT, then cut).
   */
  private readBody(req: IncomingMessage): Promise<Record<string, unknown> | null | 'too_large'> {
    return new Promise((resolve) => {
      let text = '';
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > DRAIN_LIMIT) req.destroy();
        else if (bytes <= MAX_BODY) text += chunk.toString('utf8');
      });
      req.on('end', () => {
        if (bytes > MAX_BODY) return resolve('too_large');
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
    this.sendJson(res, status, JSON.stringify(body));
  }

  private sendJson(res: ServerResponse, status: number, json: string): void {
    res.writeHead(status, JSON_HEADERS);
    res.end(json);
  }

  private sendBody(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: Buffer): void {
    res.writeHead(status, { ...headers, 'content-length': body.length });
    res.end(body);
  }
}
