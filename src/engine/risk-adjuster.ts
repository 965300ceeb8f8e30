import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { computeRiskMultiplier, shouldRecalculate, type RiskMultiplierConfig } from '../sizing/risk-multiplier.js';
import type { Store } from '../store/store.js';

export interface SignalReading {
  readonly signalStrength: number;
  readonly confidence: number;
}

const WINDOW = 50;

/**
 * Seed 000's dynamic risk multiplier for one bot: recalculated every N round trips or every hour
 * of market time (whichever first), from the latest signal reading and the last 50 round trips'
 * average PnL (USD, net of fees). Each recalculation is stored with its inputs; the bot row holds
 * the current value, so a restart resumes it.
 */
export class RiskAdjuster {
  private multiplier: number;
  private lastCalc: number | null;
  private tradesSinceLast: number;

  constructor(
    private readonly o: { botId: string; store: Store; clock: Clock; logger: Logger; config: RiskMultiplierConfig },
  ) {
    const bot = o.store.bots.get(o.botId);
    this.multiplier = bot?.currentRiskMultiplier ?? 1;
    this.lastCalc = bot?.lastRiskCalculation ?? null;
    this.tradesSinceLast = this.lastCalc === null ? 0 : o.store.roundTrips.closedSince(o.botId, this.lastCalc).length;
  }

  current(): number {
    return this.multiplier;
  }

  onRoundTripClosed(): void {
    this.tradesSinceLast++;
  }

  /**
   * Whether {@link maybeRecalculate} with a signal at `now` would do anything: recalculate, or
   * restart an interval whose last recalculation is ahead of `now`. No side effect.
   */
  due(now: number): boolean {
    if (this.lastCalc === null || now < this.lastCalc) return true;
    return shouldRecalculate({ tradesSinceLast: this.tradesSinceLast, msSinceLast: now - this.lastCalc }, this.o.config);
  }

  /** Recalculates when due; returns true when it did. */
  maybeRecalculate(signal: SignalReading | null): boolean {
    const now = this.o.clock.now();
    if (this.lastCalc !== null && now < this.lastCalc) {
      // Market time behind the last recalculation (a replay run again on the same database): the
      // hour is counted from now instead of never arriving, and a start never fails on it.
      this.o.logger.warn({ now, lastCalc: this.lastCalc }, 'risk multiplier last recalculated after the current market time; its interval restarts now');
      this.lastCalc = now;
    }
    const due = shouldRecalculate({ tradesSinceLast: this.tradesSinceLast, msSinceLast: this.lastCalc === null ? null : now - this.lastCalc }, this.o.config);
    if (!due || !signal) return false;
    const pnls = this.o.store.roundTrips.recentPnls(this.o.botId, WINDOW);
    const avg = pnls.length === 0 ? null : pnls.reduce((a, b) => a + b, 0) / pnls.length;
    const r = computeRiskMultiplier({ signalStrength: signal.signalStrength, confidence: signal.confidence, avgPnlLast50: avg }, this.o.config);
    const trigger = this.lastCalc === null ? 'first' : this.tradesSinceLast >= this.o.config.recalcEveryTrades ? 'round_trips' : 'elapsed';
    this.o.store.riskAdjustments.record({
      botId: this.o.botId,
      ts: now,
      previousMultiplier: this.multiplier,
      multiplier: r.multiplier,
      signalStrength: signal.signalStrength,
      confidence: signal.confidence,
      avgPnlLast50: avg,
      tradesInWindow: pnls.length,
      trigger,
      inputs: { ...r },
    });
    // An hourly recalculation that changes nothing is detail (a six-week replay holds a thousand).
    const log = r.multiplier === this.multiplier ? this.o.logger.debug : this.o.logger.info;
    log.call(this.o.logger, { from: this.multiplier, to: r.multiplier, trigger, avgPnlLast50: avg, ...signal }, 'risk multiplier recalculated');
    this.multiplier = r.multiplier;
    this.lastCalc = now;
    this.tradesSinceLast = 0;
    return true;
  }
}
