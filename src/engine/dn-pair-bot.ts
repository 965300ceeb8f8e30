import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AccountState, Book, Candle, Instrument, MarketEvent, Order, Position } from '../core/types.js';
import { TERMINAL_ORDER_STATUSES } from '../core/types.js';
import type { FillApplied } from '../execution/fill-ledger.js';
import type { OrderManager } from '../execution/order-manager.js';
import { DailyVolumeTracker } from '../risk/daily-volume-tracker.js';
import { effectiveMaxLeverage } from '../risk/leverage-validation.js';
import { evaluateRisk } from '../risk/risk-gate.js';
import { overAllocation } from '../risk/over-allocation.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import { sizePair } from '../sizing/sizing-pipeline.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';
import type { DnPairConfig } from '../../strategies/dn-pair/dn-pair-config.js';
import { DnPairStrategy, type ExitReason, type SpreadSignal } from '../../strategies/dn-pair/dn-pair-strategy.js';
import { BotControls, type BotControlsConfig, type ControlSnapshot } from './bot-controls.js';
import { planEntry } from './entry-plan.js';
import { EntryGates } from './entry-gates.js';
import { EntryRefusals } from './entry-refusals.js';
import { hedgeRatioSizing } from './hedge-ratio-sizing.js';
import { addExposure, grossExposure, MarkedExposure, pairReturn, type Exposure } from './position-exposure.js';
import type { ExitBrainConfig } from '../exits/exit-config.js';
import type { HedgeTrade } from '../hedging/hedge-plan.js';
import type { ProtectionAction } from '../risk/liquidation-protection.js';
import { ExitManager } from './exit-manager.js';
import { positionLeverage } from '../exits/position-leverage.js';
import type { ClosedBar, MarketState } from './market-state.js';
import { PairExecutor, type PairExecutionConfig } from './pair-executor.js';
import { RebalanceRunner } from './rebalance-runner.js';
import { VolatilityTracker } from './volatility-tracker.js';
import { LegMarks } from './leg-marks.js';
import { MarkoutTracker } from './markout-tracker.js';
import { VolumeCycle } from './volume-cycle.js';
import type { AllocationState } from './allocation-state.js';

export interface BotRiskConfig {
  readonly safetyFactor: number;
  readonly limits: RiskLimits;
  readonly capitalShare: number;
  readonly volatility: { readonly windowBars: number; readonly minHistoryWindows: number };
  /** Close open pairs when a loss-limit breaker trips (off by default, ruling 2). */
  readonly flattenOnTrip: boolean;
}

export interface DnPairBotOptions {
  readonly id: string;
  readonly venue: string;
  readonly strategy: DnPairConfig;
  readonly baseNotionalUsd: number;
  readonly risk: BotRiskConfig;
  readonly controls: BotControlsConfig;
  readonly exitBrain: ExitBrainConfig;
  readonly execution: PairExecutionConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly logger: Logger;
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Latest account state (refreshed by the runtime). */
  readonly account: () => AccountState;
  /**
   * Short notional per long notional a pair is hedged to (`portfolio.hedging.betaAdjusted`: the
   * portfolio monitor's DCC minimum-variance ratio); absent, pairs are dollar-neutral.
   */
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
  /** Portfolio VaR and correlation exposure (the portfolio monitor), when running. */
  readonly portfolioMetrics?: () => { readonly var1d95Usd: number | null; readonly correlationExposure: number | null };
  /** Why new entries are paused by the market feed (a stale or resyncing live stream), or null. */
  readonly feedPaused?: () => string | null;
  /** Initial margin in use by every bot on the account together, USD (seed 001's total leveraged assets). */
  readonly accountMargin?: () => number;
}

/** One leg of a pair opened or closed (see DailyVolumeTracker.record); an order outside a pair is its own trade. */
export const tradeKey = (o: { readonly pairId: string | null; readonly symbol: string; readonly side: string; readonly clientOrderId: string }): string =>
  o.pairId === null ? o.clientOrderId : `${o.pairId}|${o.symbol}|${o.side}`;

/** Market time between reads of operator controls and loss-limit evaluations. */
const CONTROL_INTERVAL_MS = 5_000;

