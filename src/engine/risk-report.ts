import {
  annualisationWindow,
  beta,
  correlation as correlationOf,
  correlationMatrix,
  covarianceMatrix,
  drawdownAnalysis,
  ewmaVolatility,
  fitGarch,
  GARCH_MIN_POINTS,
  garchForecast,
  horizonVar,
  isAnalyticsError,
  monteCarloVar,
  overlappingSums,
  pairDynamics,
  suggestPositionSize,
  parametricVarFromReturns,
  performanceSummary,
  realisedVolatility,
  riskContributions,
  tradeStatistics,
} from '../analytics/index.js';
import type { Instrument } from '../core/types.js';
import { assessLiquidationRisk, type LiquidationRisk } from '../risk/liquidation-risk.js';
import type { ProtectionConfig } from '../risk/liquidation-protection.js';
import type { RiskLevelThresholds } from '../risk/liquidation-risk-level.js';
import { checkRiskLimits, type RiskLimits } from '../risk/risk-limits.js';

/** Everything the report is computed from; gathered from SQLite (or live state) by the caller. */
export interface RiskReportInput {
  readonly equity: number;
  /** Net positions by symbol with their mark and margin terms. */
  readonly positions: readonly { symbol: string; size: number; mark: number; entryPrice: number; realizedPnl?: number; instrument: Instrument }[];
  /** Realised PnL of the ledger (before fees), USD. */
  readonly realizedPnl: number;
  /** Orders still working. */
  readonly openOrders: number;
  /** 1-minute closes per symbol, oldest first (all symbols, aligned on the same minutes). */
  readonly closes: ReadonlyMap<string, readonly number[]>;
  /** Equity curve, one point per minute, oldest first. */
  readonly equityCurve: readonly number[];
  /** Market time between the curve's first and last point, ms: whether its annualised ratios rest on too short a window. */
  readonly equitySpanMs?: number;
  /** Closed round trips' PnL, USD, oldest first. */
  readonly roundTripPnls: readonly number[];
  readonly limits: RiskLimits;
  readonly thresholds: RiskLevelThresholds;
  readonly protection: ProtectionConfig;
  /** VaR horizon in days (seed 002: 1 and 7); default 1. */
  readonly horizonDays?: number;
  /** 1-day VaR budget of the suggested size, share of equity; default `limits.maxVar1dPercent`. */
  readonly riskTolerance?: number;
  /** Whether the bot hedges by the dynamic hedge ratio (`portfolio.hedging.betaAdjusted`) or 1:1. */
  readonly betaAdjusted?: boolean;
  /**
   * Seed 001's tier, for its limits: every position's margin at `leverage` against the tier's
   * total leveraged-asset limit, and the largest position's margin against `capitalShare ×
   * limit` of equity (10% of available capital).
   */
  readonly allocation?: { readonly tier: string; readonly limit: number; readonly totalLimit: number; readonly leverage: number; readonly capitalShare: number };
}

const MINUTES_PER_YEAR = 525_600;
const MINUTES_PER_DAY = 1_440;

/** A metric or why it is missing (too little data, degenerate series). */
type Maybe<T> = T | { readonly unavailable: string };

function attempt<T>(fn: () => T): Maybe<T> {
  try {
    return fn();
  } catch (err) {
    if (isAnalyticsError(err)) return { unavailable: err.message };
    throw err;
  }
}

function logReturns(c: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < c.length; i++) out.push(Math.log(c[i]! / c[i - 1]!));
  return out;
}

/**
 * The portfolio risk report (seed 002): how much the book can lose (VaR three ways, ES), per-asset
 * volatility (realised, EWMA, GARCH forecast), correlation and betas, drawdown and risk-adjusted
 * returns, trade statistics, limits with headroom, and the liquidation monitor with stress tests.
 */
