import { bestAsk, bestBid } from '../core/book-touch.js';
import type { Book, MarketEvent } from '../core/types.js';

export interface ClosedBar {
  readonly ts: number;
  readonly closes: ReadonlyMap<string, number>;
}

const MINUTE = 60_000;

/**
 * Latest book and mark per symbol, and 1-minute bars of marks. A slow consumer always sees
 * the latest book (coalesced), never a backlog.
 */
export class MarketState {
  private readonly books = new Map<string, Book>();
  private readonly marks = new Map<string, number>();
  private readonly funding = new Map<string, number>();
  private currentBarTs: number | null = null;
  private readonly barCloses = new Map<string, number>();

  /** Applies a sound event; returns the bar that closed because of it, if any. */
  apply(ev: MarketEvent): ClosedBar | null {
    let closed: ClosedBar | null = null;
    const barTs = Math.floor(ev.ts / MINUTE) * MINUTE;
    if (this.currentBarTs !== null && barTs > this.currentBarTs && this.barCloses.size > 0) {
      closed = { ts: this.currentBarTs, closes: new Map(this.barCloses) };
    }
    if (this.currentBarTs === null || barTs > this.currentBarTs) this.currentBarTs = barTs;
    if (ev.kind === 'book') {
      this.books.set(ev.book.symbol, ev.book);
    } else if (ev.kind === 'mark') {
      this.marks.set(ev.mark.symbol, ev.mark.markPrice);
      this.funding.set(ev.mark.symbol, ev.mark.fundingRate);
      this.barCloses.set(ev.mark.symbol, ev.mark.markPrice);
    }
    return closed;
  }

  book(symbol: string): Book | undefined {
    return this.books.get(symbol);
  }

  /** Mark price, falling back to the book's mid. */
  mark(symbol: string): number | undefined {
    const m = this.marks.get(symbol);
    if (m !== undefined) return m;
    const b = this.books.get(symbol);
    const bid = b && bestBid(b);
    const ask = b && bestAsk(b);
    return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
  }

  mid(symbol: string): number | undefined {
    const b = this.books.get(symbol);
    const bid = b && bestBid(b);
    const ask = b && bestAsk(b);
    return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : this.marks.get(symbol);
  }

  allMarks(): ReadonlyMap<string, number> {
    return this.marks;
  }
}