/** One DN pair bot: strategy → sizing → RiskGate → PairExecutor → OrderManager, under its controls. */
export class DnPairBot {
  readonly id: string;
  readonly controls: BotControls;
  private readonly o: DnPairBotOptions;
  private readonly strategy: DnPairStrategy;
  private readonly executor: PairExecutor;
  readonly exits: ExitManager;
  private readonly volume: DailyVolumeTracker;
  private readonly volatility: VolatilityTracker;
  private readonly positions = new Map<string, Position>();
  /**
   * This bot's exposure (gross notional and net delta), kept up to date on every mark for the
   * runtime's sum: the runtime must tell it every mark (`onMark`).
   */
  readonly markedExposure: MarkedExposure;
  /** Bumped by every fill, the only change to `positions` (readers keep what they read until it moves). */
  private positionsRevision = 0;
  /** Post-fill mids for adverse selection (src/metrics). */
  readonly markouts: MarkoutTracker;
  /** Volume mode's cadence and direction; null in signal mode. */
  private readonly volumeCycle: VolumeCycle | null;
  /** Rebalances queued by `dnbot rebalance`, worked through this bot's own executor. */
  private readonly rebalances: RebalanceRunner;
  private readonly refusals: EntryRefusals;
  private readonly gates: EntryGates;
  /** Whether both legs have a mid, their reads skipped once both have had a mark. */
  private readonly legMarks: LegMarks;
  /** Exits by ExitBrain's ladder (the default), not the strategy's signal. */
  private readonly exitBrain: boolean;
  private cooldownUntil = 0;
  private nextControlTs = 0;
  private stopping = false;
  private readonly midOf = (s: string): number | undefined => this.o.market.mid(s);
  private readonly markOf = (s: string): number | undefined => this.o.market.mark(s);
  /** The open pair as the strategy's exit rule reads it, rewritten in place on every event. */
  private readonly exitView: { longSymbol: string; openedTs: number; pnlFraction: number } = { longSymbol: '', openedTs: 0, pnlFraction: 0 };
  private readonly bookOf = (s: string): Book | undefined => this.o.market.book(s);
  private readonly volatilityFactorOf = (): number | null => this.volatility.factor();

  constructor(opts: DnPairBotOptions) {
    this.o = opts;
    this.id = opts.id;
    this.strategy = new DnPairStrategy(opts.strategy);
    this.exitBrain = opts.strategy.exits === 'exitbrain';
    for (const p of opts.store.positions.list(opts.id, opts.venue)) this.positions.set(p.symbol, p);
    this.markedExposure = new MarkedExposure(this.positions, this.markOf, () => opts.market.allMarks());
    const acct = opts.account();
    this.refusals = new EntryRefusals({ botId: opts.id, store: opts.store, clock: opts.clock, logger: opts.logger });
    this.controls = new BotControls({ botId: opts.id, venue: opts.venue, store: opts.store, clock: opts.clock, logger: opts.logger, config: opts.controls, initialCollateral: acct.equity });
    this.volume = new DailyVolumeTracker(
      { volumeUsd: (day) => opts.store.dailyVolume.get(opts.id, day).volumeUsd, tradeKeys: (day) => opts.store.dailyVolume.tradeKeys(opts.id, day) },
      this.controls.phase.params().dailyVolumeTargetUsd,
      this.controls.phase.params().maxTradesPerDay,
    );
    this.gates = new EntryGates({ controls: this.controls, volume: this.volume, refusals: this.refusals, clock: opts.clock, ...(opts.feedPaused ? { feedPaused: opts.feedPaused } : {}) });
    this.volatility = new VolatilityTracker(this.strategy.symbols, opts.risk.volatility);
    this.volumeCycle = opts.strategy.mode === 'volume' ? new VolumeCycle(opts.strategy) : null;
    this.legMarks = new LegMarks(opts.market, opts.strategy.legA, opts.strategy.legB);
    this.markouts = new MarkoutTracker({ venue: opts.venue, botId: opts.id, symbols: this.strategy.symbols, save: (m) => opts.store.markouts.save(m) });
    this.executor = new PairExecutor({
      botId: opts.id,
      clock: opts.clock,
      store: opts.store,
      orders: opts.orders,
      market: opts.market,
      logger: opts.logger,
      instruments: opts.instruments,
      config: this.volumeCycle ? { ...opts.execution, exitReposts: this.volumeCycle.exitReposts, nakedMaxMs: this.volumeCycle.nakedMaxMs } : opts.execution,
      positions: () => this.positions,
      positionsRevision: () => this.positionsRevision,
      ...(opts.hedgeRatio ? { hedgeRatio: opts.hedgeRatio } : {}),
      onPairClosed: (rt) => {
        this.exits.onPairClosed(rt);
        this.controls.onRoundTripClosed();
      },
      onPairOpened: (rt) => {
        if (opts.strategy.exits === 'exitbrain' && !this.volumeCycle) this.exits.onPairOpened(rt, this.pairLeverage(rt), this.volatility.factor());
      },
    });
    this.rebalances = new RebalanceRunner({
      botId: opts.id,
      store: opts.store,
      clock: opts.clock,
      logger: opts.logger,
      executor: this.executor,
      instruments: opts.instruments,
      positions: () => this.positions,
      mark: (s) => opts.market.mark(s),
      imbalanceTolerance: opts.execution.imbalanceTolerance,
      driftShare: opts.execution.driftShare ?? 0,
      ...(opts.hedgeRatio ? { hedgeRatio: opts.hedgeRatio } : {}),
    });
    const { store, clock, logger, instruments } = opts;
    this.exits = new ExitManager({ botId: opts.id, store, clock, logger, config: opts.exitBrain, executor: this.executor, instruments, positions: () => this.positions, positionsRevision: () => this.positionsRevision, mark: this.markOf });
  }

