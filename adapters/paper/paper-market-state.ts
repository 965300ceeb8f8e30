/**
 * What the paper engine knows of one symbol's market: the latest book, mark, funding rate and last
 * trade. The mark falls back to the book mid (then the one visible side, then the last trade)
 * until the first `mark` event.
 */
import { bestAsk, bestBid } from '../../src/core/book-touch.js';
import type { Book, MarkUpdate, Trade } from '../../src/core/types.js';

/**
 * What is known of one symbol; updated in place (a number field is rewritten, not reallocated).
 * The engine's per-symbol slot is this view with what the engine adds of its own.
 */
export class SymbolView {
  book: Book | undefined = undefined;
  mark = 0;
  hasMark = false;
  rate = 0;
  hasRate = false;
  lastTrade = 0;
  hasTrade = false;

  /** Mark price, else book mid, else the one visible side, else last trade; undefined if none. */
  markPrice(): number | undefined {
    if (this.hasMark) return this.mark;
    const mid = this.book === undefined ? undefined : bookMid(this.book);
    return mid ?? (this.hasTrade ? this.lastTrade : undefined);
  }

  applyTrade(trade: Trade): void {
    // Half of all events are prints. The last one is read only as the mark's last fallback, and
    // once a mark event arrived the mark never falls back again (`hasMark` never reverts): from
    // then on a print is not kept, with markPrice() the same.
    if (this.hasMark) return;
    if (trade.price > 0 && Number.isFinite(trade.price)) {
      this.lastTrade = trade.price;
      this.hasTrade = true;
    }
  }

  /** Latest funding rate per interval (0 before the first mark). */
  fundingRate(): number {
    return this.hasRate ? this.rate : 0;
  }

  applyMark(mark: MarkUpdate): void {
    if (mark.markPrice > 0 && Number.isFinite(mark.markPrice)) {
      this.mark = mark.markPrice;
      this.hasMark = true;
    }
    if (Number.isFinite(mark.fundingRate)) {
      this.rate = mark.fundingRate;
      this.hasRate = true;
    }
  }
}

/** Mid of the best bid and ask; the single best price when one side is empty; undefined if empty. */
export function bookMid(book: Book): number | undefined {
  const bid = bestBid(book);
  const ask = bestAsk(book);
  if (bid !== undefined && ask !== undefined) return (bid + ask) / 2;
  return bid ?? ask;
}
