import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { utcDay, utcMonth } from '../core/utc-day.js';
import { evaluateLossLimits, type LossLimitBreach, type LossLimits } from '../risk/loss-limits.js';
import type { Breaker } from '../store/breaker-repository.js';
import type { Store } from '../store/store.js';

/**
 * Seed 001's loss limits for one bot, as ruled: 2% per asset per day, 3% portfolio per day, 8% per
 * month, of start-of-period equity, realised plus unrealised. A trip is a persistent breaker row:
 * entries stop until the period rolls over or an operator resets it; exits and hedges continue.
 * A reset breaker trips again in the same period after another full limit of loss (see
 * `BreakerRepository.trip`).
 *
 * An asset's PnL is measured as the change since the day's start of its cumulative PnL
 * (realised − fees + unrealised); the start values are stored per period on first sight.
 */
export class LossLimitMonitor {
  private active: Breaker[] = [];
  /** Start-of-period values already read or written, so evaluation is a memory lookup. */
  private readonly starts = new Map<string, number>();
  /**
   * Scratch: each symbol's PnL since the start of the day, reused tick to tick. A typed array: a
   * plain one resized by its length and filled with doubles changes hidden class as it goes
   * (empty, holey, doubles), and the control tick's code, optimised on one of them, was thrown
   * away when a new run's met it.
   */
  private pnls = new Float64Array(0);
  /**
   * The current UTC day's periods and starts, so a control tick builds no key strings: the day
   * (the same string object `utcDay` returns until the day rolls), its month, their starts, and
   * each symbol's start of day by symbol (stored under `day|symbol` as before).
   */
  private today: { day: string; month: string; dayStart: number; monthStart: number; assets: Map<string, number> } | null = null;

  constructor(private readonly o: { botId: string; store: Store; clock: Clock; logger: Logger; limits: LossLimits }) {
    this.reload();
  }

  /** Tripped breakers whose period is current (re-read from SQLite: an operator may have reset them). */
  reload(): readonly Breaker[] {
    const now = this.o.clock.now();
    this.active = this.o.store.breakers.active(this.o.botId, [utcDay(now), utcMonth(now)]);
    return this.active;
  }

  reasons(): string[] {
    return this.active.map((b) => b.reason);
  }

  /** True while a breaker of the current period holds (without building the reasons). */
  hasActive(): boolean {
    return this.active.length > 0;
  }

  /**
   * Evaluates the limits now; records and returns breakers tripped by this evaluation.
   * `assetPnl` is each symbol's cumulative PnL (realised − fees + unrealised), USD.
   */
  evaluate(equity: number, assetPnl: ReadonlyMap<string, number>): Breaker[] {
    return this.evaluateSymbols(equity, [...assetPnl.keys()], [...assetPnl.values()]);
  }

  /**
   * {@link evaluate} with the symbols and their cumulative PnLs side by side (distinct symbols, in
   * the order a map of them would iterate): what a control tick calls, with arrays it reuses.
   */
  evaluateSymbols(equity: number, symbols: readonly string[], cumulative: readonly number[]): Breaker[] {
    const now = this.o.clock.now();
    const today = this.periods(now, equity);
    const { day, month, dayStart, monthStart } = today;
    if (!(dayStart > 0) || !(monthStart > 0)) return [];
    const limits = this.o.limits;
    if (this.pnls.length !== symbols.length) this.pnls = new Float64Array(symbols.length);
    const pnls = this.pnls;
    // Nothing reached and every figure finite (the common tick): no breach, no objects built. Else
    // the rule itself (`evaluateLossLimits`) judges, on the same differences.
    let quiet = Number.isFinite(dayStart) && Number.isFinite(monthStart) && quietLoss(equity - dayStart, dayStart, limits.portfolioDaily) && quietLoss(equity - monthStart, monthStart, limits.portfolioMonthly);
    for (let k = 0; k < symbols.length; k++) {
      const symbol = symbols[k]!;
      let start = today.assets.get(symbol);
      if (start === undefined) {
        start = this.start(`${day}|${symbol}`, cumulative[k]!, now);
        today.assets.set(symbol, start);
      }
      pnls[k] = cumulative[k]! - start;
      if (quiet && !quietLoss(pnls[k]!, dayStart, limits.perAssetDaily)) quiet = false;
    }
    if (quiet) return [];
    const perAsset: Record<string, number> = {};
    for (let k = 0; k < symbols.length; k++) perAsset[symbols[k]!] = pnls[k]!;
    const breaches = evaluateLossLimits({
      perAsset,
      portfolioPnlToday: equity - dayStart,
      portfolioPnlMonth: equity - monthStart,
      startOfDayEquity: dayStart,
      startOfMonthEquity: monthStart,
      limits,
    });
    const tripped: Breaker[] = [];
    for (const b of breaches) {
      const breaker = this.toBreaker(b, now, b.scope === 'portfolio_month' ? month : day);
      if (this.o.store.breakers.trip(breaker)) {
        tripped.push({ ...breaker, status: 'tripped', resetTs: null, resetBy: null });
        this.o.store.events.record(now, this.o.botId, 'breaker_tripped', { ...b, period: breaker.period });
        this.o.logger.warn({ ...b }, 'loss limit breaker tripped: no new entries');
      }
    }
    if (tripped.length > 0) this.reload();
    return tripped;
  }

  /** Today's periods and starts; the store is read (and the starts written) once per day and period. */
  private periods(now: number, equity: number): NonNullable<LossLimitMonitor['today']> {
    const day = utcDay(now);
    if (this.today === null || this.today.day !== day) {
      const month = utcMonth(now);
      // Periods only move forward: past days' starts are not read again (and a re-read finds the
      // stored row), so only this month's is kept; memory stays flat over a long run.
      for (const key of this.starts.keys()) if (key !== month) this.starts.delete(key);
      const dayStart = this.start(day, equity, now);
      const monthStart = this.start(month, equity, now);
      this.today = { day, month, dayStart, monthStart, assets: new Map() };
    }
    return this.today;
  }

  private start(period: string, valueNow: number, now: number): number {
    let v = this.starts.get(period);
    if (v === undefined) {
      v = this.o.store.snapshots.periodStartEquity(this.o.botId, period, valueNow, now);
      this.starts.set(period, v);
    }
    return v;
  }

  private toBreaker(b: LossLimitBreach, ts: number, period: string): Omit<Breaker, 'status' | 'resetTs' | 'resetBy'> {
    const what = b.scope === 'asset' ? `${b.key} daily` : b.scope === 'portfolio_day' ? 'portfolio daily' : 'portfolio monthly';
    return {
      botId: this.o.botId,
      scope: b.scope,
      key: b.key,
      period,
      trippedTs: ts,
      loss: b.loss,
      limitValue: b.limit,
      reason: `${what} loss $${b.loss.toFixed(2)} ≥ ${(b.limitFraction * 100).toFixed(1)}% limit $${b.limit.toFixed(2)} (${period})`,
    };
  }
}

/** A finite PnL whose loss (if any) is short of `limitFraction` of `equity`: `evaluateLossLimits` would not trip on it. */
function quietLoss(pnl: number, equity: number, limitFraction: number): boolean {
  if (!Number.isFinite(pnl)) return false;
  const loss = -pnl;
  return !(loss > 0 && loss / equity >= limitFraction);
}
