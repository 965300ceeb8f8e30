import { bestAsk, bestBid } from '../core/book-touch.js';
import type { Book, MarketEvent } from '../core/types.js';

export interface ClosedBar {
  readonly ts: number;
  readonly closes: ReadonlyMap<string, number>;
}

const MINUTE = 60_000;

/** What is known of one symbol; updated in place (a number field is rewritten, not reallocated). */
class SymbolView {
  book: Book | undefined = undefined;
  mark = 0;
  hasMark = false;
}

/**
 * Latest book and mark per symbol, and 1-minute bars of marks. A slow consumer always sees
 * the latest book (coalesced), never a backlog.
 */
export class MarketState {
  private readonly views = new Map<string, SymbolView>();
  /** Symbols in the order of their first mark: the order of marks and bar closes. */
  private readonly marked: SymbolView[] = [];
  private readonly markedSymbols: string[] = [];
  private currentBarTs: number | null = null;

  /** Applies a sound event; returns the bar that closed because of it, if any. */
  apply(ev: MarketEvent): ClosedBar | null {
    let closed: ClosedBar | null = null;
    const barTs = Math.floor(ev.ts / MINUTE) * MINUTE;
    if (this.currentBarTs !== null && barTs > this.currentBarTs && this.marked.length > 0) {
      // A bar's closes are the latest mark of every symbol marked so far.
      closed = { ts: this.currentBarTs, closes: this.allMarks() };
    }
    if (this.currentBarTs === null || barTs > this.currentBarTs) this.currentBarTs = barTs;
    if (ev.kind === 'book') {
      this.view(ev.book.symbol).book = ev.book;
    } else if (ev.kind === 'mark') {
      const v = this.view(ev.mark.symbol);
      v.mark = ev.mark.markPrice;
      if (!v.hasMark) {
        v.hasMark = true;
        this.marked.push(v);
        this.markedSymbols.push(ev.mark.symbol);
      }
    }
    return closed;
  }

  book(symbol: string): Book | undefined {
    return this.views.get(symbol)?.book;
  }

  /** Mark price, falling back to the book's mid. */
  mark(symbol: string): number | undefined {
    const v = this.views.get(symbol);
    if (v === undefined) return undefined;
    if (v.hasMark) return v.mark;
    const b = v.book;
    const bid = b && bestBid(b);
    const ask = b && bestAsk(b);
    return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
  }

  mid(symbol: string): number | undefined {
    const v = this.views.get(symbol);
    if (v === undefined) return undefined;
    const b = v.book;
    const bid = b && bestBid(b);
    const ask = b && bestAsk(b);
    return bid !== undefined && ask !== undefined ? (bid + ask) / 2 : v.hasMark ? v.mark : undefined;
  }

  /** The latest mark of every symbol marked so far, in the order of their first marks (a new map). */
  allMarks(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < this.marked.length; i++) out.set(this.markedSymbols[i]!, this.marked[i]!.mark);
    return out;
  }

  private view(symbol: string): SymbolView {
    let v = this.views.get(symbol);
    if (v === undefined) {
      v = new SymbolView();
      this.views.set(symbol, v);
    }
    return v;
  }
}