  /** The leverage the bot runs at: the phase's, capped by the portfolio limit (ruling 3). */
  leverage(): number {
    return effectiveMaxLeverage(this.controls.phase.params().leverage, this.o.risk.limits.maxPortfolioLeverage);
  }

  /** The pair's own leverage for ExitBrain: one leg's entry notional over equity (the bot's cap when not measurable). */
  private pairLeverage(rt: RoundTrip): number {
    const long = this.positions.get(rt.longSymbol);
    const notional = long ? Math.abs(long.size) * long.entryPrice : 0;
    return positionLeverage(notional, this.o.account().equity, this.leverage());
  }

  /** Initial margin this bot's positions use at the leverage it runs at, USD (ruling 2's allocation). */
  marginInUse(): number {
    return grossExposure(this.positions, this.markOf) / this.leverage();
  }

  allocationState(): AllocationState {
    const tier = this.controls.tier();
    const equity = this.o.account().equity;
    const marginUsd = this.marginInUse();
    return {
      tier: tier.tier,
      limit: tier.limit,
      totalLimit: tier.totalLimit,
      marginUsd,
      accountMarginUsd: Math.max(this.o.accountMargin?.() ?? marginUsd, marginUsd),
      equity,
      positionCapUsd: this.o.risk.capitalShare * Math.max(0, equity) * tier.limit * this.leverage(),
    };
  }

  get symbols(): readonly string[] {
    return this.strategy.symbols;
  }

  get activePair(): RoundTrip | null {
    return this.executor.active;
  }

  positionMap(): ReadonlyMap<string, Position> {
    return this.positions;
  }

  controlSnapshot(): ControlSnapshot {
    return this.controls.snapshot();
  }

  hedgeBusy(): boolean {
    const pair = this.executor.active;
    return pair !== null && (pair.status !== 'open' || this.executor.reducing || this.executor.busyWithOrders());
  }

  /** Sends the portfolio emergency hedge's trades that fall on this bot's pair. */
  emergencyHedge(trades: readonly HedgeTrade[]): boolean {
    return this.stopping ? false : this.executor.emergencyHedge(trades);
  }

  /** Mean share of the deviation removed by this bot's recent hedges (null before the first). */
  hedgeEffectiveness(): number | null {
    return this.executor.hedgeEffectiveness();
  }

  volatilityFactor(): number | null {
    return this.volatility.factor();
  }

  warmUp(history: (symbol: string) => readonly Candle[]): void {
    const [a, b] = this.strategy.symbols;
    this.strategy.warmUp(history(a), history(b));
    for (const s of this.strategy.symbols) this.volatility.seed(s, history(s));
  }

  /** Stop opening pairs and cancel resting orders; positions and pair state stay in SQLite. */
  stop(): void {
    this.stopping = true;
    this.executor.cancelResting();
    this.markouts.flush();
  }