export function buildRiskReport(i: RiskReportInput) {
  const symbols = [...i.closes.keys()];
  const returns = new Map(symbols.map((s) => [s, logReturns(i.closes.get(s)!)]));
  const held = i.positions.filter((p) => p.size !== 0);
  const n = Math.min(...held.map((p) => returns.get(p.symbol)?.length ?? 0), Number.POSITIVE_INFINITY);
  const exposures = held.map((p) => p.size * p.mark);
  const gross = exposures.reduce((a, v) => a + Math.abs(v), 0);
  const portfolioReturns: number[] = [];
  if (held.length > 0 && Number.isFinite(n)) {
    for (let t = 0; t < n; t++) {
      let v = 0;
      held.forEach((p, k) => {
        const r = returns.get(p.symbol)!;
        v += exposures[k]! * r[r.length - n + t]!;
      });
      portfolioReturns.push(v / i.equity);
    }
  }
  const horizonDays = i.horizonDays ?? 1;
  const horizon = { confidence: 0.95, horizonDays, periodsPerDay: MINUTES_PER_DAY, portfolioValueUsd: i.equity } as const;
  const heldReturns = held.map((p) => returns.get(p.symbol)!.slice(-n));
  // The horizon respects the book's own dynamics (a DN pair mean-reverts): overlapping windows of
  // the horizon when the history holds enough, else √t, flagged. Parametric and Monte Carlo scale
  // by the same measured variance ratio, so the three methods answer the same question.
  const hist = held.length === 0 ? null : attempt(() => horizonVar(portfolioReturns, horizon));
  const ratio = hist && !('unavailable' in hist) && hist.horizonMethod === 'overlapping-sum' ? hist.varianceRatio : null;
  const horizonPeriods = Math.round(horizonDays * MINUTES_PER_DAY);
  const valueAtRisk = held.length === 0 || hist === null
    ? { flat: true as const }
    : {
        horizon: { days: horizonDays, periods: horizonPeriods, method: ratio === null ? ('square-root-of-time' as const) : ('overlapping-sum' as const), varianceRatio: ratio },
        historical: hist,
        parametric: attempt(() =>
          ratio === null
            ? parametricVarFromReturns(portfolioReturns, horizon)
            : { ...parametricVarFromReturns(overlappingSums(portfolioReturns, horizonPeriods), { confidence: 0.95, portfolioValueUsd: i.equity }), horizonDays, horizonPeriods },
        ),
        monteCarlo: attempt(() => monteCarloVar({ ...horizon, positionsUsd: exposures, model: { covariance: covarianceMatrix(heldReturns).map((row) => row.map((v) => v * (ratio ?? 1))) }, seed: 1, simulations: 10_000 })),
      };
  const assets = symbols.map((s) => {
    const r = returns.get(s)!;
    const garch = r.length >= GARCH_MIN_POINTS ? attempt(() => fitGarch(r)) : { unavailable: `needs ${GARCH_MIN_POINTS} returns, has ${r.length}` };
    return {
      symbol: s,
      returns: r.length,
      realisedVolatility: attempt(() => realisedVolatility(r, { periodsPerYear: MINUTES_PER_YEAR })),
      ewmaVolatility: attempt(() => ewmaVolatility(r, { lambda: 0.94, periodsPerYear: MINUTES_PER_YEAR })),
      garch: 'unavailable' in garch ? garch : { omega: garch.omega, alpha: garch.alpha, beta: garch.beta, nextDayVolatility: Math.sqrt(garchForecast(garch, garch, MINUTES_PER_DAY).cumulativeVariance) },
      betaVsSol: returns.has('SOL-PERP') && s !== 'SOL-PERP' ? beta(r, returns.get('SOL-PERP')!) : null,
      betaVsBtc: returns.has('BTC-PERP') && s !== 'BTC-PERP' ? beta(r, returns.get('BTC-PERP')!) : null,
    };
  });
  const dynamics = reportPairDynamics(held, symbols, returns);
  const m = Math.min(...symbols.map((s) => returns.get(s)!.length));
  const correlation = symbols.length >= 2 && m >= 3 ? { symbols, matrix: correlationMatrix(symbols.map((s) => returns.get(s)!.slice(-m))) } : null;
  const equityReturns: number[] = [];
  for (let k = 1; k < i.equityCurve.length; k++) equityReturns.push(i.equityCurve[k]! / i.equityCurve[k - 1]! - 1);
  const drawdown = i.equityCurve.length >= 2 ? attempt(() => drawdownAnalysis(i.equityCurve)) : { unavailable: 'no equity history' };
  const performance = equityReturns.length >= 2 ? attempt(() => performanceSummary(equityReturns, { periodsPerYear: MINUTES_PER_YEAR })) : { unavailable: 'no equity history' };
  const trades = i.roundTripPnls.length > 0 ? attempt(() => tradeStatistics(i.roundTripPnls)) : { unavailable: 'no closed round trips' };
  const volatility: Record<string, number> = {};
  for (const p of held) {
    const r = returns.get(p.symbol) ?? [];
    volatility[p.symbol] = r.length >= 30 ? Math.max(1e-6, realisedVolatility(r, { periodsPerYear: MINUTES_PER_YEAR })) : 0.8;
  }
  const liquidation: LiquidationRisk | null = i.equity > 0
    ? assessLiquidationRisk({ equity: i.equity, positions: held.map((p) => ({ symbol: p.symbol, size: p.size, mark: p.mark, maintenanceMarginRatio: p.instrument.maintenanceMarginRatio })), volatility, thresholds: i.thresholds, protection: i.protection })
    : null;
  // Per position: volatility, beta, correlation to the portfolio, share of portfolio variance
  // (w_i·cov(r_i, r_p) / var(r_p)), maintenance margin and liquidation price.
  const contributions = held.length > 0 && heldReturns.every((r) => r.length === portfolioReturns.length) ? riskContributions(heldReturns, exposures.map((x) => x / i.equity)) : null;
  const positionAnalysis = held.map((p, k) => {
    const r = heldReturns[k] ?? [];
    const liq = liquidation?.liquidationPrices.find((x) => x.symbol === p.symbol) ?? null;
    return {
      symbol: p.symbol,
      notional: exposures[k]!,
      volatility: r.length >= 2 ? realisedVolatility(r, { periodsPerYear: MINUTES_PER_YEAR }) : null,
      betaVsSol: returns.has('SOL-PERP') && p.symbol !== 'SOL-PERP' && r.length >= 3 ? beta(r, returns.get('SOL-PERP')!.slice(-r.length)) : null,
      betaVsBtc: returns.has('BTC-PERP') && p.symbol !== 'BTC-PERP' && r.length >= 3 ? beta(r, returns.get('BTC-PERP')!.slice(-r.length)) : null,
      correlationToPortfolio: r.length >= 3 && portfolioReturns.length === r.length ? correlationOf(r, portfolioReturns) : null,
      riskContribution: contributions?.[k] ?? null,
      entryPrice: p.entryPrice,
      currentPrice: p.mark,
      unrealizedPnl: p.size * (p.mark - p.entryPrice),
      realizedPnl: p.realizedPnl ?? null,
      totalPnl: p.size * (p.mark - p.entryPrice) + (p.realizedPnl ?? 0),
      maintenanceMargin: Math.abs(exposures[k]!) * p.instrument.maintenanceMarginRatio,
      initialMargin: Math.abs(exposures[k]!) * p.instrument.initialMarginRatio,
      liquidationPrice: liq?.price ?? null,
    };
  });
  const maintenanceMargin = positionAnalysis.reduce((a, x) => a + x.maintenanceMargin, 0);
  const initialMargin = positionAnalysis.reduce((a, x) => a + x.initialMargin, 0);
  const summary = {
    totalValue: i.equity,
    unrealizedPnl: held.reduce((a, p) => a + p.size * (p.mark - p.entryPrice), 0),
    realizedPnl: i.realizedPnl,
    marginUsed: initialMargin,
    marginAvailable: Math.max(0, i.equity - initialMargin),
    maintenanceMargin,
    leverage: i.equity > 0 ? gross / i.equity : null,
    healthRatio: liquidation?.healthRatio ?? null,
    openOrders: i.openOrders,
  };
  // maxVar1dPercent is a 1-day limit: judged on the honest 1-day figure whatever the horizon shown.
  const oneDay = held.length === 0 ? null : horizonDays === 1 ? hist : attempt(() => horizonVar(portfolioReturns, { ...horizon, horizonDays: 1 }));
  const var1d = oneDay && !('unavailable' in oneDay) ? oneDay : null;
  const dd = 'unavailable' in drawdown ? 0 : -drawdown.currentDrawdown;
  const largest = held.reduce((a, p) => Math.max(a, Math.abs(p.size * p.mark)), 0);
  const limitState = { equity: Math.max(i.equity, 1e-9), grossNotional: gross, positionNotional: largest, drawdown: dd, healthRatio: liquidation?.healthRatio ?? null, var1dUsd: var1d?.valueAtRiskUsd ?? null };
  const limits = [
    { limit: 'maxPortfolioLeverage', actual: gross / Math.max(i.equity, 1e-9), allowed: i.limits.maxPortfolioLeverage },
    { limit: 'maxPositionSizeUsd', actual: largest, allowed: i.limits.maxPositionSizeUsd },
    { limit: 'maxPositionSizePercent', actual: largest / Math.max(i.equity, 1e-9), allowed: i.limits.maxPositionSizePercent },
    { limit: 'maxVar1dPercent', actual: var1d?.valueAtRisk ?? null, allowed: i.limits.maxVar1dPercent },
    { limit: 'maxDrawdownPercent', actual: dd, allowed: i.limits.maxDrawdownPercent },
    { limit: 'minHealthRatio', actual: liquidation?.healthRatio ?? null, allowed: i.limits.minHealthRatio },
    ...(i.allocation
      ? [
          { limit: 'totalLeveragedPercent', actual: gross / i.allocation.leverage / Math.max(i.equity, 1e-9), allowed: i.allocation.totalLimit },
          { limit: 'positionCapitalPercent', actual: largest / i.allocation.leverage / Math.max(i.equity, 1e-9), allowed: i.allocation.capitalShare * i.allocation.limit },
        ]
      : []),
  ].map((l) => ({ ...l, headroom: l.actual === null ? null : l.limit === 'minHealthRatio' ? l.actual - l.allowed : l.allowed - l.actual }));
  const suggestedSize = suggestedPairSize(i, dynamics, returns, gross, var1d?.valueAtRiskUsd ?? 0);
  return {
    summary,
    positionAnalysis,
    equity: i.equity,
    grossNotional: gross,
    netDelta: exposures.reduce((a, v) => a + v, 0),
    positions: held.map((p) => ({ symbol: p.symbol, size: p.size, mark: p.mark, notional: p.size * p.mark })),
    valueAtRisk,
    assets,
    correlation,
    dynamics,
    suggestedSize,
    drawdown,
    performance,
    /** The window Sharpe/Sortino/Calmar were annualised from, with a warning under 30 days; null when the span is not given. */
    annualisation: i.equitySpanMs === undefined ? null : annualisationWindow(i.equitySpanMs),
    trades,
    limits,
    violations: i.equity > 0 ? checkRiskLimits(limitState, i.limits) : [],
    liquidation,
  };
}

