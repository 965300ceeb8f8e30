import type { Book } from './types.js';

/**
 * A book that tells its best prices without building its level objects: the simulated market's
 * books build their levels on first read, and most are only ever read at the touch (mids, marks).
 * `bestBid` and `bestAsk` always equal `bids[0]?.price` and `asks[0]?.price`.
 */
export interface TouchBook extends Book {
  readonly bestBid: number | undefined;
  readonly bestAsk: number | undefined;
}

/** `book.bids[0]?.price`, without building the levels of a {@link TouchBook}. */
export function bestBid(book: Book): number | undefined {
  return 'bestBid' in book ? (book as TouchBook).bestBid : book.bids[0]?.price;
}

/** `book.asks[0]?.price`, without building the levels of a {@link TouchBook}. */
export function bestAsk(book: Book): number | undefined {
  return 'bestAsk' in book ? (book as TouchBook).bestAsk : book.asks[0]?.price;
}
