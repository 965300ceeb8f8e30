import type { VenueMarginView } from '../core/venue.js';
import { correlation, DCC_MIN_POINTS, horizonVarFigure, isAnalyticsError, pairDynamics, pairDynamicsFromModel, type HorizonMethod, type PairDynamics } from '../analytics/index.js';
import { RollingReturns, TAME_RETURN, type ReturnsWindow } from '../analytics/rolling-returns.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AccountState, Instrument } from '../core/types.js';
import { assessLiquidationRisk, type LiquidationRisk } from '../risk/liquidation-risk.js';
import type { ProtectionConfig } from '../risk/liquidation-protection.js';
import type { RiskLevelThresholds } from '../risk/liquidation-risk-level.js';
import type { Book, Position } from '../core/types.js';
import { emergencyHedge, emergencyHedgeTriggered } from '../hedging/emergency-hedge.js';
import { hedgeBands, type HedgeConfig } from '../hedging/hedge-config.js';
import type { HedgeTrade } from '../hedging/hedge-plan.js';
import type { ProtectionAction } from '../risk/liquidation-protection.js';
import type { Store } from '../store/store.js';

/** What the monitor needs of a bot: its positions, and a way to apply the graduated action. */
export interface ProtectedBook {
  positionMap(): ReadonlyMap<string, Position>;
  applyProtection(action: ProtectionAction, reason: string): void;
  /** Sends the emergency hedge's trades that fall on this bot's legs; true when it sent any. */
  emergencyHedge?(trades: readonly HedgeTrade[]): boolean;
  /** True while the bot is entering, reducing or has orders working: its own repair comes first. */
  hedgeBusy?(): boolean;
}

export interface PortfolioMonitorConfig {
  /** Market time between evaluations. */
  readonly intervalMs: number;
  /** 1-minute closes kept per symbol (VaR and volatility window). */
  readonly windowBars: number;
  /** Annualised volatility assumed until enough bars exist. */
  readonly fallbackVolatility: number;
  readonly thresholds: RiskLevelThresholds;
  readonly protection: ProtectionConfig;
  /** Seed 002's hedging engine at portfolio level (the emergency hedge). */
  readonly hedging?: HedgeConfig;
}

/** The held pair's dynamic correlation, regime and hedge ratio (DCC over the monitor's window). */
export interface PairDynamicsView {
  readonly long: string;
  readonly short: string;
  readonly correlation: number;
  readonly longRunCorrelation: number;
  readonly regime: string;
  /** Short notional per long notional (analytics' adjustHedgeRatio). */
  readonly hedgeRatio: number;
  readonly fittedTs: number;
}

/** What the RiskGate reads: seed 002's VaR and correlation-exposure measures, and what /health shows. */
export interface PortfolioRiskMetrics {
  readonly var1d95Usd: number | null;
  readonly var1d95Fraction: number | null;
  /** How the 1-day figure was made: overlapping 1-day windows, or the 1-minute figure × √1440 (flagged: too little history). */
  readonly var1dMethod?: HorizonMethod | null;
  readonly correlationExposure: number | null;
  readonly dynamics?: PairDynamicsView | null;
}

/**
 * Market time between maximum-likelihood refits of a pair's DCC (a fit costs ~0.1 s: a GARCH per
 * leg and a DCC likelihood search), and between filter updates with the fitted parameters (~1 ms).
 */
export const DYNAMICS_REFIT_MS = 86_400_000;
export const DYNAMICS_UPDATE_MS = 3_600_000;

const MINUTES_PER_YEAR = 525_600;

/** A flat book's risk metrics: no VaR, no correlation exposure, no pair. */
const FLAT_METRICS: PortfolioRiskMetrics = Object.freeze({ var1d95Usd: 0, var1d95Fraction: 0, correlationExposure: 0, dynamics: null });

/** A position as the monitor values it. */
interface ValuedPosition {
  readonly symbol: string;
  readonly size: number;
  readonly mark: number;
}

/**
 * {@link PortfolioMonitor.riskMetrics}' inputs as one evaluation saw them: the positions, their
 * return windows as they were then (see ReturnsWindow), the window length used and the equity.
 */
interface RiskInputs {
  readonly positions: readonly ValuedPosition[];
  readonly windows: readonly ReturnsWindow[];
  readonly n: number;
  readonly equity: number;
}

