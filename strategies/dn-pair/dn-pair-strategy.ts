import type { Candle } from '../../src/core/types.js';
import { isPositiveFinite } from '../../src/core/validation.js';
import type { DnPairConfig } from './dn-pair-config.js';
import { fitSpread, spreadZOfLogs, type SpreadFit } from './spread-model.js';

/** The strategy's reading of the market, exposed for sizing (risk multiplier) and logs. */
export interface SpreadSignal {
  readonly z: number;
  readonly beta: number;
  /**
   * 0..1: how stretched the spread is. 0.5 at the entry band and 1 at the stop band, so a signal
   * strong enough to enter is never in seed 000's defensive zone (< 0.5); below the entry band it
   * falls linearly to 0 at z = 0.
   */
  readonly signalStrength: number;
  /** 0..1: how well leg B explains leg A over the window (R²). */
  readonly confidence: number;
}

export interface EntryDecision {
  readonly longSymbol: string;
  readonly shortSymbol: string;
  readonly signal: SpreadSignal;
}

export type ExitReason = 'reversion' | 'stop' | 'max_hold';

export interface OpenPairView {
  readonly longSymbol: string;
  readonly openedTs: number;
  /** Unrealised return of the pair on one leg's notional, as a fraction. */
  readonly pnlFraction: number;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * DN pair strategy v1: log-price spread with a rolling hedge ratio. When leg A is rich (z above
 * entryZ) it sells A and buys B; when cheap, the reverse. Exits on reversion, stop or max hold.
 * Pure decisions over bars it is fed; no I/O, no clock.
 */
export class DnPairStrategy {
  private readonly logA: number[] = [];
  private readonly logB: number[] = [];
  private fit: SpreadFit | null = null;
  private lastBarTs = -Infinity;
  /**
   * The last price of each leg {@link z} took the log of, and that log (NaN: none yet). z is asked
   * on most books of a flat pair (~107k a simulated day) and a book moves one leg's price: the
   * other leg's log is the one kept, a Math.log (~6 ns) less a call. Math.log of an equal double
   * is the same double. Property-tested against taking both logs on every call.
   */
  private lastPriceA = Number.NaN;
  private lastLogA = Number.NaN;
  private lastPriceB = Number.NaN;
  private lastLogB = Number.NaN;

  /**
   * The two legs, A then B: one tuple, read-only by its type. Not frozen: the bot and its markout
   * tracker read it on every market event, and V8 loads a frozen array's elements about twice as
   * slowly as a plain one's.
   */
  readonly symbols: readonly [string, string];

  constructor(readonly config: DnPairConfig) {
    this.symbols = [config.legA, config.legB];
  }

  /** Seeds the window from history (aligned candles of both legs). */
  warmUp(a: readonly Candle[], b: readonly Candle[]): void {
    const byTs = new Map(b.map((c) => [c.ts, c.close]));
    for (const c of a) {
      const cb = byTs.get(c.ts);
      if (cb !== undefined) this.onBar(c.ts, c.close, cb);
    }
  }

  /** A closed 1-minute bar of both legs. Refits the model. */
  onBar(ts: number, closeA: number, closeB: number): void {
    if (ts <= this.lastBarTs || !(closeA > 0) || !(closeB > 0)) return;
    this.lastBarTs = ts;
    this.logA.push(Math.log(closeA));
    this.logB.push(Math.log(closeB));
    const w = this.config.windowBars;
    if (this.logA.length > w) {
      this.logA.splice(0, this.logA.length - w);
      this.logB.splice(0, this.logB.length - w);
    }
    this.fit = this.logA.length >= w ? fitSpread(this.logA, this.logB) : null;
  }

  /** The signal at current prices, or null while warming up. */
  signal(priceA: number, priceB: number): SpreadSignal | null {
    const z = this.z(priceA, priceB);
    return z === null ? null : this.signalAt(z);
  }

  /** The spread's z-score at current prices (`signal(...).z`), or null while warming up. */
  z(priceA: number, priceB: number): number | null {
    if (!this.fit || !isPositiveFinite(priceA) || !isPositiveFinite(priceB)) return null;
    if (priceA !== this.lastPriceA) {
      this.lastPriceA = priceA;
      this.lastLogA = Math.log(priceA);
    }
    if (priceB !== this.lastPriceB) {
      this.lastPriceB = priceB;
      this.lastLogB = Math.log(priceB);
    }
    return spreadZOfLogs(this.fit, this.lastLogA, this.lastLogB);
  }

  /** The signal of a z-score from {@link z} (the current fit's). */
  signalAt(z: number): SpreadSignal {
    const fit = this.fit!;
    const { entryZ, stopZ } = this.config;
    const az = Math.abs(z);
    return {
      z,
      beta: fit.beta,
      signalStrength: az >= entryZ ? 0.5 + 0.5 * clamp01((az - entryZ) / (stopZ - entryZ)) : clamp01((0.5 * az) / entryZ),
      confidence: clamp01(fit.r2),
    };
  }

  /**
   * Whether {@link decideEntry} enters on a signal of this z-score: the pair bot builds the signal
   * only then (most books of a flat pair are outside the band).
   */
  inEntryBand(z: number): boolean {
    const az = Math.abs(z);
    // Written as (in band) so a NaN z never enters.
    return az >= this.config.entryZ && az < this.config.stopZ;
  }

  /** Enter when the spread is stretched beyond entryZ but not broken beyond stopZ. */
  decideEntry(sig: SpreadSignal): EntryDecision | null {
    const { legA, legB } = this.config;
    if (!this.inEntryBand(sig.z)) return null;
    return sig.z > 0
      ? { longSymbol: legB, shortSymbol: legA, signal: sig }
      : { longSymbol: legA, shortSymbol: legB, signal: sig };
  }

  /**
   * The holding limit alone: {@link decideExit} answers 'max_hold' exactly when this is true,
   * whatever the signal and PnL. ExitBrain mode acts on no other reason of it.
   */
  holdExpired(openedTs: number, now: number): boolean {
    return now - openedTs >= this.config.maxHoldMs;
  }

  /** Exit on reversion through exitZ, a stop (z or loss), or the holding limit. */
  decideExit(pair: OpenPairView, sig: SpreadSignal | null, now: number): ExitReason | null {
    const c = this.config;
    if (this.holdExpired(pair.openedTs, now)) return 'max_hold';
    if (pair.pnlFraction <= -c.stopLossPct) return 'stop';
    if (!sig) return null;
    // Direction of the trade: +1 when long A (entered on negative z), −1 when short A.
    const dir = pair.longSymbol === c.legA ? 1 : -1;
    // Signed distance toward the trade's profit: it shrinks from -entryZ toward 0 and beyond.
    const stretched = -dir * sig.z;
    if (stretched >= c.stopZ) return 'stop';
    if (stretched <= c.exitZ) return 'reversion';
    return null;
  }
}