  onOrderChange(order: Order, fill: FillApplied | null): void {
    if (order.botId !== this.id) return;
    if (fill) {
      this.positions.set(fill.position.symbol, fill.position);
      this.positionsRevision++;
      this.markedExposure.positionsChanged();
      this.volume.record(fill.fill.ts, fill.fill.price * fill.fill.size, tradeKey(order));
      this.controls.onFill(fill.fill);
      this.exits.onFill(order, fill);
      this.markouts.onFill(fill.fill, this.o.market.mid(fill.fill.symbol));
    }
    if (this.stopping) return;
    if (TERMINAL_ORDER_STATUSES.has(order.status)) this.executor.onOrderClosed(order);
    this.executor.tick();
  }

  onMarketEvent(ev: MarketEvent, bar: ClosedBar | null): void {
    // By index (an array pattern would allocate an iterator per event).
    const { 0: a, 1: b } = this.strategy.symbols;
    // After a mark, the market's mid of that symbol is never undefined again (it falls back to the mark).
    this.markouts.onMarket(ev.ts, this.midOf, ev.kind === 'book' ? ev.book.symbol : ev.kind === 'mark' ? ev.mark.symbol : null, ev.kind === 'mark');
    if (ev.kind === 'mark') this.legMarks.onMark(ev.mark.symbol);
    if (bar) {
      const ca = bar.closes.get(a);
      const cb = bar.closes.get(b);
      if (ca !== undefined && cb !== undefined) this.strategy.onBar(bar.ts, ca, cb);
      if (ca !== undefined) this.volatility.onBar(a, ca);
      if (cb !== undefined) this.volatility.onBar(b, cb);
    }
    if (this.stopping) return;
    if (ev.ts >= this.nextControlTs) {
      this.nextControlTs = ev.ts + CONTROL_INTERVAL_MS;
      this.controlTick();
    }
    if (ev.kind !== 'book' || (ev.book.symbol !== a && ev.book.symbol !== b)) return;
    this.executor.tick();
    // The mids are read only where used: not by an open pair's exits under ExitBrain or volume mode.
    if (!this.legMarks.bothMids()) return;
    const now = this.o.clock.now();
    const pair = this.executor.active;
    if (pair?.status === 'open') {
      this.manageOpenPair(pair, now);
      return;
    }
    // The signal (pure) is computed only where it is read: not while a pair is busy or cooling down,
    // nor outside the entry band in signal mode (decideEntry's refusal, on most books of a flat
    // pair), nor in signal mode where tryEnter could only repeat the day's volume refusal (once a
    // default simulated day meets its target, nearly every book of its flat pair). Volume mode's
    // decision moves its cadence even when refused, so it is always taken.
    if (pair || now < this.cooldownUntil || (this.volumeCycle === null && this.gates.onlyRepeat(now))) return;
    const z = this.strategy.z(this.o.market.mid(a)!, this.o.market.mid(b)!);
    if (z === null || (!this.volumeCycle && !this.strategy.inEntryBand(z))) return;
    const sig = this.strategy.signalAt(z);
    const decision = this.volumeCycle ? this.volumeCycle.decideEntry(now, sig, this.bookOf, this.volatilityFactorOf) : this.strategy.decideEntry(sig);
    if (!decision) return;
    this.tryEnter(decision.longSymbol, decision.shortSymbol, decision.signal);
  }

  /**
   * Whether the print `ev` would change nothing in this bot but the markout tracker's last event
   * time (see MarkoutTracker.idle): a print sets no mid or mark, and with the tracker idle only a
   * due control tick (none once stopping) acts on it.
   */
  ignoresPrint(ev: MarketEvent): boolean {
    return this.markouts.idle && (this.stopping || ev.ts < this.nextControlTs);
  }

  /** Gross notional and net delta of this bot's positions at current marks. */
  exposure(): Exposure {
    const out = { net: 0, gross: 0 };
    addExposure(this.positions, this.markOf, out);
    return out;
  }

  /** The liquidation monitor's graduated action: block entries, cut exposure, or flatten. */
  applyProtection(action: ProtectionAction, reason: string): void {
    if (action.kind === 'none') {
      this.controls.setProtection(null);
      return;
    }
    this.controls.setProtection(reason);
    this.executor.cancelEntries();
    if (action.kind === 'reduce') this.executor.reduceBy(action.fraction, reason);
    if (action.kind === 'flatten') {
      if (this.executor.active?.status === 'open') this.executor.exit('risk_flatten', true);
    }
    this.o.store.events.record(this.o.clock.now(), this.id, 'protection_action', { action, reason });
  }