/**
 * Portfolio risk on live state, on a market-time cadence: VaR(1 day, 95%) of the current positions
 * over recent 1-minute returns, correlation exposure, and the liquidation monitor (health ratio,
 * liquidation prices, time to liquidation, stress scenarios, risk level). The graduated action of
 * the level is applied to every bot (stop entries, reduce, flatten) when the level changes; each
 * evaluation is stored in `risk_snapshots`, each change of level in `events`.
 */
export class PortfolioMonitor {
  /** 1-minute log returns per symbol, kept as bars close (the VaR and volatility window). */
  private readonly returns = new Map<string, RollingReturns>();
  /** Reused per evaluation: the window's portfolio PnL series. */
  private readonly pnl: number[] = [];
  private nextTs = 0;
  private lastLevel: string | null = null;
  private sinceRecorded = Number.POSITIVE_INFINITY;
  private lastRisk: LiquidationRisk | null = null;
  /** The last flat book's assessment and the equity it was made at (see {@link flatRisk}). */
  private lastFlat: { readonly equity: number; readonly risk: LiquidationRisk } | null = null;
  private metricsCache: PortfolioRiskMetrics = { var1d95Usd: null, var1d95Fraction: null, correlationExposure: null };
  /**
   * The last evaluation's VaR and correlation inputs, when their figures are not worked out yet:
   * they are read at an entry, on a recorded snapshot (every 15th evaluation) and by the status
   * API, not every minute. Worked out from the same inputs when first read, they are the same
   * numbers (see {@link deferrable} for when that is sure to be so).
   */
  private pendingRisk: { readonly inputs: RiskInputs; readonly dynamics: PairDynamicsView | null } | null = null;
  /** DCC readings by ordered pair "A|B" (A's returns first): when last read, when last fitted. */
  private readonly fits = new Map<string, { ts: number; fittedTs: number; fit: PairDynamics | null }>();

  constructor(
    private readonly o: {
      store: Store;
      clock: Clock;
      logger: Logger;
      venue: string;
      instruments: ReadonlyMap<string, Instrument>;
      bots: readonly ProtectedBook[];
      mark: (symbol: string) => number | undefined;
      book?: (symbol: string) => Book | undefined;
      config: PortfolioMonitorConfig;
    },
  ) {
    for (const symbol of o.instruments.keys()) {
      const window = new RollingReturns(o.config.windowBars);
      for (const b of o.store.bars.closes(o.venue, symbol, o.config.windowBars + 1)) window.push(b.close);
      this.returns.set(symbol, window);
    }
  }

  metrics(): PortfolioRiskMetrics {
    const p = this.pendingRisk;
    if (p !== null) {
      this.pendingRisk = null;
      this.metricsCache = { ...this.riskFigures(p.inputs), dynamics: p.dynamics };
    }
    return this.metricsCache;
  }

  latest(): LiquidationRisk | null {
    return this.lastRisk;
  }

  onBar(closes: ReadonlyMap<string, number>): void {
    for (const [symbol, close] of closes) {
      this.returns.get(symbol)?.push(close);
    }
  }

  /** Evaluates when due; returns the assessment it made, if any. */
  maybeEvaluate(account: AccountState, venueMargin?: VenueMarginView): LiquidationRisk | null {
    const now = this.o.clock.now();
    if (now < this.nextTs) return null;
    this.nextTs = now + this.o.config.intervalMs;
    return this.evaluate(account, venueMargin);
  }

  /** True when the next `maybeEvaluate` will evaluate (the runtime fetches the venue's margin only then). */
  isDue(): boolean {
    return this.o.clock.now() >= this.nextTs;
  }

