import type { MarketState } from './market-state.js';

/**
 * Whether both legs of a pair have a mid, for a bot that checks it on every book of its legs.
 * Once a symbol has had a mark, MarketState's mid of it is never undefined again (it falls back to
 * the mark when the book has no touch; property-tested in settled-mid.test.ts), so after both legs'
 * first marks the answer is true without reading either mid: two reads less on each book of an
 * open pair, whose exits do not use the mids (~64k books a simulated day).
 */
export class LegMarks {
  /** Bit 1: leg A has had a mark; bit 2: leg B. */
  private marked = 0;

  constructor(
    private readonly market: MarketState,
    private readonly a: string,
    private readonly b: string,
  ) {}

  /** A mark the market has applied (every mark event the bot sees). */
  onMark(symbol: string): void {
    if (this.marked !== 3) this.marked |= symbol === this.a ? 1 : symbol === this.b ? 2 : 0;
  }

  /** `market.mid(a) !== undefined && market.mid(b) !== undefined`, read only until both legs had a mark. */
  bothMids(): boolean {
    return this.marked === 3 || (this.market.mid(this.a) !== undefined && this.market.mid(this.b) !== undefined);
  }
}