  /** ExitBrain's ladder (or the v1 signal exits), and the max-hold time stop in both modes. */
  private manageOpenPair(pair: RoundTrip, now: number): void {
    if (this.volumeCycle) {
      // Volume mode: post-only exit at the small target or the time limit; the stop is urgent.
      const why = this.volumeCycle.decideExit(pair, this.pairReturn(pair), now);
      // An operator's rebalance in progress gives way to the pair's own exit.
      if (why && (!this.executor.reducing || this.executor.rebalancing)) this.executor.exit(why, why === 'volume_stop');
      return;
    }
    const exitBrain = this.exitBrain;
    const openedTs = pair.openTs ?? pair.entryTs;
    let reason: ExitReason | null;
    // Under ExitBrain the strategy's only exit acted on is its holding limit: neither the signal
    // nor the pair's return (both pure, read on every book event) is computed for it.
    if (exitBrain) reason = this.strategy.holdExpired(openedTs, now) ? 'max_hold' : null;
    else {
      const view = this.exitView;
      view.longSymbol = pair.longSymbol;
      view.openedTs = openedTs;
      view.pnlFraction = this.pairReturn(pair);
      const { 0: a, 1: b } = this.strategy.symbols;
      reason = this.strategy.decideExit(view, this.strategy.signal(this.o.market.mid(a)!, this.o.market.mid(b)!), now);
    }
    if (reason) {
      if (this.executor.reducing && !this.executor.rebalancing) return;
      this.executor.exit(reason, reason !== 'reversion');
      this.cooldownUntil = now + this.o.strategy.cooldownMs;
      return;
    }
    if (!exitBrain) return;
    // A pair opened before ExitBrain was on (or before a restart) gets its plan now.
    if (!this.exits.hasPlan(pair)) this.exits.onPairOpened(pair, this.pairLeverage(pair), this.volatility.factor());
    this.exits.evaluate(pair);
    if (this.executor.active?.status !== 'open') this.cooldownUntil = now + this.o.strategy.cooldownMs;
  }

  /** Operator state, loss limits, phase target and the risk multiplier, on a market-time cadence. */
  private controlTick(): void {
    const equity = this.o.account().equity;
    const wasBlocked = this.controls.entriesBlocked();
    this.controls.refresh(equity);
    const tripped = this.controls.evaluateLossLimits(equity, this.positions, this.markOf);
    this.volume.setTarget(this.controls.phase.params().dailyVolumeTargetUsd, this.controls.phase.params().maxTradesPerDay);
    if (!wasBlocked && this.controls.entriesBlocked()) {
      this.executor.cancelEntries();
      if (tripped && this.o.risk.flattenOnTrip && this.executor.active?.status === 'open') this.executor.exit('loss_limit', true);
    }
    this.reduceOverAllocation();
    this.rebalances.tick();
  }

  /**
   * Seed 001's "reduce current allocation (sell excess positions)": margin in use above the tier
   * (a lowered tier, an emergency month, lower equity or leverage) is cut back to it, both legs by
   * the same share, reduce-only, sliced post-only with the legs together and IOC within the
   * slippage cap at the exit timeout (seed 001 gives the emergency rebalancing 30 minutes).
   */
  private reduceOverAllocation(): void {
    const pair = this.executor.active;
    if (pair?.status !== 'open' || this.executor.reducing || this.executor.busyWithOrders()) return;
    const a = this.allocationState();
    const cut = overAllocation({
      equity: a.equity,
      botMargin: a.marginUsd,
      accountMargin: a.accountMarginUsd,
      limit: a.limit,
      totalLimit: a.totalLimit,
      reduceAboveShare: this.o.controls.allocation.reduceAboveShare,
    });
    if (!cut) return;
    const limitName = cut.check === 'allocation_tier' ? "this bot's" : "all bots' (total leveraged assets)";
    const reason = `${a.tier} tier: ${limitName} margin ${(cut.usage * 100).toFixed(1)}% of equity above ${(cut.allowed * 100).toFixed(0)}%: cutting both legs by ${(cut.fraction * 100).toFixed(1)}%`;
    this.o.store.events.record(this.o.clock.now(), this.id, 'over_allocation', { pairId: pair.id, ...cut, tier: a.tier, equity: a.equity, marginUsd: a.marginUsd, accountMarginUsd: a.accountMarginUsd, reason });
    this.o.logger.warn({ pairId: pair.id, check: cut.check, fraction: cut.fraction }, reason);
    this.executor.reduceBy(cut.fraction, reason, false);
  }

