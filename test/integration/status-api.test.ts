import { phaseGateFor } from '../../src/engine/phase-gate-reader.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import type { DnbotConfig } from '../../src/cli/config-schema.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { tempDir } from './cli-harness.js';
import { equityRows } from '../support/equity-rows.js';

describe('status API against a bot on the simulated market', () => {
  const token = 'test-token-123';
  let c: Composed;
  let config: DnbotConfig;
  let server: ApiServer;
  let base = '';

  beforeAll(async () => {
    config = parseConfig({ db: join(tempDir(), 'api.db'), seed: 2, run: { speed: 'max', durationMs: 6 * 3_600_000 }, api: { health: { maxEventLoopLagMs: 60_000 } } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock: new LiveClock(), pushIntervalMs: 100, logger: silentLogger, handlers: apiHandlers(c, config), controlToken: token });
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

  it('GET /status carries what the dashboard shows, consistent with SQLite', async () => {
    type Doc = {
      market_ts: number;
      account: { equity: number };
      live: { net_delta_usd: number; gross_notional_usd: number; open_pairs: number };
      risk: { level: string } | null;
      recentEvents: { id: number; kind: string }[];
      bots: { id: string; volumeTargetUsd: number; baseEquity: number; phase: { phase: number }; equity: { ts: number; equity: number }; openPairs: { id: string }[]; openOrders: unknown[]; exitPlans: { pairId: string }[]; breakers: unknown[] }[];
    };
    const body = (await (await fetch(`${base}/status`)).json()) as Doc;
    const bot = body.bots[0]!;
    expect(bot.volumeTargetUsd).toBe(config.phases[bot.phase.phase as 1 | 2 | 3 | 4].dailyVolumeTargetUsd);
    expect(bot.baseEquity).toBe(equityRows(c.store.db).find((r) => r.botId === bot.id)!.equity);
    expect(bot.equity).toEqual(c.store.snapshots.latestEquity(bot.id));
    expect(bot.openPairs.map((p) => p.id)).toEqual(c.store.roundTrips.active(bot.id).map((p) => p.id));
    expect(bot.exitPlans.map((p) => p.pairId)).toEqual(c.store.exitPlans.active(bot.id).map((p) => p.pairId));
    expect(body.recentEvents.map((e) => e.id)).toEqual(c.store.events.recent(25).map((e) => e.id));
    expect(body.account.equity).toBe(c.runtime.currentAccount().equity);
    expect(body.live.net_delta_usd).toBe(c.runtime.status().netDeltaUsd);
    const lastRisk = c.store.db.prepare('SELECT risk_level FROM risk_snapshots ORDER BY id DESC LIMIT 1').get() as { risk_level: string } | undefined;
    expect(body.risk?.level ?? null).toBe(lastRisk?.risk_level ?? null);
    expect(body.market_ts).toBe(c.runtime.status().ts);
  });

  it('GET /status carries each bot\'s latest fills and round trips, fees and funding, leverage used and liquidation prices', async () => {
    type Doc = {
      bots: {
        id: string;
        fills: { ts: number; symbol: string; size: number; price: number; fee: number; purpose: string }[];
        trades: { id: string; realizedPnl: number }[];
        costs: { feesUsd: number; realizedGrossUsd: number; fundingUsd: number | null };
        margin: { equity: number; grossNotionalUsd: number; leverage: number; allowedLeverage: number; liquidation: { symbol: string; price: number | null }[]; unpriced: string[] };
      }[];
    };
    const bot = ((await (await fetch(`${base}/status`)).json()) as Doc).bots[0]!;
    const fills = c.store.db
      .prepare('SELECT f.ts AS ts, f.symbol AS symbol, f.fee AS fee, o.purpose AS purpose FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = ? ORDER BY f.rowid DESC')
      .all(bot.id) as { ts: number; symbol: string; fee: number; purpose: string }[];
    expect(bot.fills.length).toBe(Math.min(20, fills.length));
    expect(bot.fills.map((f) => [f.ts, f.symbol, f.purpose])).toEqual(fills.slice(0, 20).map((f) => [f.ts, f.symbol, f.purpose]));
    expect(bot.trades.map((t) => t.id)).toEqual(c.store.roundTrips.closed(bot.id).reverse().slice(0, 10).map((t) => t.id));
    expect(bot.trades.length).toBeGreaterThan(0);
    // Fees are every fill's; funding (realised − fees − Δ collateral) is what the paper venue charged.
    expect(bot.costs.feesUsd).toBeCloseTo(fills.reduce((a, f) => a + f.fee, 0), 9);
    expect(bot.costs.fundingUsd).not.toBeNull();
    expect(bot.costs.fundingUsd!).toBeCloseTo(c.paper!.fundingPaid(), 6);
    // Leverage: gross notional at marks over the bot's equity, against min(phase leverage, portfolio cap).
    const marks = new Map(c.store.snapshots.marks('sim').map((m) => [m.symbol, m.price]));
    const held = c.store.positions.list(bot.id, 'sim').filter((p) => p.size !== 0);
    const gross = held.reduce((a, p) => a + Math.abs(p.size) * marks.get(p.symbol)!, 0);
    expect(bot.margin.equity).toBe(c.store.snapshots.latestEquity(bot.id)!.equity);
    expect(bot.margin.grossNotionalUsd).toBeCloseTo(gross, 9);
    expect(bot.margin.leverage).toBeCloseTo(gross / bot.margin.equity, 12);
    expect(bot.margin.allowedLeverage).toBe(Math.min(config.phases[1].leverage, config.risk.limits.maxPortfolioLeverage));
    expect(bot.margin.liquidation.map((l) => l.symbol)).toEqual(held.map((p) => p.symbol));
    expect(bot.margin.unpriced).toEqual([]);
  });

  it('GET /series is the equity history of the stored snapshots, thinned on request', async () => {
    const rows = equityRows(c.store.db).filter((r) => r.botId === 'dn-eth-sol');
    const all = (await (await fetch(`${base}/series?points=5000`)).json()) as { ts: number[]; equity: number[]; pnl: number[]; netDelta: number[]; baseEquity: number; total: number };
    expect(all.total).toBe(rows.length);
    expect(all.ts).toEqual(rows.map((r) => r.ts));
    expect(all.equity).toEqual(rows.map((r) => r.equity));
    expect(all.netDelta).toEqual(rows.map((r) => r.netDelta));
    expect(all.pnl.at(-1)).toBeCloseTo(rows.at(-1)!.equity - rows[0]!.equity, 9);
    const thin = (await (await fetch(`${base}/series?points=50`)).json()) as { ts: number[] };
    expect(thin.ts.length).toBeLessThanOrEqual(50);
    expect(thin.ts[0]).toBe(rows[0]!.ts);
    expect(thin.ts.at(-1)).toBe(rows.at(-1)!.ts);
    const range = (await (await fetch(`${base}/series?from=${rows[10]!.ts}&to=${rows[20]!.ts}`)).json()) as { ts: number[] };
    expect(range.ts).toEqual(rows.slice(10, 21).map((r) => r.ts));
  });

  it('GET /events pushes the status document as server-sent events, on a cadence', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/events`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/\n\n/g) ?? []).length < 4) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    const frames = text.split('\n\n').filter((f) => f.includes('data: '));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    const doc = JSON.parse(frames[0]!.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { bots: { id: string; closedPairs: number }[] };
    expect(doc.bots[0]!.closedPairs).toBe(c.store.roundTrips.closed('dn-eth-sol').length);
    expect(frames.every((f) => f.includes('event: status'))).toBe(true);
  });

  it('GET / serves the dashboard and uPlot from this server only', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith('/') || ref.startsWith('data:')).toBe(true);
      if (ref.startsWith('/')) expect((await fetch(`${base}${ref}`)).status).toBe(200);
    }
    expect(await (await fetch(`${base}/assets/uPlot.iife.min.js`)).text()).toContain('uPlot');
  });

  it('GET /metrics is Prometheus text with orders by state, fills, equity and event-loop lag', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const fills = (c.store.db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n;
    const fillSamples = [...text.matchAll(/^dnbot_fills_total\{bot="dn-eth-sol",venue="sim",symbol="[A-Z-]+"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(fillSamples.reduce((a, b) => a + b, 0)).toBe(fills);
    expect(text).toMatch(/dnbot_orders\{bot="dn-eth-sol",venue="sim",status="filled"\} \d+/);
    expect(text).toMatch(/dnbot_equity_usd\{venue="sim"\} \d/);
    expect(text).toMatch(/dnbot_nodejs_eventloop_lag_seconds/);
    expect(text).toMatch(/# TYPE dnbot_order_latency_seconds histogram/);
  });

  it('GET /health answers 200 ok on a healthy run; /ready 503 once the run stopped', async () => {
    const h = await fetch(`${base}/health`);
    const body = (await h.json()) as { status: string; reasons: unknown[] };
    expect(body.reasons).toEqual([]);
    expect(h.status).toBe(200);
    const r = await fetch(`${base}/ready`);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { reasons: string[] }).reasons).toContain('runtime stopped');
  });

  it('GET /health carries the reconciliation and stream lag', async () => {
    const body = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
    expect(body['last_reconciliation']).not.toBeNull();
    expect(typeof body['stream_lag_seconds']).toBe('number');
    expect(body['adaptive_leverage_status']).toBeTruthy();
    // The phase gate `dnbot phase status` shows, judged at the bot's time.
    const gates = body['phase_gates'] as { bot: string; phase: number; criteria: { name: string; actual: number }[] }[];
    const bot = c.store.bots.get('dn-eth-sol')!;
    const same = phaseGateFor(c.store, 'dn-eth-sol', config.phases, bot.lastMarketTs ?? bot.updatedTs);
    expect(gates[0]).toMatchObject({ bot: 'dn-eth-sol', phase: same.phase });
    expect(gates[0]!.criteria.map((k) => [k.name, k.actual])).toEqual(same.criteria.map((k) => [k.name, k.actual]));
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

  it.each([
    ['a malformed escape in the action', '/control/%E0%A4%A', JSON.stringify({ reason: 'x' }), 400],
    ['a bot id that is not a string (never read as every bot)', '/control/halt', JSON.stringify({ bot: 5 }), 400],
    ['a reason that is not a string', '/control/halt', JSON.stringify({ reason: ['x'] }), 400],
    ['a 20 KB body: 413, not a reset connection', '/control/halt', JSON.stringify({ reason: 'x'.repeat(20_000) }), 413],
  ])('control refuses %s', async (_what, path, body, status) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    expect(r.status).toBe(status);
    expect(c.store.controls.halted('dn-eth-sol')).toBeNull();
  });

  it('never serves the token, whatever is asked', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const bodies: string[] = [];
    for (const path of ['/', '/dashboard.js', '/dashboard.css', '/health', '/status', '/series', '/metrics', '/nope', `/${token}`]) {
      bodies.push(await (await fetch(`${base}${path}`, { headers: auth })).text());
    }
    for (const action of ['halt', 'resume', 'cancel-all', 'phase-rollback', 'phase-approve', 'breaker-reset', 'explode']) {
      for (const headers of [auth, {}]) {
        const r = await fetch(`${base}/control/${action}`, { method: 'POST', headers, body: JSON.stringify({ reason: 'token check' }) });
        bodies.push(JSON.stringify([...r.headers]), await r.text());
      }
    }
    const ctrl = new AbortController();
    const stream = await fetch(`${base}/events`, { headers: auth, signal: ctrl.signal });
    bodies.push(new TextDecoder().decode((await stream.body!.getReader().read()).value));
    ctrl.abort();
    expect(bodies.join('\n').length).toBeGreaterThan(1_000);
    for (const b of bodies) expect(b).not.toContain(token);
  });
});
