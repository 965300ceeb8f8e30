import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';
import { SimClock } from '../../src/core/clock.js';
import { PortfolioMonitor, type ProtectedBook } from '../../src/engine/portfolio-monitor.js';
import type { HedgeTrade } from '../../src/hedging/hedge-plan.js';
import { SizingStepRepository } from '../../src/store/sizing-step-repository.js';
import { Store } from '../../src/store/store.js';
import { normalSource, seededUniform } from '../../src/core/rng.js';
import { wrappedSource } from '../support/wrapped-source.js';

/** A source that calls `hook` before every event (to act on the running bot) and may rewrite events. */
function hooked(hook: () => void, rewrite: (ev: MarketEvent) => MarketEvent = (e) => e): (s: MarketDataSource) => MarketDataSource {
  return (s) => wrappedSource(s, (): MarketEvent | null => {
    hook();
    const ev = s.next();
    return ev ? rewrite(ev) : ev;
  });
}

describe('hedging engine on the simulated market', () => {
  it('hedges a forced one-sided fill back into the pair band, and measures the hedge', async () => {
    const db = join(tempDir(), 'hedge.db');
    const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 8 * 3_600_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    let forced: { pairId: string; ts: number } | null = null;
    let c: Composed | null = null;
    const hook = (): void => {
      const bot = c?.bots[0];
      const pair = bot?.activePair;
      if (forced || !c || !bot || pair?.status !== 'open') return;
      // An extra 40% of the long leg arrives from outside the pair's plan: the book is one-sided.
      const long = bot.positionMap().get(pair.longSymbol)!;
      const lot = c.source.instruments.find((i) => i.symbol === pair.longSymbol)!.lotSize;
      const size = Math.round((Math.abs(long.size) * 0.4) / lot) * lot;
      c.orders.submit({ botId: bot.id, symbol: pair.longSymbol, side: 'buy', type: 'market', tif: 'IOC', size: Number(size.toFixed(6)), reduceOnly: false, purpose: 'manual', pairId: pair.id, sizingTrace: [] });
      forced = { pairId: pair.id, ts: c.runtime.stats.lastTs ?? 0 };
    };
    c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: hooked(hook) });
    await c.runtime.run();
    c.store.close();
    expect(forced).not.toBeNull();
    const sql = new Database(db, { readonly: true });
    const hedges = sql.prepare(`SELECT data FROM events WHERE kind = 'hedge' AND ts >= ? ORDER BY id`).all(forced!.ts).map((r) => JSON.parse((r as { data: string }).data) as { pairId: string; deltaBefore: number; tolerance: number });
    expect(hedges.length).toBeGreaterThan(0);
    const first = hedges[0]!;
    expect(first.pairId).toBe(forced!.pairId);
    expect(Math.abs(first.deltaBefore)).toBeGreaterThan(first.tolerance);
    const eff = sql.prepare(`SELECT data FROM events WHERE kind = 'hedge_effectiveness' AND ts >= ? ORDER BY id LIMIT 1`).get(forced!.ts) as { data: string };
    const measured = JSON.parse(eff.data) as { deltaAfter: number; ratio: number };
    expect(Math.abs(measured.deltaAfter)).toBeLessThanOrEqual(first.tolerance);
    expect(measured.ratio).toBeGreaterThan(0.5);
    sql.close();
  });
});

