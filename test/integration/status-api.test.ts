import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { tempDir } from './cli-harness.js';

describe('status API against a bot on the simulated market', () => {
  const token = 'test-token-123';
  let c: Composed;
  let server: ApiServer;
  let base = '';

  beforeAll(async () => {
    const config = parseConfig({ db: join(tempDir(), 'api.db'), seed: 2, run: { speed: 'max', durationMs: 6 * 3_600_000 } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    server = new ApiServer({ host: '127.0.0.1', port: 0, logger: silentLogger, handlers: apiHandlers(c, config), controlToken: token });
    const port = await server.start();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server.stop();
    c.store.close();
  });

  it('GET /status matches SQLite', async () => {
    const body = (await (await fetch(`${base}/status`)).json()) as { bots: { id: string; closedPairs: number; today: { volumeUsd: number }; currentRiskMultiplier: number }[] };
    const bot = body.bots[0]!;
    expect(bot.id).toBe('dn-eth-sol');
    expect(bot.closedPairs).toBe(c.store.roundTrips.closed('dn-eth-sol').length);
    expect(bot.currentRiskMultiplier).toBe(c.store.bots.get('dn-eth-sol')!.currentRiskMultiplier);
    expect(bot.today.volumeUsd).toBeGreaterThan(0);
  });

  it('GET /metrics is Prometheus text with orders by state, fills, equity and event-loop lag', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const fills = (c.store.db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n;
    expect(text).toContain(`dnbot_fills ${fills}`);
    expect(text).toMatch(/dnbot_orders\{status="filled"\} \d+/);
    expect(text).toMatch(/dnbot_equity_usd \d/);
    expect(text).toMatch(/dnbot_process_nodejs_eventloop_lag_seconds/);
  });

  it('GET /health carries the reconciliation and stream lag', async () => {
    const body = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
    expect(body['last_reconciliation']).not.toBeNull();
    expect(typeof body['stream_lag_seconds']).toBe('number');
    expect(body['adaptive_leverage_status']).toBeTruthy();
  });

  it('control refuses without the token and acts with it, counting a manual intervention', async () => {
    expect((await fetch(`${base}/control/halt`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${base}/control/halt`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-12' } })).status).toBe(401);
    const before = c.store.controls.interventionsSince('dn-eth-sol', 0);
    const ok = await fetch(`${base}/control/halt`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ reason: 'api test' }) });
    expect(ok.status).toBe(200);
    expect(c.store.controls.halted('dn-eth-sol')).toMatch(/api test/);
    expect(c.store.controls.interventionsSince('dn-eth-sol', 0)).toBe(before + 1);
    const resume = await fetch(`${base}/control/resume`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(resume.status).toBe(200);
    expect(c.store.controls.halted('dn-eth-sol')).toBeNull();
    const reset = await fetch(`${base}/control/breaker-reset`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(reset.status).toBe(200);
    const unknown = await fetch(`${base}/control/explode`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
    const badBody = await fetch(`${base}/control/halt`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '[1,2]' });
    expect(badBody.status).toBe(400);
  });
});