  evaluate(account: AccountState, venueMargin?: VenueMarginView): LiquidationRisk | null {
    if (this.flat()) return this.evaluateFlat(account, venueMargin);
    const sizes = new Map<string, number>();
    for (const bot of this.o.bots) for (const p of bot.positionMap().values()) if (p.size !== 0) sizes.set(p.symbol, (sizes.get(p.symbol) ?? 0) + p.size);
    const unpriced = [...sizes.keys()].filter((s) => this.o.mark(s) === undefined || !this.o.instruments.has(s));
    if (unpriced.length > 0) {
      // A leg without a mark (just after a restart) would read as a one-legged book: a false delta
      // could fire an emergency hedge, and the leg's risk would be missing. Wait for its mark.
      this.o.logger.debug({ unpriced }, 'portfolio evaluation skipped: positions without a mark');
      return null;
    }
    const positions = [...sizes].map(([symbol, size]) => ({ symbol, size, mark: this.o.mark(symbol)!, maintenanceMarginRatio: this.o.instruments.get(symbol)!.maintenanceMarginRatio }));
    const volatility: Record<string, number> = {};
    const returns = new Map<string, RollingReturns>();
    for (const p of positions) {
      const r = this.returnsOf(p.symbol);
      returns.set(p.symbol, r);
      // Zero-mean realised volatility (analytics' realisedVolatility), from the running window.
      volatility[p.symbol] = r.length >= 30 ? Math.max(1e-6, Math.sqrt(r.sumSquares() / r.length) * Math.sqrt(MINUTES_PER_YEAR)) : this.o.config.fallbackVolatility;
    }
    const metrics = this.riskMetrics(positions, returns, account.equity);
    const dynamics = this.heldPairDynamics(positions);
    if ('windows' in metrics) {
      this.pendingRisk = { inputs: metrics, dynamics };
    } else {
      this.pendingRisk = null;
      this.metricsCache = { ...metrics, dynamics };
    }
    this.maybeEmergencyHedge(positions);
    if (!(account.equity > 0)) return null;
    const risk = assessLiquidationRisk({
      equity: account.equity,
      positions,
      volatility,
      thresholds: this.o.config.thresholds,
      protection: this.o.config.protection,
      ...(venueMargin ? { venueMargin } : {}),
    });
    return this.conclude(risk, account);
  }

  /** True when no bot holds a non-zero position: {@link evaluate} would find no sizes to value. */
  private flat(): boolean {
    for (const bot of this.o.bots) for (const p of bot.positionMap().values()) if (p.size !== 0) return false;
    return true;
  }

  /**
   * {@link evaluate} of a flat book, without the steps that find nothing to do on one: no leg to
   * price or hedge, no pair, risk metrics of zero (what riskMetrics and heldPairDynamics return
   * for no positions). Most evaluations of a simulated day are of a flat book (900 of 1,440 on
   * seed 1).
   */
  private evaluateFlat(account: AccountState, venueMargin: VenueMarginView | undefined): LiquidationRisk | null {
    this.pendingRisk = null;
    this.metricsCache = FLAT_METRICS;
    if (!(account.equity > 0)) return null;
    const risk = venueMargin === undefined ? this.flatRisk(account.equity) : assessLiquidationRisk({ equity: account.equity, positions: [], volatility: {}, thresholds: this.o.config.thresholds, protection: this.o.config.protection, venueMargin });
    return this.conclude(risk, account);
  }

  /** Keeps the assessment: a snapshot when due, and on a change of level the event and the bots' action. */
  private conclude(risk: LiquidationRisk, account: AccountState): LiquidationRisk {
    this.lastRisk = risk;
    const now = this.o.clock.now();
    // The full report is kept on every change of level and every 15th evaluation, not every minute.
    const changed = risk.riskLevel !== this.lastLevel;
    if (changed || ++this.sinceRecorded >= 15) {
      this.sinceRecorded = 0;
      this.record(risk, account, now, changed);
    }
    if (changed) {
      this.o.store.events.record(now, null, 'risk_level', { from: this.lastLevel, to: risk.riskLevel, action: risk.action, reasons: risk.reasons, healthRatio: risk.healthRatio });
      const log = risk.riskLevel === 'low' ? this.o.logger.info.bind(this.o.logger) : this.o.logger.warn.bind(this.o.logger);
      log({ from: this.lastLevel, to: risk.riskLevel, action: risk.action.kind, healthRatio: risk.healthRatio, reasons: risk.reasons }, 'risk level changed');
      this.lastLevel = risk.riskLevel;
      for (const bot of this.o.bots) bot.applyProtection(risk.action, `risk level ${risk.riskLevel}: ${risk.reasons.join('; ') || 'ok'}`);
    }
    return risk;
  }

  /**
   * A flat book's assessment (no venue margin): assessLiquidationRisk of no positions is a pure
   * function of the equity (the thresholds and protection are the config's), so it is made again
   * only when the equity differs from the last flat evaluation's. Most evaluations of a simulated
   * day are of a flat book whose equity has not moved (895 of 1,440 on seed 1).
   */
  private flatRisk(equity: number): LiquidationRisk {
    const last = this.lastFlat;
    if (last !== null && last.equity === equity) return last.risk;
    const risk = assessLiquidationRisk({ equity, positions: [], volatility: {}, thresholds: this.o.config.thresholds, protection: this.o.config.protection });
    this.lastFlat = { equity, risk };
    return risk;
  }