  private pairReturn(pair: RoundTrip): number {
    return pairReturn(this.positions, this.markOf, pair.longSymbol, pair.shortSymbol, pair.targetNotional);
  }

  private tryEnter(longSymbol: string, shortSymbol: string, sig: SpreadSignal): void {
    const now = this.o.clock.now();
    // Seed 000: a due recalculation (10 round trips or an hour of market time, or none yet) runs
    // here, at the entry it sizes, with this entry's signal: the multiplier scales entry sizes
    // only, so this is the freshest reading it can use, and a fresh bot's first entry is sized by
    // the formula instead of ×1.0.
    this.controls.maybeRecalculateMultiplier({ signalStrength: sig.signalStrength, confidence: sig.confidence });
    // Cheap gates first (halt, protection, breakers, feed, daily volume): nothing below can change their answer.
    if (this.gates.refuse(now)) return;
    const volumeGate = this.volume.check(now);
    const longBook = this.o.market.book(longSymbol);
    const shortBook = this.o.market.book(shortSymbol);
    const longInst = this.o.instruments.get(longSymbol);
    const shortInst = this.o.instruments.get(shortSymbol);
    if (!longBook || !shortBook || !longInst || !shortInst) return;
    const ctl = this.controls.snapshot();
    const acct = this.o.account();
    const plan = planEntry(
      {
        account: acct,
        positions: this.positions,
        mark: (s) => this.o.market.mark(s),
        long: { instrument: longInst, book: longBook },
        short: { instrument: shortInst, book: shortBook },
        controls: ctl,
        phase: { number: this.controls.phase.phase, params: this.controls.phase.params(), initialCollateral: this.controls.phase.initialCollateral },
        volatilityFactor: this.volatility.factor(),
        drawdown: this.controls.drawdown(acct.equity),
        var1dUsd: this.o.portfolioMetrics?.().var1d95Usd ?? null,
        correlationExposure: this.o.portfolioMetrics?.().correlationExposure ?? null,
        ...(this.o.accountMargin ? { accountMargin: this.o.accountMargin() } : {}),
      },
      { baseNotionalUsd: this.o.baseNotionalUsd, safetyFactor: this.o.risk.safetyFactor, maxSlippageBps: this.o.execution.maxSlippageBps, capitalShare: this.o.risk.capitalShare, limits: this.o.risk.limits, phases: this.o.controls.phases },
    );
    const sized = sizePair(plan.sizing);
    if (!sized.ok) return this.refusals.refuse('sizing', sized.reason);
    const sizing = hedgeRatioSizing(sized, this.o.hedgeRatio?.(longInst.symbol, shortInst.symbol) ?? 1, longInst, shortInst);
    if (sizing === null) return this.refusals.refuse('sizing', 'the hedge ratio leaves a leg below its minimum size');
    const ctx = { ...plan.risk, volumeGate };
    for (const [leg, side, legSize] of [
      [plan.sizing.long, 'buy', sizing.long],
      [plan.sizing.short, 'sell', sizing.short],
    ] as const) {
      const d = evaluateRisk({ symbol: leg.instrument.symbol, side, size: legSize.size, price: leg.price, purpose: 'entry', reduceOnly: false }, ctx);
      if (!d.allowed) return this.refusals.refuse(d.check, d.reason);
    }
    this.refusals.entered();
    const gate = (size: number) => ({ step: 'risk_gate', input: size, output: size, reason: 'passed: sanity, halt, breakers, leverage, allocation tier, total leveraged assets, risk limits, daily volume' });
    this.executor.enter({
      longSymbol,
      shortSymbol,
      longSize: sizing.long.size,
      shortSize: sizing.short.size,
      targetNotional: sizing.notional,
      signal: { z: sig.z, beta: sig.beta, signalStrength: sig.signalStrength, confidence: sig.confidence, riskMultiplier: ctl.riskMultiplier, phase: this.controls.phase.phase },
      trace: { long: [...sizing.long.trace, gate(sizing.long.size)], short: [...sizing.short.trace, gate(sizing.short.size)] },
    });
  }
}
