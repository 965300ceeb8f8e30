import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { unrealizedPnl } from '../core/position-math.js';
import type { AccountState, Candle, Instrument, MarketEvent, Order, Position } from '../core/types.js';
import { TERMINAL_ORDER_STATUSES } from '../core/types.js';
import { utcDay } from '../core/utc-day.js';
import type { FillApplied } from '../execution/fill-ledger.js';
import type { OrderManager } from '../execution/order-manager.js';
import { DailyVolumeTracker } from '../risk/daily-volume-tracker.js';
import { effectiveMaxLeverage } from '../risk/leverage-validation.js';
import { evaluateRisk, type RiskContext } from '../risk/risk-gate.js';
import { sizePair } from '../sizing/sizing-pipeline.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';
import type { DnPairConfig } from '../../strategies/dn-pair/dn-pair-config.js';
import { DnPairStrategy } from '../../strategies/dn-pair/dn-pair-strategy.js';
import type { ClosedBar, MarketState } from './market-state.js';
import { PairExecutor, type PairExecutionConfig } from './pair-executor.js';

export interface BotRiskConfig {
  readonly phaseLeverage: number;
  readonly maxPortfolioLeverage: number;
  readonly safetyFactor: number;
  readonly dailyVolumeTargetUsd: number;
}

export interface DnPairBotOptions {
  readonly id: string;
  readonly venue: string;
  readonly strategy: DnPairConfig;
  readonly baseNotionalUsd: number;
  readonly risk: BotRiskConfig;
  readonly execution: PairExecutionConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly logger: Logger;
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Latest account state (refreshed by the runtime). */
  readonly account: () => AccountState;
}

/** One DN pair bot: strategy → sizing → RiskGate → PairExecutor → OrderManager. */
export class DnPairBot {
  readonly id: string;
  private readonly o: DnPairBotOptions;
  private readonly strategy: DnPairStrategy;
  private readonly executor: PairExecutor;
  private readonly volume: DailyVolumeTracker;
  private readonly positions = new Map<string, Position>();
  private lastRefusal = '';
  private cooldownUntil = 0;
  private stopping = false;