  /**
   * The portfolio's delta outside the emergency band (pairs keep their own, tighter band): a bounded
   * number of depth-capped hedge trades, routed to the bots whose legs they fall on.
   */
  private maybeEmergencyHedge(positions: readonly { symbol: string; size: number; mark: number }[]): void {
    const cfg = this.o.config.hedging;
    // A pair being entered or closed is one-legged for a moment by design; its executor repairs it.
    if (!cfg || positions.length === 0 || this.o.bots.some((b) => b.hedgeBusy?.())) return;
    const gross = positions.reduce((a, p) => a + Math.abs(p.size * p.mark), 0);
    const bands = hedgeBands(cfg, gross);
    const betas = cfg.betaAdjusted ? this.hedgeBetas(positions) : null;
    // Inside the emergency band nothing is sent: the candidates (books) are built only outside it.
    const band = { positions, ...(betas ? { betaAdjusted: true, betas } : {}), target: cfg.targetDeltaUsd, toleranceUsd: bands.toleranceUsd, emergencyToleranceUsd: bands.emergencyToleranceUsd, maxSlippageBps: cfg.maxSlippageBps, maxTrades: cfg.maxEmergencyTrades };
    if (!emergencyHedgeTriggered(band)) return;
    const candidates = positions.flatMap((p) => {
      const inst = this.o.instruments.get(p.symbol);
      const book = this.o.book?.(p.symbol);
      return inst ? [{ symbol: p.symbol, mark: p.mark, instrument: inst, ...(book ? { book: { bids: book.bids, asks: book.asks } } : {}) }] : [];
    });
    const e = emergencyHedge({
      positions,
      ...(betas ? { betaAdjusted: true, betas } : {}),
      hedgeInstruments: candidates,
      target: cfg.targetDeltaUsd,
      toleranceUsd: bands.toleranceUsd,
      emergencyToleranceUsd: bands.emergencyToleranceUsd,
      maxSlippageBps: cfg.maxSlippageBps,
      maxTrades: cfg.maxEmergencyTrades,
      allowOpening: cfg.allowOpening,
    });
    if (!e.triggered || e.trades.length === 0) return;
    let routed = 0;
    for (const bot of this.o.bots) if (bot.emergencyHedge?.(e.trades)) routed++;
    this.o.store.events.record(this.o.clock.now(), null, 'emergency_hedge', { deltaBefore: e.currentDelta, band: bands.emergencyToleranceUsd, trades: e.trades.length, routedToBots: routed });
    this.o.logger.warn({ delta: e.currentDelta, band: bands.emergencyToleranceUsd, trades: e.trades.length }, 'portfolio delta outside the emergency band: hedging');
  }

  /**
   * The full report (with every stress scenario) is kept when the level changes. A routine row
   * keeps the headline figures to six significant digits (those null or zero left out), the
   * nearest liquidation and the worst scenario's name; the level, action, health ratio and 1-day
   * VaR are its columns.
   */
  private record(risk: LiquidationRisk, account: AccountState, now: number, full: boolean): void {
    const metrics = this.metrics();
    const report = full ? { ...risk, metrics, equity: account.equity } : routineReport(risk, metrics, account.equity);
    this.o.store.riskSnapshots.record({
      ts: now,
      venue: this.o.venue,
      riskLevel: risk.riskLevel,
      action: risk.action.kind,
      healthRatio: risk.healthRatio,
      var1d95: metrics.var1d95Usd,
      report,
    });
  }

  private returnsOf(symbol: string): RollingReturns {
    let r = this.returns.get(symbol);
    if (!r) {
      r = new RollingReturns(this.o.config.windowBars);
      this.returns.set(symbol, r);
    }
    return r;
  }

  /**
   * VaR(1d, 95%) by historical simulation of the current positions over the window's 1-minute
   * returns (overlapping 1-day windows when the window holds 20 of them, else scaled by √time), and correlation exposure: the largest |ρ| × share of gross of two
   * positions on the same side (offsetting legs of a pair do not add up; same-side ones do).
   * Returns the figures' inputs instead when they may be worked out when first read ({@link deferrable}).
   */
  private riskMetrics(positions: readonly ValuedPosition[], returns: ReadonlyMap<string, RollingReturns>, equity: number): PortfolioRiskMetrics | RiskInputs {
    if (positions.length === 0 || !(equity > 0)) return { var1d95Usd: 0, var1d95Fraction: 0, correlationExposure: 0 };
    const n = Math.min(...positions.map((p) => returns.get(p.symbol)?.length ?? 0));
    if (n < 30) return { var1d95Usd: null, var1d95Fraction: null, correlationExposure: null };
    // Pushed, not `positions.map`: see riskFigures.
    const windows: ReturnsWindow[] = [];
    for (const p of positions) windows.push(returns.get(p.symbol)!.window());
    const inputs: RiskInputs = { positions, windows, n, equity };
    return deferrable(positions, returns, equity) ? inputs : this.riskFigures(inputs);
  }

