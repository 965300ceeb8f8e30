/**
 * What the paper engine knows of the market: the latest book, mark, funding rate and last trade
 * per symbol. The mark falls back to the book mid (then the one visible side, then the last trade)
 * until the first `mark` event.
 */
import type { Book, MarkUpdate, Trade } from '../../src/core/types.js';

/** Latest market view per symbol, fed by `onMarketEvent`. */
export class PaperMarketState {
  private readonly books = new Map<string, Book>();
  private readonly marks = new Map<string, number>();
  private readonly rates = new Map<string, number>();
  private readonly lastTrades = new Map<string, number>();

  applyBook(book: Book): void {
    this.books.set(book.symbol, book);
  }

  applyTrade(trade: Trade): void {
    if (trade.price > 0 && Number.isFinite(trade.price)) this.lastTrades.set(trade.symbol, trade.price);
  }

  applyMark(mark: MarkUpdate): void {
    if (mark.markPrice > 0 && Number.isFinite(mark.markPrice)) this.marks.set(mark.symbol, mark.markPrice);
    if (Number.isFinite(mark.fundingRate)) this.rates.set(mark.symbol, mark.fundingRate);
  }

  /** True once a `mark` event for `symbol` arrived: from then on its mark moves only with marks. */
  hasMark(symbol: string): boolean {
    return this.marks.has(symbol);
  }

  book(symbol: string): Book | undefined {
    return this.books.get(symbol);
  }

  /** Mark price, else book mid, else the one visible side, else last trade; undefined if none. */
  markPrice(symbol: string): number | undefined {
    const mark = this.marks.get(symbol);
    if (mark !== undefined) return mark;
    const book = this.books.get(symbol);
    const mid = book === undefined ? undefined : bookMid(book);
    return mid ?? this.lastTrades.get(symbol);
  }

  /** Latest funding rate per interval (0 before the first mark). */
  fundingRate(symbol: string): number {
    return this.rates.get(symbol) ?? 0;
  }
}

/** Mid of the best bid and ask; the single best price when one side is empty; undefined if empty. */
export function bookMid(book: Book): number | undefined {
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  if (bid !== undefined && ask !== undefined) return (bid + ask) / 2;
  return bid ?? ask;
}
