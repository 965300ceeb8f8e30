import type { DrawdownAnalysis, PerformanceSummary, PortfolioVarEstimate, TradeStatistics, VarEstimate } from '../analytics/index.js';
import type { DnbotConfig } from './config-schema.js';
import { buildRiskReport, type RiskReport } from '../engine/risk-report.js';
import { formatUsd } from '../engine/status-line.js';
import { healthRatioText } from '../report/figure-text.js';
import type { Store } from '../store/store.js';
import { utcDay } from '../core/utc-day.js';
import { effectiveMaxLeverage } from '../risk/leverage-validation.js';
import { storedAllocationTier } from '../engine/allocation-reader.js';
import { EXIT_OK, type CliIo } from './cli-io.js';

const pct = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? 'n/a' : `${(v * 100).toFixed(d)}%`);
/** A price at 6 significant digits (45815.4192 → 45815.4; 0.000123456 stays readable). */
const figure = (v: number): string => String(Number(v.toPrecision(6)));
const num = (v: number | null | undefined, d = 4): string => (v === null || v === undefined ? 'n/a' : v.toFixed(d));
const val = <T>(m: T | { unavailable: string }, f: (v: T) => string): string =>
  m !== null && typeof m === 'object' && 'unavailable' in (m as object) ? `n/a (${(m as { unavailable: string }).unavailable})` : f(m as T);

/** Gathers the report's inputs from SQLite: net positions, last marks, the last `bars` closes, equity curve, round trips. */
export function riskReportFromStore(store: Store, cfg: DnbotConfig, bars: number, horizonDays = 1, riskTolerance?: number): RiskReport & { venue: string } {
  const bots = store.bots.list();
  const venue = bots[0]?.venue ?? cfg.venue;
  const instruments = store.instruments.list(venue);
  const marks = new Map(store.snapshots.marks(venue).map((m) => [m.symbol, m.price]));
  const net = new Map<string, { size: number; cost: number; realized: number }>();
  let realizedPnl = 0;
  for (const b of bots) {
    for (const p of store.positions.list(b.id, venue)) {
      const n = net.get(p.symbol) ?? { size: 0, cost: 0, realized: 0 };
      net.set(p.symbol, { size: n.size + p.size, cost: n.cost + p.size * p.entryPrice, realized: n.realized + p.realizedPnl });
      realizedPnl += p.realizedPnl;
    }
  }
  const positions = [...net].flatMap(([symbol, { size, cost, realized }]) => {
    const instrument = instruments.get(symbol);
    const mark = marks.get(symbol);
    return instrument && mark !== undefined ? [{ symbol, size, mark, entryPrice: size !== 0 ? cost / size : mark, realizedPnl: realized, instrument }] : [];
  });
  const openOrders = store.orders.active(venue).length;
  const closes = new Map(store.bars.symbols(venue).map((s) => [s, store.bars.closes(venue, s, bars).map((b) => b.close)]));
  const snapshots = bots[0] ? store.snapshots.equityHistory(bots[0].id) : [];
  const equityCurve = snapshots.map((r) => r.equity);
  const equitySpanMs = snapshots.length > 1 ? snapshots.at(-1)!.ts - snapshots[0]!.ts : 0;
  const roundTripPnls = bots.flatMap((b) => store.roundTrips.closed(b.id).map((t) => t.realizedPnl ?? 0));
  const equity = equityCurve.at(-1) ?? 0;
  // Seed 001's limits, at the first bot's tier and leverage (the one the account's entries answer to).
  const first = bots[0];
  const allocation = first
    ? (() => {
        const tier = storedAllocationTier(store, first.id, utcDay(first.lastMarketTs ?? first.updatedTs), cfg.risk.allocation);
        const leverage = effectiveMaxLeverage(cfg.phases[store.phases.get(first.id)?.phase ?? 1].leverage, cfg.risk.limits.maxPortfolioLeverage);
        return { tier: tier.tier, limit: tier.limit, totalLimit: tier.totalLimit, leverage, capitalShare: cfg.risk.capitalShare };
      })()
    : undefined;
  return {
    venue,
    ...buildRiskReport({ equity, positions, realizedPnl, openOrders, closes, equityCurve, equitySpanMs, roundTripPnls, limits: cfg.risk.limits, thresholds: cfg.portfolio.thresholds, protection: cfg.portfolio.protection, horizonDays, betaAdjusted: cfg.portfolio.hedging.betaAdjusted, ...(riskTolerance === undefined ? {} : { riskTolerance }), ...(allocation ? { allocation } : {}) }),
  };
}