describe('liquidation monitor', () => {
  it('a crash raises the risk level and the configured action reaches every bot', () => {
    const store = Store.open(':memory:');
    const clock = new SimClock(Date.UTC(2026, 0, 1));
    const instruments = new Map(['ETH-PERP', 'SOL-PERP'].map((symbol) => [symbol, { venue: 'sim', symbol, baseAsset: symbol.slice(0, 3), quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 }]));
    // A 3×-levered DN pair on $1,000: long $1,500 ETH, short $1,500 SOL.
    const positions = new Map([
      ['ETH-PERP', { symbol: 'ETH-PERP', size: 0.5, entryPrice: 3_000, realizedPnl: 0 }],
      ['SOL-PERP', { symbol: 'SOL-PERP', size: -10, entryPrice: 150, realizedPnl: 0 }],
    ]);
    const actions: { kind: string; reason: string }[] = [];
    const bot: ProtectedBook = { positionMap: () => positions, applyProtection: (a, reason) => actions.push({ kind: a.kind, reason }) };
    const marks = new Map([['ETH-PERP', 3_000], ['SOL-PERP', 150]]);
    const config = parseConfig({}).portfolio;
    const monitor = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments, bots: [bot], mark: (s) => marks.get(s), config: { ...config, intervalMs: 1_000 } });
    const equityAt = (eth: number, sol: number): number => 1_000 + 0.5 * (eth - 3_000) - 10 * (sol - 150);
    const severity = (l: string): number => ['low', 'medium', 'high', 'critical'].indexOf(l);

    const calm = monitor.evaluate({ equity: equityAt(3_000, 150), collateral: 1_000, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 })!;
    // Health = 1,000 / (3,000 × 3%) = 1,111%.
    expect(calm.healthRatio).toBeCloseTo(1_111.1, 1);
    // The correlation break: ETH −25% while SOL +25%: equity 1,000 − 375 − 375 = 250,
    // MM = (1,125 + 1,875) × 3% = 90 → 278%.
    marks.set('ETH-PERP', 2_250);
    marks.set('SOL-PERP', 187.5);
    clock.advanceTo(clock.now() + 60_000);
    const crashed = monitor.evaluate({ equity: equityAt(2_250, 187.5), collateral: 250, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 })!;
    expect(crashed.healthRatio).toBeCloseTo(277.8, 1);
    expect(severity(crashed.riskLevel)).toBeGreaterThan(severity(calm.riskLevel));
    // The configured action of the new level reached the bot, and both evaluations are recorded.
    expect(actions.at(-1)!.kind).toBe(crashed.action.kind);
    expect(actions.at(-1)!.kind).not.toBe('none');
    expect(store.riskSnapshots.latest('sim')!.riskLevel).toBe(crashed.riskLevel);
    expect(store.events.recent(10, 'risk_level').at(0)!.data['to']).toBe(crashed.riskLevel);
    // A change of level keeps every stress scenario; a routine row (15 evaluations on, same
    // level) keeps the figures and only the worst scenario's name.
    expect((store.riskSnapshots.latest('sim')!.report['stressTestResults'] as unknown[]).length).toBeGreaterThan(0);
    for (let i = 0; i < 15; i++) {
      clock.advanceTo(clock.now() + 60_000);
      monitor.evaluate({ equity: equityAt(2_250, 187.5), collateral: 250, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 });
    }
    const routine = store.riskSnapshots.latest('sim')!;
    expect(routine.ts).toBe(clock.now());
    expect(routine.report['stressTestResults']).toBeUndefined();
    expect(typeof routine.report['worstStress']).toBe('string');
    expect(routine.report['healthRatio']).toBeCloseTo(277.8, 1);
    // A routine row holds figures to six significant digits and leaves its columns out of the JSON.
    const raw = JSON.parse((store.db.prepare('SELECT report FROM risk_snapshots ORDER BY id DESC LIMIT 1').get() as { report: string }).report) as Record<string, unknown>;
    expect(raw['healthRatio']).toBeUndefined();
    expect(raw['protectionActions']).toBeUndefined();
    expect(String(raw['equity']).replace(/[-.]/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(6);
    store.close();
  });
});

