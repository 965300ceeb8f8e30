import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer, BUILD_SPACING, type ApiHandlers } from '../../../src/api/api-server.js';
import { LiveClock, SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';

const TOKEN = 'unit-test-token-0123';
const handlers: ApiHandlers = {
  health: () => ({ status: 'ok' }),
  status: () => ({ bots: [{ id: 'b1' }] }),
  series: (q) => ({ bot: q.get('bot'), ts: [1, 2] }),
  metrics: () => Promise.resolve('dnbot_fills 3\n'),
  control: (action) => ({ status: 200, body: { ok: true, action } }),
};

describe('ApiServer', () => {
  let server: ApiServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  const start = async (readsNeedToken: boolean): Promise<string> => {
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock: new LiveClock(), pushIntervalMs: 100, logger: silentLogger, handlers, controlToken: TOKEN, readsNeedToken });
    return `http://127.0.0.1:${await server.start()}`;
  };

  it('on loopback, reads are open and control needs the token', async () => {
    const base = await start(false);
    for (const p of ['/health', '/status', '/series?bot=b1', '/metrics']) expect((await fetch(`${base}${p}`)).status).toBe(200);
    expect((await fetch(`${base}/control/halt`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/control/halt`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('/health answers 503 with its reasons when its status is fail; /ready says whether the bot trades', async () => {
    let failing = false;
    let ready = false;
    server = new ApiServer({
      host: '127.0.0.1',
      port: 0,
      clock: new LiveClock(),
      pushIntervalMs: 100,
      logger: silentLogger,
      handlers: {
        health: () => (failing ? { status: 'fail', reasons: [{ check: 'feed_stale', message: 'nado ETH-PERP: no book for 12 s' }] } : { status: 'ok', reasons: [] }),
        ready: () => ({ ready, reasons: ready ? [] : ['runtime starting'] }),
      },
    });
    const base = `http://127.0.0.1:${await server.start()}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    failing = true;
    ready = true;
    const h = await fetch(`${base}/health`);
    expect(h.status).toBe(503);
    expect(((await h.json()) as { reasons: { check: string }[] }).reasons[0]!.check).toBe('feed_stale');
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('beyond loopback, every read needs the token; the static page (no data) stays reachable', async () => {
    const base = await start(true);
    for (const p of ['/health', '/status', '/series', '/metrics', '/events']) {
      expect((await fetch(`${base}${p}`)).status).toBe(401);
      expect((await fetch(`${base}${p}`, { headers: { authorization: 'Bearer not-the-token-0000' } })).status).toBe(401);
    }
    const ok = await fetch(`${base}/series?bot=b1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ bot: 'b1', ts: [1, 2] });
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('pushes the status to each events client at once and then on the cadence', async () => {
    const base = await start(false);
    const ctrl = new AbortController();
    const res = await fetch(`${base}/events`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/event: status/g) ?? []).length < 3) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(text).toContain('data: {"bots":[{"id":"b1"}]}');
    expect(text).toMatch(/^retry: \d+/);
  });

  it('answers 405 to other methods and 404 with the endpoint list', async () => {
    const base = await start(false);
    expect((await fetch(`${base}/status`, { method: 'DELETE' })).status).toBe(405);
    const nf = await fetch(`${base}/nothing`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { endpoints: string[] }).endpoints).toContain('/events');
  });
});

describe('ApiServer: Host names and read cache', () => {
  let server: ApiServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });
  const get = (port: number, path: string, host: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('answers only to loopback names, its bound host and the configured names; any other Host gets 421', async () => {
    server = new ApiServer({ host: '127.0.0.1', port: 0, logger: silentLogger, handlers, hostNames: ['dnbot.lan'] });
    const port = (await server.start())!;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`, `dnbot.lan:${port}`, 'DNBOT.LAN']) {
      expect(await get(port, '/status', host), host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'evil.example', '127.0.0.1.evil.example']) {
      for (const path of ['/status', '/health', '/', '/metrics']) expect(await get(port, path, host), `${host} ${path}`).toBe(421);
    }
  });

  it('serves /status from a document rebuilt at most every readCacheMs of wall time', async () => {
    const clock = new SimClock(1_000);
    let builds = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, status: () => ({ build: ++builds }) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    const read = async (): Promise<unknown> => (await fetch(`${base}/status`)).json();
    expect(await read()).toEqual({ build: 1 });
    for (let i = 0; i < 20; i++) await read();
    expect(builds).toBe(1);
    clock.advanceTo(1_249);
    expect(await read()).toEqual({ build: 1 });
    clock.advanceTo(1_250);
    expect(await read()).toEqual({ build: 2 });
  });

  it('serves /metrics from a text rebuilt at most every readCacheMs, one build for scrapes that meet', async () => {
    const clock = new SimClock(1_000);
    let builds = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, metrics: () => Promise.resolve(`dnbot_build ${++builds}\n`) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    const read = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
    expect(await Promise.all([read(), read(), read()])).toEqual(['dnbot_build 1\n', 'dnbot_build 1\n', 'dnbot_build 1\n']);
    clock.advanceTo(1_249);
    expect(await read()).toBe('dnbot_build 1\n');
    clock.advanceTo(1_250);
    expect(await read()).toBe('dnbot_build 2\n');
    expect(builds).toBe(2);
  });

  it('a failed /metrics build is not served again', async () => {
    const clock = new SimClock(1_000);
    let calls = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, metrics: () => (++calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve('ok\n')) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(500);
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('ok\n');
  });

  it('/events pushes share the /status build within readCacheMs', async () => {
    const clock = new SimClock(1_000);
    let builds = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, pushIntervalMs: 1_000, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, status: () => ({ build: ++builds }) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    expect(await (await fetch(`${base}/status`)).json()).toEqual({ build: 1 });
    const ctrl = new AbortController();
    const res = await fetch(`${base}/events`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('data:')) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(text).toContain('data: {"build":1}');
    expect(builds).toBe(1);
  });

  it('reads with a query or an unusual target are still routed by their path', async () => {
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock: new LiveClock(), logger: silentLogger, handlers });
    const base = `http://127.0.0.1:${await server.start()}`;
    expect(await (await fetch(`${base}/status?x=1`)).json()).toEqual({ bots: [{ id: 'b1' }] });
    expect(await (await fetch(`${base}/series?bot=b9`)).json()).toEqual({ bot: 'b9', ts: [1, 2] });
    expect(await (await fetch(`${base}/series`)).json()).toEqual({ bot: null, ts: [1, 2] });
    const res = await fetch(`${base}/status`);
    expect(res.headers.get('content-length')).toBe(String(JSON.stringify({ bots: [{ id: 'b1' }] }).length));
  });

  it('a slow build holds the next one off for BUILD_SPACING times its duration, past readCacheMs', async () => {
    const clock = new SimClock(1_000);
    let builds = 0;
    // Each build takes 100 ms of wall time: the next may start 2,000 ms after it began, not 250.
    const status = (): unknown => {
      clock.advanceTo(clock.now() + 100);
      return { build: ++builds };
    };
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, status } });
    const base = `http://127.0.0.1:${await server.start()}`;
    const read = async (): Promise<unknown> => (await fetch(`${base}/status`)).json();
    expect(await read()).toEqual({ build: 1 });
    expect(BUILD_SPACING * 100).toBe(2_000);
    clock.advanceTo(2_999);
    expect(await read()).toEqual({ build: 1 });
    clock.advanceTo(3_000);
    expect(await read()).toEqual({ build: 2 });
  });

  it('serves each /series query from a document rebuilt at most every readCacheMs', async () => {
    const clock = new SimClock(1_000);
    let builds = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, logger: silentLogger, readCacheMs: 250, handlers: { ...handlers, series: (q) => ({ bot: q.get('bot'), build: ++builds }) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    const read = async (q: string): Promise<unknown> => (await fetch(`${base}/series${q}`)).json();
    expect(await read('?bot=a')).toEqual({ bot: 'a', build: 1 });
    expect(await read('?bot=a')).toEqual({ bot: 'a', build: 1 });
    expect(await read('?bot=b')).toEqual({ bot: 'b', build: 2 });
    clock.advanceTo(1_250);
    expect(await read('?bot=a')).toEqual({ bot: 'a', build: 3 });
  });
});