/** A limit's figure in its own unit: dollars, percent of equity, leverage or health ratio (%). */
export function limitValue(limit: string, v: number | null | undefined): string {
  if (v === null || v === undefined) return 'n/a';
  if (limit.endsWith('Usd')) return formatUsd(v);
  if (limit.endsWith('Percent')) return pct(v);
  if (limit.endsWith('Leverage')) return `${num(v, 2)}×`;
  if (limit === 'minHealthRatio') return healthRatioText(v);
  return String(Number(v.toPrecision(6)));
}

/** `dnbot risk`: how much the book can lose, how far it is from liquidation, what the bot will do. */
export function riskCommand(store: Store, cfg: DnbotConfig, io: CliIo, opts: { json?: boolean; bars: number; horizonDays?: number; riskTolerance?: number }): number {
  const r = riskReportFromStore(store, cfg, opts.bars, opts.horizonDays ?? 1, opts.riskTolerance);
  if (opts.json) {
    io.out(JSON.stringify(r));
    return EXIT_OK;
  }
  io.out(`risk report (${r.venue}): equity ${formatUsd(r.equity)}, gross ${formatUsd(r.grossNotional)}, net delta ${formatUsd(r.netDelta)}`);
  const sm = r.summary;
  io.out(`  unrealised ${formatUsd(sm.unrealizedPnl)}, realised ${formatUsd(sm.realizedPnl)} (before fees), margin used ${formatUsd(sm.marginUsed)}, available ${formatUsd(sm.marginAvailable)}, leverage ${num(sm.leverage, 2)}×, ${sm.openOrders} open orders`);
  if (r.positionAnalysis.length === 0) io.out('  positions: flat');
  for (const p of r.positionAnalysis) {
    io.out(
      `  ${p.symbol.padEnd(9)} ${formatUsd(p.notional)}: vol ${pct(p.volatility, 1)}, beta vs SOL ${num(p.betaVsSol, 2)}, vs BTC ${num(p.betaVsBtc, 2)}, ` +
        `PnL unrealised ${formatUsd(p.unrealizedPnl)}, realised ${p.realizedPnl === null ? 'n/a' : formatUsd(p.realizedPnl)} (before fees), entry ${figure(p.entryPrice)} → ${figure(p.currentPrice)}, ` +
        `corr to portfolio ${num(p.correlationToPortfolio, 2)}, risk share ${pct(p.riskContribution, 1)}, maintenance margin ${formatUsd(p.maintenanceMargin)}, ` +
        `liquidation ${p.liquidationPrice === null ? 'none' : figure(p.liquidationPrice)}`,
    );
  }
  if ('flat' in r.valueAtRisk) io.out('  VaR: flat book, nothing at risk');
  else {
    const v = r.valueAtRisk;
    const hz = v.horizon;
    const label = `${hz.days === 1 ? '1-day' : `${Number(hz.days.toPrecision(6))}-day`} 95% VaR`;
    io.out(
      `  horizon ${Number(hz.days.toPrecision(6))} day(s): ${hz.method === 'overlapping-sum' ? `overlapping ${hz.periods}-minute windows (variance ratio ${num(hz.varianceRatio, 2)}: ${hz.varianceRatio !== null && hz.varianceRatio < 1 ? 'mean-reverting, below √t' : 'not below √t'})` : 'SCALED BY √t (too little history for overlapping windows; overstates a mean-reverting book)'}`,
    );
    io.out(`  ${label.padEnd(14)} historical ${val<VarEstimate>(v.historical, (x) => `${formatUsd(x.valueAtRiskUsd ?? 0)} (${pct(x.valueAtRisk)}), ES ${formatUsd(x.expectedShortfallUsd ?? 0)}`)}`);
    io.out(`                 parametric ${val<VarEstimate>(v.parametric, (x) => `${formatUsd(x.valueAtRiskUsd ?? 0)} (${pct(x.valueAtRisk)}), ES ${formatUsd(x.expectedShortfallUsd ?? 0)}`)}`);
    io.out(`                 Monte Carlo ${val<PortfolioVarEstimate>(v.monteCarlo, (x) => `${formatUsd(x.valueAtRiskUsd)} (${pct(x.valueAtRisk)}), ES ${formatUsd(x.expectedShortfallUsd)}`)}`);
  }
  for (const a of r.assets) {
    io.out(
      `  ${a.symbol.padEnd(9)} vol realised ${val<number>(a.realisedVolatility, (x) => pct(x, 1))}, EWMA ${val<number>(a.ewmaVolatility, (x) => pct(x, 1))}, ` +
        `GARCH ${val<{ alpha: number; beta: number; nextDayVolatility: number }>(a.garch, (g) => `α ${num(g.alpha, 3)} β ${num(g.beta, 3)} next-day ${pct(g.nextDayVolatility)}`)}; beta vs SOL ${num(a.betaVsSol, 2)}, vs BTC ${num(a.betaVsBtc, 2)} (${a.returns} returns)`,
    );
  }
  if (r.correlation) io.out(`  correlation ${r.correlation.symbols.join('/')}: ${r.correlation.matrix.map((row) => row.map((c) => num(c, 2)).join(' ')).join(' | ')}`);
  for (const line of dynamicsLines(r, cfg.portfolio.hedging.betaAdjusted)) io.out(line);
  const shortWindow = r.annualisation?.warning ? ` [WARNING: ${r.annualisation.warning}]` : '';
  io.out(`  drawdown ${val<DrawdownAnalysis>(r.drawdown, (d) => `max ${pct(d.maxDrawdown)}, current ${pct(d.currentDrawdown)}`)}; ${val<PerformanceSummary>(r.performance, (p) => `Sharpe ${num(p.sharpeRatio, 2)}, Sortino ${num(p.sortinoRatio, 2)}, Calmar ${num(p.calmarRatio, 2)}${shortWindow}`)}`);
  io.out(`  trades ${val<TradeStatistics>(r.trades, (t) => `${t.totalTrades} round trips, win rate ${pct(t.winRate, 1)}, profit factor ${num(t.profitFactor, 2)}, avg win ${formatUsd(t.averageWin ?? 0)}, avg loss ${formatUsd(t.averageLoss ?? 0)}, largest loss ${formatUsd(t.largestLoss ?? 0)}`)}`);
  io.out('  limits (actual / allowed, headroom):');
  for (const l of r.limits) io.out(`    ${l.limit.padEnd(24)} ${limitValue(l.limit, l.actual)} / ${limitValue(l.limit, l.allowed)}  ${l.headroom === null ? '' : `headroom ${limitValue(l.limit, l.headroom)}`}`);
  for (const v of r.violations) io.out(`    BREACH ${v.message}`);
  const q = r.liquidation;
  if (q) {
    io.out(`  liquidation: health ${q.healthRatio === null ? 'n/a (no margin in use)' : healthRatioText(q.healthRatio)}, risk level ${q.riskLevel.toUpperCase()}, action: ${q.protectionActions.join('; ') || 'none'}`);
    for (const p of q.liquidationPrices) io.out(`    ${p.symbol}: ${p.price === null ? `no liquidation price (${p.status})` : `liquidates at ${figure(p.price)} (${pct(p.distanceFraction)} ${p.direction})`}`);
    if (q.timeToLiquidationMs !== null) io.out(`    time to liquidation (2σ move): ${(q.timeToLiquidationMs / 86_400_000).toFixed(1)} days (${q.nearestSymbol})`);
    for (const s of q.stressTestResults) io.out(`    stress ${s.name.padEnd(28)} PnL ${formatUsd(s.pnl)}, health ${healthRatioText(s.healthRatio)}`);
  }
  return EXIT_OK;
}