describe('emergency hedge', () => {
  it('a portfolio delta outside the emergency band produces bounded, depth-capped trades routed to the bot holding the legs', () => {
    const store = Store.open(':memory:');
    const clock = new SimClock(Date.UTC(2026, 0, 1));
    const eth = { venue: 'sim', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 };
    const sol = { ...eth, symbol: 'SOL-PERP', baseAsset: 'SOL', lotSize: 0.01, minSize: 0.01, tickSize: 0.001 };
    // Long $3,000 ETH against only $1,000 SOL short: delta +$2,000, gross $4,000 (emergency band max($250, 15%) = $600).
    const positions = new Map([
      ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 3_000, realizedPnl: 0 }],
      ['SOL-PERP', { symbol: 'SOL-PERP', size: -6.67, entryPrice: 150, realizedPnl: 0 }],
    ]);
    const routed: HedgeTrade[][] = [];
    const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined, emergencyHedge: (t) => (routed.push([...t]), true) };
    const marks = new Map([['ETH-PERP', 3_000], ['SOL-PERP', 150]]);
    const level = (p: number, size: number) => ({ price: p, size });
    const books = new Map([
      ['ETH-PERP', { symbol: 'ETH-PERP', ts: 0, seq: 1, bids: [level(2_999.99, 0.2), level(2_999.5, 0.2), level(2_999, 5)], asks: [level(3_000.01, 5)] }],
      ['SOL-PERP', { symbol: 'SOL-PERP', ts: 0, seq: 1, bids: [level(149.99, 100)], asks: [level(150.01, 100)] }],
    ]);
    const config = parseConfig({}).portfolio;
    const monitor = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map([['ETH-PERP', eth], ['SOL-PERP', sol]]), bots: [bot], mark: (s) => marks.get(s), book: (s) => books.get(s), config });
    monitor.evaluate({ equity: 10_000, collateral: 10_000, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 });
    expect(routed.length).toBe(1);
    const trades = routed[0]!;
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.length).toBeLessThanOrEqual(config.hedging.maxEmergencyTrades);
    // Reduce-only sells of the heavy ETH leg, never more than the position, and the delta comes back inside the normal band.
    for (const t of trades) expect(t).toMatchObject({ market: 'ETH-PERP', side: 'sell', reduceOnly: true });
    const sold = trades.reduce((a, t) => a + t.size, 0);
    expect(sold).toBeLessThanOrEqual(1);
    expect(Math.abs(trades.at(-1)!.expectedDeltaAfter)).toBeLessThanOrEqual(Math.max(config.hedging.toleranceUsd, config.hedging.toleranceFraction * 4_000) + 1e-6);
    expect(store.events.recent(5, 'emergency_hedge').length).toBe(1);
    store.close();
  });

  it('a leg without a mark yet (just after a restart) is not a one-legged book: no evaluation, no hedge', () => {
    const store = Store.open(':memory:');
    const clock = new SimClock(Date.UTC(2026, 0, 1));
    const eth = { venue: 'sim', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 };
    const sol = { ...eth, symbol: 'SOL-PERP', baseAsset: 'SOL' };
    // A matched pair: $3,000 long ETH against 20 SOL short at $150. Only ETH has a mark so far.
    const positions = new Map([
      ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 3_000, realizedPnl: 0 }],
      ['SOL-PERP', { symbol: 'SOL-PERP', size: -20, entryPrice: 150, realizedPnl: 0 }],
    ]);
    const routed: HedgeTrade[][] = [];
    const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined, emergencyHedge: (t) => (routed.push([...t]), true) };
    const marks = new Map([['ETH-PERP', 3_000]]);
    const monitor = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map([['ETH-PERP', eth], ['SOL-PERP', sol]]), bots: [bot], mark: (s) => marks.get(s), config: parseConfig({}).portfolio });
    const account = { equity: 10_000, collateral: 10_000, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 };
    expect(monitor.evaluate(account)).toBeNull();
    expect(routed).toEqual([]);
    expect(store.events.recent(5, 'emergency_hedge')).toEqual([]);
    // Once SOL has its mark the book is seen whole: neutral, nothing to hedge.
    marks.set('SOL-PERP', 150);
    expect(monitor.evaluate(account)).not.toBeNull();
    expect(routed).toEqual([]);
    store.close();
  });
});

