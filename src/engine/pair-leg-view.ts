import { roundDown } from '../core/tick-rounding.js';
import type { Instrument, Position, Side } from '../core/types.js';
import { pairTolerance } from '../hedging/pair-imbalance.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { MarketState } from './market-state.js';
import type { PairLegOrders } from './pair-leg-orders.js';

export interface PairLegViewOptions {
  readonly market: MarketState;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly positions: () => ReadonlyMap<string, Position>;
  /**
   * A number that changes whenever `positions` does (a fill): while it stays, a reading keeps its
   * legs' sizes without looking them up again. Absent, they are looked up on every `read`.
   */
  readonly positionsRevision?: () => number;
  readonly imbalanceTolerance: number;
  readonly legs: PairLegOrders;
  /** Short notional per long notional the pair is hedged to (1 when absent). */
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
}

/**
 * An open pair's legs as read once for one book event: each leg's |size| and its mark (undefined
 * without one). The IOC trim and the drift rebalancer decide from the same reading.
 */
export interface LegReading {
  readonly longSize: number;
  readonly shortSize: number;
  readonly longMark: number | undefined;
  readonly shortMark: number | undefined;
}

/** What stays fixed for one round-trip row: its legs' instruments and its tolerance. */
interface PairFacts {
  readonly rt: RoundTrip;
  readonly longInst: Instrument | undefined;
  readonly shortInst: Instrument | undefined;
  readonly tolerance: number;
}

/** |size| × mark of one leg (0 when flat), null when held without a mark. */
function legNotional(size: number, mark: number | undefined): number | null {
  if (size === 0) return 0;
  return mark === undefined ? null : size * mark;
}

/** What a pair's legs hold at current marks: notionals, delta, tolerance, what is left to reduce. */
export class PairLegView {
  private facts: PairFacts | null = null;
  private readonly reading: { -readonly [K in keyof LegReading]: LegReading[K] } = { longSize: 0, shortSize: 0, longMark: undefined, shortMark: undefined };
  /** The row and positions revision the reading's sizes are of (null: none, or no revision given). */
  private sizedRt: RoundTrip | null = null;
  private sizedRevision = 0;

  constructor(private readonly o: PairLegViewOptions) {}

  /**
   * Both legs' |size| and mark now. The same object is refilled by each call (read on every book
   * of an open pair, it is no garbage): a reading holds until the next `read`.
   */
  read(rt: RoundTrip): LegReading {
    const r = this.reading;
    const revision = this.o.positionsRevision;
    // The sizes change only with the positions (a new revision) or the row's symbols (a new row):
    // two map lookups less on most books of an open pair. Property-tested against reading them.
    if (revision === undefined || rt !== this.sizedRt || revision() !== this.sizedRevision) {
      const pos = this.o.positions();
      r.longSize = Math.abs(pos.get(rt.longSymbol)?.size ?? 0);
      r.shortSize = Math.abs(pos.get(rt.shortSymbol)?.size ?? 0);
      if (revision !== undefined) {
        this.sizedRt = rt;
        this.sizedRevision = revision();
      }
    }
    r.longMark = this.o.market.mark(rt.longSymbol);
    r.shortMark = this.o.market.mark(rt.shortSymbol);
    return r;
  }

  /**
   * Leg notionals at current marks, the long leg weighted by the pair's hedge ratio (its beta to
   * the short leg; 1 unless beta-adjusted), so that "balanced" means hedged; null while a held leg
   * has no mark yet.
   */
  legNotionals(rt: RoundTrip): { longNotional: number; shortNotional: number } | null {
    const pos = this.o.positions();
    const longNotional = legNotional(Math.abs(pos.get(rt.longSymbol)?.size ?? 0), this.o.market.mark(rt.longSymbol));
    const shortNotional = legNotional(Math.abs(pos.get(rt.shortSymbol)?.size ?? 0), this.o.market.mark(rt.shortSymbol));
    if (longNotional === null || shortNotional === null) return null;
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    return { longNotional: longNotional * h, shortNotional };
  }

  /**
   * Net delta of a reading: long notional × hedge ratio − short notional (`legNotionals`'
   * arithmetic, and the hedge ratio asked under the same condition), null while a held leg has no
   * mark. Read on every book of an open pair: numbers only, no objects.
   */
  netDelta(rt: RoundTrip, r: LegReading): number | null {
    const longNotional = legNotional(r.longSize, r.longMark);
    const shortNotional = legNotional(r.shortSize, r.shortMark);
    if (longNotional === null || shortNotional === null) return null;
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    return longNotional * h - shortNotional;
  }

  /** Whether both legs have a mark (not yet, just after a restart). */
  marked(rt: RoundTrip): boolean {
    return this.o.market.mark(rt.longSymbol) !== undefined && this.o.market.mark(rt.shortSymbol) !== undefined;
  }

  /** The largest net delta the pair holds without a trim: `imbalanceTolerance` of its target notional, at least `floor`. */
  tolerance(rt: RoundTrip): number {
    return this.factsOf(rt).tolerance;
  }

  /** The legs' instruments (undefined for a symbol the venue does not list). */
  instruments(rt: RoundTrip): { readonly longInst: Instrument | undefined; readonly shortInst: Instrument | undefined } {
    return this.factsOf(rt);
  }

  /**
   * Looked up once per round-trip row, not on every book: a row is immutable (a change is a new
   * row object), its symbols and target notional fixed, and the instruments map is loaded once at
   * start and never changed.
   */
  private factsOf(rt: RoundTrip): PairFacts {
    const f = this.facts;
    if (f !== null && f.rt === rt) return f;
    const longInst = this.o.instruments.get(rt.longSymbol);
    const shortInst = this.o.instruments.get(rt.shortSymbol);
    this.facts = { rt, longInst, shortInst, tolerance: pairTolerance(rt.targetNotional, this.o.imbalanceTolerance, this.floor(rt)) };
    return this.facts;
  }

  /** The smallest imbalance a trade can fix: the larger of the legs' minimum notionals. */
  floor(rt: RoundTrip): number {
    return Math.max(this.o.instruments.get(rt.longSymbol)?.minNotional ?? 0, this.o.instruments.get(rt.shortSymbol)?.minNotional ?? 0);
  }

  /** Legs still above their reduction target: [symbol, excess size, closing side]. */
  excesses(targets: ReadonlyMap<string, number>): [string, number, Side][] {
    const out: [string, number, Side][] = [];
    for (const [symbol, target] of targets) {
      const pos = this.o.positions().get(symbol)?.size ?? 0;
      const excess = roundDown(Math.abs(pos) - target, this.o.instruments.get(symbol)?.lotSize ?? 1e-9);
      if (this.o.legs.sendable(symbol, excess, this.o.market.mark(symbol))) out.push([symbol, excess, pos > 0 ? 'sell' : 'buy']);
    }
    return out;
  }
}