/** The DCC correlation, the regime and the hedge ratio, then the suggested size: for `dnbot risk`. */
export function dynamicsLines(r: RiskReport, betaAdjusted: boolean): string[] {
  const d = r.dynamics;
  if (d === null) return [];
  const pair = `${d.long}/${d.short}`;
  if ('unavailable' in d) return [`  dynamic correlation ${pair}: n/a (${d.unavailable})`];
  const out = [
    `  dynamic correlation ${pair} (DCC a ${num(d.a, 3)} b ${num(d.b, 3)}, ${d.observations} returns): now ${num(d.correlation, 2)}, long-run ${num(d.longRunCorrelation, 2)}; ` +
      `regime ${d.regime.label.toUpperCase()} (σ now / window ${d.volatilityRatios.map((v) => num(v, 2)).join(', ')})`,
    `  hedge ratio ${num(d.hedgeRatio.ratio, 3)} ${d.short} per ${d.long} notional (${d.hedgeRatio.reason}; minimum-variance ${num(d.hedgeRatio.minimumVariance, 3)}); ` +
      (betaAdjusted ? 'portfolio.hedging.betaAdjusted is on: hedges use it' : 'hedges stay 1:1 (portfolio.hedging.betaAdjusted is off)'),
  ];
  const s = r.suggestedSize;
  if (s !== null) {
    out.push(
      'unavailable' in s
        ? `  suggested size ${pair}: n/a (${s.unavailable})`
        : `  suggested size: long ${s.long} ${formatUsd(s.longNotionalUsd)}, short ${s.short} ${formatUsd(s.shortNotionalUsd)} (ratio ${num(s.hedgeRatio, 3)}), bound by ${s.binding} ` +
            `(VaR budget ${pct(s.riskTolerance)} of equity, the pair's 1-day VaR ${formatUsd(s.var1dUsd)}${s.horizonMethod === 'overlapping-sum' ? '' : ', scaled by √t'}); caps ` +
            Object.entries(s.caps).map(([k, v]) => `${k} ${formatUsd(v)}`).join(', '),
    );
  }
  return out;
}