describe('graduated action on a running bot', () => {
  it('reduce cuts both legs by the fraction with reduce-only orders and blocks entries; exits are not blocked', async () => {
    const db = join(tempDir(), 'reduce.db');
    const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 8 * 3_600_000 }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    let c: Composed | null = null;
    let before: Record<string, number> | null = null;
    let actedAt = 0;
    const hook = (): void => {
      const bot = c?.bots[0];
      if (before || !c || !bot || bot.activePair?.status !== 'open') return;
      before = Object.fromEntries([...bot.positionMap()].map(([s, p]) => [s, p.size]));
      actedAt = c.runtime.stats.lastTs ?? 0;
      bot.applyProtection({ kind: 'reduce', fraction: 0.5 }, 'test: risk level high');
    };
    c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: hooked(hook) });
    await c.runtime.run();
    c.store.close();
    expect(before).not.toBeNull();
    const sql = new Database(db, { readonly: true });
    const cuts = sql.prepare(`SELECT symbol, SUM(filled_size) AS f, MIN(reduce_only) AS ro FROM orders WHERE purpose = 'exit' AND created_ts >= ? AND created_ts <= ? GROUP BY symbol`).all(actedAt, actedAt + 60_000) as { symbol: string; f: number; ro: number }[];
    expect(cuts.length).toBe(2);
    for (const cut of cuts) {
      expect(cut.ro).toBe(1);
      expect(cut.f / Math.abs(before![cut.symbol]!)).toBeCloseTo(0.5, 1);
    }
    const entries = sql.prepare(`SELECT COUNT(*) AS n FROM orders WHERE purpose = 'entry' AND created_ts > ?`).get(actedAt) as { n: number };
    expect(entries.n).toBe(0);
    sql.close();
  });
});

