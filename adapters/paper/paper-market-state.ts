/**
 * What the paper engine knows of the market: the latest book, mark, funding rate and last trade
 * per symbol. The mark falls back to the book mid (then the one visible side, then the last trade)
 * until the first `mark` event.
 */
import { bestAsk, bestBid } from '../../src/core/book-touch.js';
import type { Book, MarkUpdate, Trade } from '../../src/core/types.js';

/**
 * What is known of one symbol; updated in place (a number field is rewritten, not reallocated).
 * The engine holds each symbol's view to skip the lookup by name on every event.
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
    if (trade.price > 0 && Number.isFinite(trade.price)) {
      this.lastTrade = trade.price;
      this.hasTrade = true;
    }
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

/** Latest market view per symbol, fed by `onMarketEvent`. */
export class PaperMarketState {
  private readonly views = new Map<string, SymbolView>();

  applyBook(book: Book): void {
    this.view(book.symbol).book = book;
  }

  applyTrade(trade: Trade): void {
    if (trade.price > 0 && Number.isFinite(trade.price)) this.view(trade.symbol).applyTrade(trade);
  }

  applyMark(mark: MarkUpdate): void {
    this.view(mark.symbol).applyMark(mark);
  }

  /** True once a `mark` event for `symbol` arrived: from then on its mark moves only with marks. */
  hasMark(symbol: string): boolean {
    return this.views.get(symbol)?.hasMark === true;
  }

  book(symbol: string): Book | undefined {
    return this.views.get(symbol)?.book;
  }

  /** Mark price, else book mid, else the one visible side, else last trade; undefined if none. */
  markPrice(symbol: string): number | undefined {
    return this.views.get(symbol)?.markPrice();
  }

  /** Latest funding rate per interval (0 before the first mark). */
  fundingRate(symbol: string): number {
    const v = this.views.get(symbol);
    return v !== undefined && v.hasRate ? v.rate : 0;
  }

  /** The view of `symbol`, made empty on first use; the same object for the whole run. */
  view(symbol: string): SymbolView {
    let v = this.views.get(symbol);
    if (v === undefined) {
      v = new SymbolView();
      this.views.set(symbol, v);
    }
    return v;
  }
}

/** Mid of the best bid and ask; the single best price when one side is empty; undefined if empty. */
export function bookMid(book: Book): number | undefined {
  const bid = bestBid(book);
  const ask = bestAsk(book);
  if (bid !== undefined && ask !== undefined) return (bid + ask) / 2;
  return bid ?? ask;
}