  /** {@link riskMetrics}' figures from its inputs: the same numbers whenever they are worked out. */
  private riskFigures({ positions, windows, n, equity }: RiskInputs): PortfolioRiskMetrics {
    const pnl = this.pnl;
    // Grown by push (amortised) and cut by length: setting a larger length reallocated the whole
    // array every minute while the window filled (a third of a replayed week's allocation).
    while (pnl.length < n) pnl.push(0);
    if (pnl.length > n) pnl.length = n;
    // One pass, position by position in the same order and association as Σ_p (size × mark) × r,
    // then over equity: bit-identical sums.
    // The weights in a typed array, the windows pushed (riskMetrics): a `map` result's hidden class
    // depends on whether V8 ran the builtin (packed) or inlined it (holey), and a weight that happens
    // to be whole makes a plain array of small integers; either threw this code away in a warmed
    // process when the other kind came.
    const weights = new Float64Array(positions.length);
    for (let i = 0; i < positions.length; i++) weights[i] = positions[i]!.size * positions[i]!.mark;
    RollingReturns.weightedSeries(pnl, windows, weights, equity);
    // The honest 1-day figure (overlapping 1-day windows when the window holds them, else √t): the
    // entry gate's maxVar1dPercent must not see a mean-reverting pair's risk overstated 3–4×.
    const varEst = horizonVarFigure(pnl, { confidence: 0.95, horizonDays: 1, periodsPerDay: 1_440, portfolioValueUsd: equity });
    const gross = positions.reduce((a, p) => a + Math.abs(p.size * p.mark), 0);
    let exposure = 0;
    for (let i = 0; i < positions.length; i++) {
      for (let j = i + 1; j < positions.length; j++) {
        const a = positions[i]!;
        const b = positions[j]!;
        if (Math.sign(a.size) !== Math.sign(b.size)) continue;
        const rho = correlation(windows[i]!.tail(n), windows[j]!.tail(n));
        if (rho !== null) exposure = Math.max(exposure, Math.abs(rho) * ((Math.abs(a.size * a.mark) + Math.abs(b.size * b.mark)) / gross));
      }
    }
    return { var1d95Usd: varEst.valueAtRiskUsd, var1d95Fraction: varEst.valueAtRisk, var1dMethod: varEst.horizonMethod, correlationExposure: exposure };
  }

  /**
   * The DCC reading of `a` against `b` over the window (a's returns first): refitted by maximum
   * likelihood every {@link DYNAMICS_REFIT_MS} of market time and filtered with those parameters
   * every {@link DYNAMICS_UPDATE_MS}; null until both windows hold {@link DCC_MIN_POINTS} aligned
   * returns, or when the fit is degenerate.
   */
  dynamics(a: string, b: string): PairDynamics | null {
    const key = `${a}|${b}`;
    const now = this.o.clock.now();
    const cached = this.fits.get(key);
    if (cached && now - cached.ts < DYNAMICS_UPDATE_MS) return cached.fit;
    const ra = this.returns.get(a);
    const rb = this.returns.get(b);
    const n = Math.min(ra?.length ?? 0, rb?.length ?? 0);
    if (!ra || !rb || n < DCC_MIN_POINTS) return cached?.fit ?? null;
    const refit = !cached?.fit || now - cached.fittedTs >= DYNAMICS_REFIT_MS;
    let fit: PairDynamics | null = null;
    try {
      fit = refit ? pairDynamics(ra.tail(n), rb.tail(n)) : pairDynamicsFromModel(ra.tail(n), rb.tail(n), cached.fit!.model);
    } catch (err) {
      if (!isAnalyticsError(err)) throw err;
      this.o.logger.debug({ pair: key, err: err.message }, 'no dynamic correlation for this pair');
    }
    this.fits.set(key, { ts: now, fittedTs: refit ? now : cached!.fittedTs, fit });
    return fit;
  }