describe('dnbot risk', () => {
  it('reports VaR, volatility, limits with headroom and the liquidation picture from SQLite', async () => {
    const { runCli } = await import('./cli-harness.js');
    const db = join(tempDir(), 'report.db');
    expect((await runCli(['run', '--speed', 'max', '--duration', '30h', '--seed', '3', '--db', db, '--json', '--log-level', 'silent'])).code).toBe(0);
    const r = await runCli(['risk', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out[0]!) as {
      equity: number;
      assets: { symbol: string; realisedVolatility: unknown; garch: unknown }[];
      limits: { limit: string; allowed: number; headroom: number | null }[];
      liquidation: { riskLevel: string; stressTestResults: unknown[] } | null;
      trades: { totalTrades: number };
      annualisation: { short: boolean } | null;
    };
    expect(report.equity).toBeGreaterThan(0);
    expect(report.assets.map((a) => a.symbol).sort()).toEqual(['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
    for (const a of report.assets) expect(typeof a.realisedVolatility).toBe('number');
    expect(report.limits.find((l) => l.limit === 'maxPortfolioLeverage')!.headroom).toBeGreaterThan(0);
    // Seed 001: all bots' margin against the tier's total leveraged-asset limit, and the largest position's margin against 10% of available capital.
    expect(report.limits.find((l) => l.limit === 'totalLeveragedPercent')!.allowed).toBe(0.35);
    expect(report.limits.find((l) => l.limit === 'positionCapitalPercent')!.allowed).toBeCloseTo(0.025, 12);
    expect(report.liquidation!.stressTestResults.length).toBeGreaterThan(0);
    expect(report.trades.totalTrades).toBeGreaterThan(0);
    // DCC correlation, regime and hedge ratio of the pair, and the size seed 002's suggest_position_sizes gives.
    const dyn = (JSON.parse(r.out[0]!) as { dynamics: { long: string; short: string; correlation: number; regime: { label: string }; hedgeRatio: { ratio: number } } }).dynamics;
    expect(Math.abs(dyn.correlation)).toBeLessThanOrEqual(1);
    expect(['normal', 'low-volatility', 'high-volatility', 'correlation-breakdown']).toContain(dyn.regime.label);
    expect(dyn.hedgeRatio.ratio).toBeGreaterThan(0);
    const size = (JSON.parse(r.out[0]!) as { suggestedSize: { longNotionalUsd: number; shortNotionalUsd: number; hedgeRatio: number; binding: string; caps: Record<string, number> } }).suggestedSize;
    expect(size.hedgeRatio).toBe(1); // betaAdjusted is off by default: the pair is sized 1:1
    expect(size.shortNotionalUsd).toBeCloseTo(size.longNotionalUsd, 9);
    expect(size.longNotionalUsd).toBe(Math.min(...Object.values(size.caps)));
    const text = await runCli(['risk', '--db', db]);
    expect(text.out.join('\n')).toMatch(/dynamic correlation \S+\/\S+ \(DCC a [\d.]+ b [\d.]+/);
    expect(text.out.join('\n')).toMatch(/regime (NORMAL|LOW-VOLATILITY|HIGH-VOLATILITY|CORRELATION-BREAKDOWN)/);
    expect(text.out.join('\n')).toMatch(/suggested size: long \S+ \$[\d,.]+, short/);
    const tight = JSON.parse((await runCli(['risk', '--db', db, '--json', '--risk-tolerance', '0.0001'])).out[0]!) as { suggestedSize: { binding: string } };
    expect(tight.suggestedSize.binding).toBe('var-budget');
    const badTolerance = await runCli(['risk', '--db', db, '--risk-tolerance', '2']);
    expect(badTolerance.code).toBe(2);
    expect(badTolerance.err.join('\n')).toMatch(/--risk-tolerance/);
    expect(text.out.join('\n')).toMatch(/1-day 95% VaR|flat book/);
    expect(text.out.join('\n')).toMatch(/risk level (LOW|MEDIUM|HIGH|CRITICAL)/);
    // 30 hours of equity: the annualised ratios are flagged, in the text and in the JSON.
    expect(text.out.join('\n')).toMatch(/Sharpe -?[\d.]+, Sortino .*\[WARNING: annualised from 1\.\d day\(s\) of data, under 30/);
    expect(report.annualisation?.short).toBe(true);

    // --horizon 7d: any horizon, flagged when it falls back to √t; risk shares sum to 1; per-position PnL.
    const week = await runCli(['risk', '--db', db, '--horizon', '7d', '--bars', '2000', '--json']);
    expect(week.code).toBe(0);
    const w = JSON.parse(week.out[0]!) as {
      valueAtRisk: { flat?: true; horizon?: { days: number; method: string }; historical?: { horizonDays: number } };
      positionAnalysis: { riskContribution: number | null; unrealizedPnl: number; realizedPnl: number | null }[];
      limits: { limit: string; actual: number | null }[];
    };
    expect(w.valueAtRisk.flat).toBeUndefined();
    expect(w.valueAtRisk.horizon).toMatchObject({ days: 7, method: 'square-root-of-time' }); // 2,000 bars < 7 days
    expect(w.valueAtRisk.historical!.horizonDays).toBe(7);
    const day = JSON.parse((await runCli(['risk', '--db', db, '--horizon', '1d', '--json'])).out[0]!) as typeof w;
    expect(day.valueAtRisk.horizon).toMatchObject({ days: 1, method: 'overlapping-sum' }); // 30 h of bars hold 20+ one-day windows
    // maxVar1dPercent is judged on the 1-day figure whatever horizon is shown.
    expect(w.limits.find((l) => l.limit === 'maxVar1dPercent')!.actual).toBeDefined();
    const shares = w.positionAnalysis.map((p) => p.riskContribution).filter((x): x is number => x !== null);
    if (shares.length > 0) expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    for (const p of w.positionAnalysis) expect(Number.isFinite(p.unrealizedPnl)).toBe(true);
    const halfDay = (await runCli(['risk', '--db', db, '--horizon', '12h'])).out.join('\n');
    expect(halfDay).toMatch(/horizon 0\.5 day\(s\)/);
    expect(halfDay).toMatch(/PnL unrealised/);
    const bad = await runCli(['risk', '--db', db, '--horizon', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--horizon/);
  });
});

describe('portfolio monitor: honest 1-day VaR, dynamic correlation, allowOpening', () => {
  const eth = { venue: 'sim', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 };
  const sol = { ...eth, symbol: 'SOL-PERP', baseAsset: 'SOL', lotSize: 0.01, minSize: 0.01, tickSize: 0.001 };
  const account = { equity: 10_000, collateral: 10_000, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 };

  /** A mean-reverting pair: SOL a random walk, ETH = 20 × SOL × e^s with s an AR(1) (φ 0.9) spread. */
  function closes(n: number): { eth: number[]; sol: number[] } {
    const z = normalSource(seededUniform(42));
    const out = { eth: [] as number[], sol: [] as number[] };
    let p = 150;
    let s = 0;
    for (let t = 0; t < n; t++) {
      p *= Math.exp(0.001 * z());
      s = 0.9 * s + 0.002 * z();
      out.sol.push(p);
      out.eth.push(20 * p * Math.exp(s));
    }
    return out;
  }

  function monitorWith(windowBars: number, bars: number, hedging: Partial<ReturnType<typeof parseConfig>['portfolio']['hedging']> = {}) {
    const store = Store.open(':memory:');
    const clock = new SimClock(Date.UTC(2026, 0, 1));
    const c = closes(bars);
    const positions = new Map([
      ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: c.eth.at(-1)!, realizedPnl: 0 }],
      ['SOL-PERP', { symbol: 'SOL-PERP', size: -c.eth.at(-1)! / c.sol.at(-1)!, entryPrice: c.sol.at(-1)!, realizedPnl: 0 }],
    ]);
    const routed: HedgeTrade[][] = [];
    const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined, emergencyHedge: (t) => (routed.push([...t]), true) };
    const marks = new Map([['ETH-PERP', c.eth.at(-1)!], ['SOL-PERP', c.sol.at(-1)!]]);
    const base = parseConfig({}).portfolio;
    const config = { ...base, windowBars, hedging: { ...base.hedging, ...hedging } };
    const monitor = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map([['ETH-PERP', eth], ['SOL-PERP', sol]]), bots: [bot], mark: (s) => marks.get(s), config });
    for (let t = 0; t < bars; t++) monitor.onBar(new Map([['ETH-PERP', c.eth[t]!], ['SOL-PERP', c.sol[t]!]]));
    return { store, monitor, positions, c, routed };
  }

  it('the entry gate\'s 1-day VaR is taken from overlapping 1-day windows, not the 1-minute figure × √1440; a short window is flagged', () => {
    const { store, monitor, positions, c } = monitorWith(2_880, 2_881);
    monitor.evaluate(account);
    const m = monitor.metrics();
    expect(m.var1dMethod).toBe('overlapping-sum');
    // Independently: the pair's PnL over every 1,440-minute window, its 5% quantile.
    const w = [...positions.values()].map((p) => p.size * (p.symbol === 'ETH-PERP' ? c.eth.at(-1)! : c.sol.at(-1)!));
    const pnl: number[] = [];
    for (let t = 1; t < c.eth.length; t++) pnl.push(w[0]! * Math.log(c.eth[t]! / c.eth[t - 1]!) + w[1]! * Math.log(c.sol[t]! / c.sol[t - 1]!));
    const sums: number[] = [];
    for (let t = 0; t + 1_440 <= pnl.length; t++) sums.push(pnl.slice(t, t + 1_440).reduce((a, b) => a + b, 0));
    const sorted = [...sums].sort((a, b) => a - b);
    expect(m.var1d95Usd!).toBeGreaterThanOrEqual(-sorted[Math.ceil(0.05 * sorted.length)]! - 1e-9);
    expect(m.var1d95Usd!).toBeLessThanOrEqual(-sorted[Math.floor(0.05 * sorted.length) - 1]! + 1e-9);
    const oneMinute = [...pnl].sort((a, b) => a - b)[Math.floor(0.05 * pnl.length)]!;
    expect(m.var1d95Usd!).toBeLessThan(-oneMinute * Math.sqrt(1_440) / 2); // mean reversion: far below √t
    expect(monitor.metrics().dynamics).toMatchObject({ long: 'ETH-PERP', short: 'SOL-PERP' });
    store.close();
    const short = monitorWith(600, 601);
    short.monitor.evaluate(account);
    expect(short.monitor.metrics().var1dMethod).toBe('square-root-of-time');
    short.store.close();
  });

  it('shows the held pair\'s DCC correlation, regime and hedge ratio, read again at most once an hour of market time', () => {
    const { store, monitor } = monitorWith(2_880, 2_881);
    monitor.evaluate(account);
    const d = monitor.metrics().dynamics!;
    expect(d.correlation).toBeGreaterThan(0);
    expect(d.correlation).toBeLessThanOrEqual(1);
    expect(['normal', 'low-volatility', 'high-volatility', 'correlation-breakdown']).toContain(d.regime);
    expect(monitor.hedgeRatio('ETH-PERP', 'SOL-PERP')).toBe(d.hedgeRatio);
    expect(d.hedgeRatio).toBeGreaterThan(0.5);
    expect(monitor.dynamics('ETH-PERP', 'SOL-PERP')).toBe(monitor.dynamics('ETH-PERP', 'SOL-PERP')); // cached within the hour
    store.close();
  });

  it('allowOpening lets the emergency hedge add to the light leg when the heavy leg\'s book is too thin; off, it only reduces', () => {
    const run = (allowOpening: boolean): HedgeTrade[] => {
      const store = Store.open(':memory:');
      const clock = new SimClock(Date.UTC(2026, 0, 1));
      // Long $3,000 ETH against $1,000 SOL short; ETH's book holds only 0.2 within 10 bps of the touch.
      const positions = new Map([
        ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 3_000, realizedPnl: 0 }],
        ['SOL-PERP', { symbol: 'SOL-PERP', size: -6.67, entryPrice: 150, realizedPnl: 0 }],
      ]);
      const routed: HedgeTrade[][] = [];
      const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined, emergencyHedge: (t) => (routed.push([...t]), true) };
      const books = new Map([
        ['ETH-PERP', { symbol: 'ETH-PERP', ts: 0, seq: 1, bids: [{ price: 2_999.99, size: 0.2 }, { price: 2_990, size: 5 }], asks: [{ price: 3_000.01, size: 5 }] }],
        ['SOL-PERP', { symbol: 'SOL-PERP', ts: 0, seq: 1, bids: [{ price: 149.99, size: 100 }], asks: [{ price: 150.01, size: 100 }] }],
      ]);
      const base = parseConfig({}).portfolio;
      const marks = new Map([['ETH-PERP', 3_000], ['SOL-PERP', 150]]);
      const monitor = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map([['ETH-PERP', eth], ['SOL-PERP', sol]]), bots: [bot], mark: (s) => marks.get(s), book: (s) => books.get(s), config: { ...base, hedging: { ...base.hedging, allowOpening } } });
      monitor.evaluate(account);
      store.close();
      return routed[0] ?? [];
    };
    const closed = run(false);
    expect(closed.every((t) => t.market === 'ETH-PERP' && t.reduceOnly)).toBe(true);
    const open = run(true);
    expect(open.some((t) => t.market === 'SOL-PERP' && t.side === 'sell' && !t.reduceOnly)).toBe(true);
    expect(Math.abs(open.at(-1)!.expectedDeltaAfter)).toBeLessThan(Math.abs(closed.at(-1)!.expectedDeltaAfter));
  });
});

