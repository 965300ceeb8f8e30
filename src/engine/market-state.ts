import { bestAsk, bestBid } from '../core/book-touch.js';
import type { Book, MarketEvent } from '../core/types.js';
import { emptyObjectList } from '../core/object-list.js';

export interface ClosedBar {
  readonly ts: number;
  readonly closes: ReadonlyMap<string, number>;
}

const MINUTE = 60_000;
/** Up to this many symbols, a view is found by comparing names in a list, faster than a map. */
const VIEW_SCAN = 8;

/** What is known of one symbol; updated in place (a number field is rewritten, not reallocated). */
class SymbolView {
  book: Book | undefined = undefined;
  mark = 0;
  hasMark = false;
  /**
   * The book whose two-sided mid {@link midValue} is (undefined: none yet). Books are immutable, so
   * a mid read again for the same book is this number, without reading its touch again.
   */
  midBook: Book | undefined = undefined;
  midValue = 0;

  constructor(readonly symbol: string) {}
}

/**
 * Latest book and mark per symbol, and 1-minute bars of marks. A slow consumer always sees
 * the latest book (coalesced), never a backlog.
 */
export class MarketState {
  private readonly views = new Map<string, SymbolView>();
  /** The first {@link VIEW_SCAN} views, in the order made: the bots ask for a mark or mid several times an event. */
  private readonly viewList: SymbolView[] = emptyObjectList();
  /** Symbols in the order of their first mark: the order of marks and bar closes. */
  private readonly marked: SymbolView[] = emptyObjectList();
  private readonly markedSymbols: string[] = emptyObjectList();
  private currentBarTs: number | null = null;
  /**
   * Below this time an event is within the current bar (or before it) and cannot start one:
   * `currentBarTs + MINUTE - 1`, or -∞ before the first event. One comparison an event instead of
   * working out the event's minute (a division and a floor); see {@link barEdge}.
   */
  private barCheckFrom = Number.NEGATIVE_INFINITY;

  /**
   * Whether a print (a trade event) at this time would change nothing here: it names no book or
   * mark, and before {@link barCheckFrom} it cannot start a bar. The runtime may pass it over.
   */
  ignoresPrint(ev: MarketEvent): boolean {
    return ev.ts < this.barCheckFrom;
  }

  /** Applies a sound event; returns the bar that closed because of it, if any. */
  apply(ev: MarketEvent): ClosedBar | null {
    const closed = ev.ts >= this.barCheckFrom ? this.barEdge(ev.ts) : null;
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
    return this.find(symbol)?.book;
  }

  /** Mark price, falling back to the book's mid. */
  mark(symbol: string): number | undefined {
    const v = this.find(symbol);
    if (v === undefined) return undefined;
    if (v.hasMark) return v.mark;
    return bookMid(v);
  }

  mid(symbol: string): number | undefined {
    const v = this.find(symbol);
    if (v === undefined) return undefined;
    const m = bookMid(v);
    return m !== undefined ? m : v.hasMark ? v.mark : undefined;
  }

  /** The latest mark of every symbol marked so far, in the order of their first marks (a new map). */
  allMarks(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < this.marked.length; i++) out.set(this.markedSymbols[i]!, this.marked[i]!.mark);
    return out;
  }

  /**
   * The bar bookkeeping of an event at `ts` at or past {@link barCheckFrom}. An earlier event
   * needs none: with the current bar's start `c` (a whole number of minutes), `ts ≤ c + MINUTE - 1`
   * puts `ts / MINUTE` below `c / MINUTE + 1` by at least `1 / MINUTE`, more than the division's
   * rounding for any time below 2^53 ms, so its minute is at most `c` and nothing changes. The 1 ms
   * margin is what keeps this so for fractional times (property-tested against the formula).
   */
  private barEdge(ts: number): ClosedBar | null {
    let closed: ClosedBar | null = null;
    const barTs = Math.floor(ts / MINUTE) * MINUTE;
    if (this.currentBarTs !== null && barTs > this.currentBarTs && this.marked.length > 0) {
      // A bar's closes are the latest mark of every symbol marked so far.
      closed = { ts: this.currentBarTs, closes: this.allMarks() };
    }
    if (this.currentBarTs === null || barTs > this.currentBarTs) {
      this.currentBarTs = barTs;
      this.barCheckFrom = barTs + MINUTE - 1;
    }
    return closed;
  }

  /** The view of `symbol`, if any event named it. */
  private find(symbol: string): SymbolView | undefined {
    const list = this.viewList;
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (v.symbol === symbol) return v;
    }
    return list.length < VIEW_SCAN ? undefined : this.views.get(symbol);
  }

  private view(symbol: string): SymbolView {
    let v = this.find(symbol);
    if (v === undefined) {
      v = new SymbolView(symbol);
      this.views.set(symbol, v);
      if (this.viewList.length < VIEW_SCAN) this.viewList.push(v);
    }
    return v;
  }
}

/** The mid of the view's book when it has both sides, else undefined; read once per book. */
function bookMid(v: SymbolView): number | undefined {
  const b = v.book;
  if (b === undefined) return undefined;
  if (b === v.midBook) return v.midValue;
  const bid = bestBid(b);
  const ask = bestAsk(b);
  if (bid === undefined || ask === undefined) return undefined;
  v.midBook = b;
  v.midValue = (bid + ask) / 2;
  return v.midValue;
}