  constructor(opts: DnPairBotOptions) {
    this.o = opts;
    this.id = opts.id;
    this.strategy = new DnPairStrategy(opts.strategy);
    for (const p of opts.store.positions.list(opts.id, opts.venue)) this.positions.set(p.symbol, p);
    this.volume = new DailyVolumeTracker(
      { volumeUsd: (day) => opts.store.dailyVolume.get(opts.id, day).volumeUsd },
      opts.risk.dailyVolumeTargetUsd,
    );
    this.executor = new PairExecutor({
      botId: opts.id,
      clock: opts.clock,
      store: opts.store,
      orders: opts.orders,
      market: opts.market,
      logger: opts.logger,
      instruments: opts.instruments,
      config: opts.execution,
      positions: () => this.positions,
    });
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

  warmUp(history: (symbol: string) => readonly Candle[]): void {
    const [a, b] = this.strategy.symbols;
    this.strategy.warmUp(history(a), history(b));
  }

  /** Stop opening pairs and cancel resting orders; positions and pair state stay in SQLite. */
  stop(): void {
    this.stopping = true;
    this.executor.cancelResting();
  }

  onOrderChange(order: Order, fill: FillApplied | null): void {
    if (order.botId !== this.id) return;
    if (fill) {
      this.positions.set(fill.position.symbol, fill.position);
      this.volume.record(fill.fill.ts, fill.fill.price * fill.fill.size);
    }
    if (TERMINAL_ORDER_STATUSES.has(order.status)) this.executor.onOrderClosed(order);
    if (!this.stopping) this.executor.tick();
  }

  onMarketEvent(ev: MarketEvent, bar: ClosedBar | null): void {
    const [a, b] = this.strategy.symbols;
    if (bar) {
      const ca = bar.closes.get(a);
      const cb = bar.closes.get(b);
      if (ca !== undefined && cb !== undefined) this.strategy.onBar(bar.ts, ca, cb);
    }
    if (this.stopping || ev.kind !== 'book' || (ev.book.symbol !== a && ev.book.symbol !== b)) return;
    this.executor.tick();
    const pa = this.o.market.mid(a);
    const pb = this.o.market.mid(b);
    if (pa === undefined || pb === undefined) return;
    const sig = this.strategy.signal(pa, pb);
    const now = this.o.clock.now();
    const pair = this.executor.active;
    if (pair?.status === 'open') {
      const reason = this.strategy.decideExit({ longSymbol: pair.longSymbol, openedTs: pair.openTs ?? pair.entryTs, pnlFraction: this.pairReturn(pair.longSymbol, pair.shortSymbol, pair.targetNotional) }, sig, now);
      if (reason) {
        this.executor.exit(reason, reason !== 'reversion');
        this.cooldownUntil = now + this.o.strategy.cooldownMs;
      }
      return;
    }
    if (pair || !sig || now < this.cooldownUntil) return;
    const decision = this.strategy.decideEntry(sig);
    if (decision) this.tryEnter(decision.longSymbol, decision.shortSymbol, { z: sig.z, beta: sig.beta, signalStrength: sig.signalStrength, confidence: sig.confidence });
  }

  /** Gross notional and net delta of this bot's positions at current marks. */
  exposure(): { net: number; gross: number } {
    let net = 0;
    let gross = 0;
    for (const p of this.positions.values()) {
      const v = p.size * (this.o.market.mark(p.symbol) ?? p.entryPrice);
      net += v;
      gross += Math.abs(v);
    }
    return { net, gross };
  }

  private pairReturn(longSymbol: string, shortSymbol: string, notional: number): number {
    let pnl = 0;
    for (const s of [longSymbol, shortSymbol]) {
      const p = this.positions.get(s);
      const m = this.o.market.mark(s);
      if (p && m !== undefined) pnl += unrealizedPnl(p, m);
    }
    return notional > 0 ? pnl / notional : 0;
  }

  private tryEnter(longSymbol: string, shortSymbol: string, signal: Record<string, number>): void {
    const now = this.o.clock.now();
    const volumeGate = this.volume.check(now);
    // Cheap gate first: once the day's target is reached nothing below can change the answer.
    if (!volumeGate.allowed) return this.refuse('daily_volume', volumeGate.reason);
    const acct = this.o.account();
    const maxLeverage = effectiveMaxLeverage(this.o.risk.phaseLeverage, this.o.risk.maxPortfolioLeverage);
    const collateral = Math.min(acct.collateral, acct.equity);
    const legInput = (symbol: string, side: 'buy' | 'sell') => {
      const book = this.o.market.book(symbol);
      const inst = this.o.instruments.get(symbol);
      const price = side === 'buy' ? book?.bids[0]?.price : book?.asks[0]?.price;
      if (!book || !inst || price === undefined) return null;
      const held = Math.abs(this.positions.get(symbol)?.size ?? 0) * price;
      return { instrument: inst, price, takeLevels: side === 'buy' ? book.asks : book.bids, existingNotional: held };
    };
    const long = legInput(longSymbol, 'buy');
    const short = legInput(shortSymbol, 'sell');
    if (!long || !short) return;
    const sizing = sizePair({
      baseNotional: this.o.baseNotionalUsd,
      collateral,
      maxLeverage,
      safetyFactor: this.o.risk.safetyFactor,
      maxSlippageBps: this.o.execution.maxSlippageBps,
      long,
      short,
    });
    if (!sizing.ok) return this.refuse('sizing', sizing.reason);
    const ctx: RiskContext = {
      collateral,
      maxLeverage,
      safetyFactor: this.o.risk.safetyFactor,
      positionNotional: new Map([...this.positions.values()].map((p) => [p.symbol, p.size * (this.o.market.mark(p.symbol) ?? p.entryPrice)])),
      restingEntryNotional: new Map(),
      volumeGate,
      halted: false,
    };
    for (const [leg, side, legSize] of [
      [long, 'buy', sizing.long],
      [short, 'sell', sizing.short],
    ] as const) {
      const d = evaluateRisk({ symbol: leg.instrument.symbol, side, size: legSize.size, price: leg.price, purpose: 'entry', reduceOnly: false }, ctx);
      if (!d.allowed) return this.refuse(d.check, d.reason);
    }
    this.lastRefusal = '';
    const gate = (size: number) => ({ step: 'risk_gate', input: size, output: size, reason: 'passed: sanity, halt, leverage, daily volume' });
    this.executor.enter({
      longSymbol,
      shortSymbol,
      longSize: sizing.long.size,
      shortSize: sizing.short.size,
      targetNotional: sizing.notional,
      signal,
      trace: { long: [...sizing.long.trace, gate(sizing.long.size)], short: [...sizing.short.trace, gate(sizing.short.size)] },
    });
  }

  private refuse(check: string, reason: string): void {
    const key = `${check}:${utcDay(this.o.clock.now())}:${check === 'daily_volume' ? '' : reason}`;
    if (key === this.lastRefusal) return;
    this.lastRefusal = key;
    this.o.store.events.record(this.o.clock.now(), this.id, 'entry_refused', { check, reason });
    this.o.logger.info({ bot: this.id, check, reason }, 'entry refused');
  }
}