describe('dnbot rebalance --dry-run', () => {
  it('prints the trades to a target or to delta-neutral; bad input exits 2 naming the field; without --dry-run and no bot running nothing is sent', async () => {
    const { runCli } = await import('./cli-harness.js');
    const db = join(tempDir(), 'rebalance.db');
    expect((await runCli(['run', '--speed', 'max', '--duration', '3h', '--seed', '1', '--db', db, '--json', '--log-level', 'silent'])).code).toBe(0);
    const neutral = await runCli(['rebalance', '--db', db, '--dry-run']);
    expect(neutral.code, neutral.err.join('\n')).toBe(0);
    expect(neutral.out[0]).toMatch(/^rebalance \(sim, dry run\) to delta \$0\.00 ± \$[\d,.]+ \(portfolio\.hedging\): delta -?\$[\d,.]+ → -?\$[\d,.]+/);
    const r = await runCli(['rebalance', '--db', db, '--dry-run', '--json', '--target', 'ETH-PERP=0.05,SOL-PERP=-0.05']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const plan = JSON.parse(r.out[0]!) as { dryRun: boolean; trades: { market: string; side: string; size: number }[] };
    expect(plan.dryRun).toBe(true);
    expect(plan.trades.length).toBeGreaterThan(0);
    for (const t of plan.trades) expect(['ETH-PERP', 'SOL-PERP']).toContain(t.market);
    const ordersBefore = (await runCli(['orders', '--db', db, '--json'])).out.join('');
    for (const [args, field] of [
      [['--target', 'DOGE-PERP=0.1'], '--target.DOGE-PERP'],
      [['--target', 'ETH-PERP=0.9'], '--target.ETH-PERP'],
      [['--target', 'ETH-PERP'], '--target'],
    ] as const) {
      const bad = await runCli(['rebalance', '--db', db, '--dry-run', ...args]);
      expect(bad.code).toBe(2);
      expect(bad.err.join('\n')).toContain(field);
    }
    const send = await runCli(['rebalance', '--db', db, '--target', 'ETH-PERP=0.05']);
    expect(send.code).toBe(2);
    expect(send.err.join('\n')).toContain('--db: no bot is running');
    expect((await runCli(['orders', '--db', db, '--json'])).out.join('')).toBe(ordersBefore);
  });
});

describe('portfolio.hedging.betaAdjusted', () => {
  it('on, pairs are entered at the DCC hedge ratio (one leg shrunk, traced) and held there; off, 1:1', async () => {
    const run = async (betaAdjusted: boolean) => {
      const db = join(tempDir(), `beta-${betaAdjusted}.db`);
      const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 10 * 3_600_000 }, portfolio: { hedging: { betaAdjusted } }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
      const ratios: number[] = [];
      await c.runtime.run();
      ratios.push(c.portfolio.hedgeRatio('ETH-PERP', 'SOL-PERP'), c.portfolio.hedgeRatio('SOL-PERP', 'ETH-PERP'));
      c.store.close();
      const sql = new Database(db, { readonly: true });
      // Each distinct sizing step is stored once in sizing_steps; an order lists the ids of its own.
      const steps = new SizingStepRepository(sql);
      const traced = (sql.prepare(`SELECT trace_steps FROM orders WHERE purpose = 'entry'`).pluck().all() as Buffer[])
        .filter((refs) => steps.resolve(refs).some((s) => s.step === 'hedge_ratio'));
      const opened = sql.prepare(`SELECT COUNT(*) AS n FROM round_trips WHERE open_ts IS NOT NULL`).get() as { n: number };
      const failed = sql.prepare(`SELECT COUNT(*) AS n FROM events WHERE kind = 'pair_repair_failed'`).get() as { n: number };
      // Each pair opened within its band, measured with the long leg weighted by the ratio.
      const opens = (sql.prepare(`SELECT data FROM events WHERE kind = 'pair_open'`).all() as { data: string }[]).map((r) => JSON.parse(r.data) as { netDelta: number; tolerance: number });
      sql.close();
      for (const o of opens) expect(Math.abs(o.netDelta)).toBeLessThanOrEqual(o.tolerance + 1e-9);
      return { traced: traced.length, opened: opened.n, ratios, failed: failed.n };
    };
    const off = await run(false);
    expect(off.traced).toBe(0);
    const on = await run(true);
    expect(on.ratios.some((r) => r !== 1)).toBe(true);
    expect(on.traced).toBeGreaterThan(0);
    expect(on.opened).toBeGreaterThan(0);
    expect(on.failed).toBe(0);
  });
});