export type RiskReport = ReturnType<typeof buildRiskReport>;

/**
 * Seed 002's `suggest_position_sizes` for the pair the dynamics are read for: the pair's 1-day VaR
 * per USD of long leg (its own overlapping 1-day windows of r_long − h·r_short, h the hedge ratio
 * the bot trades: the dynamic one when beta-adjusted, else 1), sized under the VaR budget and limits.
 */
function suggestedPairSize(i: RiskReportInput, dynamics: ReturnType<typeof reportPairDynamics>, returns: ReadonlyMap<string, readonly number[]>, gross: number, heldVarUsd: number) {
  if (dynamics === null) return null;
  if (!(i.equity > 0)) return { long: dynamics.long, short: dynamics.short, unavailable: 'no equity' };
  const h = i.betaAdjusted && !('unavailable' in dynamics) ? dynamics.hedgeRatio.ratio : 1;
  const x = returns.get(dynamics.long) ?? [];
  const y = returns.get(dynamics.short) ?? [];
  const n = Math.min(x.length, y.length);
  const spread = Array.from({ length: n }, (_, t) => x[x.length - n + t]! - h * y[y.length - n + t]!);
  const sized = attempt(() => {
    const v = horizonVar(spread, { confidence: 0.95, horizonDays: 1, periodsPerDay: MINUTES_PER_DAY });
    const s = suggestPositionSize({
      equityUsd: i.equity,
      grossNotionalUsd: gross,
      currentVar1dUsd: Math.max(0, heldVarUsd),
      pairVar1dPerUsd: Math.max(v.valueAtRisk, 1e-12),
      hedgeRatio: h,
      riskTolerance: i.riskTolerance ?? i.limits.maxVar1dPercent,
      maxPositionSizeUsd: i.limits.maxPositionSizeUsd,
      maxPositionSizePercent: i.limits.maxPositionSizePercent,
      maxPortfolioLeverage: i.limits.maxPortfolioLeverage,
    });
    return { ...s, hedgeRatio: h, riskTolerance: i.riskTolerance ?? i.limits.maxVar1dPercent, horizonMethod: v.horizonMethod };
  });
  return { long: dynamics.long, short: dynamics.short, ...sized };
}

/**
 * The pair the dynamics are read for: the held long and short legs, else (flat) the first two
 * symbols with bars. `ratio` is short notional per long notional (see analytics' adjustHedgeRatio).
 */
function reportPairDynamics(held: readonly { symbol: string; size: number }[], symbols: readonly string[], returns: ReadonlyMap<string, readonly number[]>) {
  const long = held.find((p) => p.size > 0)?.symbol;
  const short = held.find((p) => p.size < 0)?.symbol;
  const pair = long !== undefined && short !== undefined ? [long, short] : held.length === 0 && symbols.length >= 2 ? [symbols[0]!, symbols[1]!] : null;
  if (pair === null) return null;
  const [x, y] = pair.map((s) => returns.get(s) ?? []) as [readonly number[], readonly number[]];
  const n = Math.min(x.length, y.length);
  const d = attempt(() => pairDynamics(x.slice(x.length - n), y.slice(y.length - n)));
  return { long: pair[0]!, short: pair[1]!, ...d };
}
