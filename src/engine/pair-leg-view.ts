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
  readonly imbalanceTolerance: number;
  readonly legs: PairLegOrders;
  /** Short notional per long notional the pair is hedged to (1 when absent). */
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
}

/** What a pair's legs hold at current marks: notionals, delta, tolerance, what is left to reduce. */
export class PairLegView {
  constructor(private readonly o: PairLegViewOptions) {}

  /**
   * Leg notionals at current marks, the long leg weighted by the pair's hedge ratio (its beta to
   * the short leg; 1 unless beta-adjusted), so that "balanced" means hedged; null while a held leg
   * has no mark yet.
   */
  legNotionals(rt: RoundTrip): { longNotional: number; shortNotional: number } | null {
    const pos = this.o.positions();
    const longNotional = this.legNotional(pos, rt.longSymbol);
    const shortNotional = this.legNotional(pos, rt.shortSymbol);
    if (longNotional === null || shortNotional === null) return null;
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    return { longNotional: longNotional * h, shortNotional };
  }

  /** |size| × mark of one leg (0 when flat), null without a mark. Read on every book of an open pair. */
  private legNotional(pos: ReadonlyMap<string, Position>, symbol: string): number | null {
    const size = Math.abs(pos.get(symbol)?.size ?? 0);
    if (size === 0) return 0;
    const mark = this.o.market.mark(symbol);
    return mark === undefined ? null : size * mark;
  }

  /** Whether both legs have a mark (not yet, just after a restart). */
  marked(rt: RoundTrip): boolean {
    return this.o.market.mark(rt.longSymbol) !== undefined && this.o.market.mark(rt.shortSymbol) !== undefined;
  }

  /** Net delta of the pair's legs at marks (long notional − short notional), null without marks. */
  pairDelta(rt: RoundTrip): number | null {
    const legs = this.legNotionals(rt);
    return legs === null ? null : legs.longNotional - legs.shortNotional;
  }

  tolerance(rt: RoundTrip): number {
    return pairTolerance(rt.targetNotional, this.o.imbalanceTolerance, this.floor(rt));
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