  /**
   * Short notional per long notional the pair is hedged by when beta-adjusted: the DCC
   * minimum-variance ratio of this long/short orientation, 1 until a fit exists.
   */
  hedgeRatio(long: string, short: string): number {
    return this.dynamics(long, short)?.hedgeRatio.ratio ?? 1;
  }

  /**
   * Betas for a beta-adjusted emergency hedge: one long and one short held, the long leg's beta to
   * the short leg is the pair's hedge ratio (delta in short-leg units, as each pair measures its
   * own). Any other book (more legs, one side only) is hedged 1:1: there is no single pair ratio.
   */
  private hedgeBetas(positions: readonly { symbol: string; size: number }[]): Record<string, number> | null {
    const long = positions.filter((p) => p.size > 0);
    const short = positions.filter((p) => p.size < 0);
    if (long.length !== 1 || short.length !== 1) return null;
    return { [long[0]!.symbol]: this.hedgeRatio(long[0]!.symbol, short[0]!.symbol), [short[0]!.symbol]: 1 };
  }

  private heldPairDynamics(positions: readonly { symbol: string; size: number }[]): PairDynamicsView | null {
    const long = positions.find((p) => p.size > 0)?.symbol;
    const short = positions.find((p) => p.size < 0)?.symbol;
    if (long === undefined || short === undefined) return null;
    const d = this.dynamics(long, short);
    if (d === null) return null;
    return { long, short, correlation: d.correlation, longRunCorrelation: d.longRunCorrelation, regime: d.regime.label, hedgeRatio: d.hedgeRatio.ratio, fittedTs: this.fits.get(`${long}|${short}`)!.fittedTs };
  }
}

/**
 * True when {@link PortfolioMonitor.riskMetrics}' figures cannot throw, so working them out later,
 * from the same inputs, changes nothing but when: every return in the windows is tame (finite, at
 * most {@link TAME_RETURN} in size) and Σ|size × mark| × TAME_RETURN / equity, twice over, is at
 * most 1e99, so every portfolio return is finite and within the 1e100 the VaR's series check
 * allows (and the correlation's inputs are tame returns). Otherwise they are worked out at once,
 * so an error is thrown where it always was.
 */
function deferrable(positions: readonly ValuedPosition[], returns: ReadonlyMap<string, RollingReturns>, equity: number): boolean {
  if (!Number.isFinite(equity)) return false;
  let gross = 0;
  for (const p of positions) {
    if (!returns.get(p.symbol)!.tame()) return false;
    gross += Math.abs(p.size * p.mark);
  }
  return (2 * gross * TAME_RETURN) / equity <= 1e99;
}

/** Six significant digits: a routine snapshot's figures, not a ledger. */
function sig(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6));
}

/** Sets `figures[key]` unless `value` is null or zero. */
function keep(figures: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== null && value !== 0) figures[key] = value;
}

/** A routine risk snapshot's report: the figures a reader charts, about a tenth of the full one. */
export function routineReport(risk: LiquidationRisk, metrics: PortfolioRiskMetrics, equity: number): Record<string, unknown> {
  let worst: LiquidationRisk['stressTestResults'][number] | null = null;
  for (const r of risk.stressTestResults) if (r.healthRatio !== null && (worst?.healthRatio == null || r.healthRatio < worst.healthRatio)) worst = r;
  const nearest = risk.liquidationPrices.find((l) => l.symbol === risk.nearestSymbol);
  // A figure left out is null or zero (a flat book's row is little more than its equity). Each is
  // added only when kept, in the report's order: deleting the others afterwards turned the object
  // into a slow dictionary-mode object, for this function and for the JSON.stringify that stores it.
  const figures: Record<string, unknown> = {};
  keep(figures, 'equity', sig(equity));
  keep(figures, 'maintenanceMargin', sig(risk.maintenanceMargin));
  keep(figures, 'nearestSymbol', risk.nearestSymbol);
  keep(figures, 'nearestLiquidationPrice', sig(nearest?.price ?? null));
  keep(figures, 'timeToLiquidationMs', sig(risk.timeToLiquidationMs));
  keep(figures, 'worstStress', worst?.name ?? null);
  keep(figures, 'worstStressHealth', sig(risk.worstStressHealth));
  keep(figures, 'correlationExposure', sig(metrics.correlationExposure));
  keep(figures, 'reasons', risk.reasons.length > 0 ? risk.reasons : null);
  return figures;
}
