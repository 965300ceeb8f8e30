import type { Book, BookLevel } from '../../src/core/types.js';
import type { NadoBookFrame } from './nado-parse.js';

export interface BookSnapshot {
  /** Venue timestamp of the snapshot, ns. */
  readonly tsNs: bigint;
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

/** What applying a frame did. */
export type ApplyResult = 'applied' | 'buffered' | 'skipped' | 'gap';

/**
 * A book fed by chained deltas (Nado `book_depth`): seeded from a snapshot, each frame must name
 * the previous frame's end (`last_max_timestamp` = previous `max_timestamp`). The first frame after
 * the snapshot is checked too: frames wholly inside the snapshot are skipped, and the first one
 * past it must start at or before the snapshot's time, else frames were lost in between (a gap).
 * Frames arriving before the snapshot are buffered and replayed through the same checks.
 */
export class ChainedBook {
  private readonly bids = new SortedSide(true);
  private readonly asks = new SortedSide(false);
  private snapshotTs: bigint | null = null;
  private lastMaxTs: bigint | null = null;
  private pending: NadoBookFrame[] = [];
  seq = 0;

  get seeded(): boolean {
    return this.snapshotTs !== null;
  }

  /** Forgets everything (a gap or reconnect): frames buffer until the next snapshot. */
  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.snapshotTs = null;
    this.lastMaxTs = null;
    this.pending = [];
  }

  /** Seeds from a snapshot and replays buffered frames; 'gap' when they do not connect. */
  seed(s: BookSnapshot): 'applied' | 'gap' {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of s.bids) this.bids.set(p, q);
    for (const [p, q] of s.asks) this.asks.set(p, q);
    this.snapshotTs = s.tsNs;
    this.lastMaxTs = null;
    const buffered = this.pending;
    this.pending = [];
    for (const f of buffered) {
      if (this.apply(f) === 'gap') return 'gap';
    }
    this.seq++;
    return 'applied';
  }

  apply(f: NadoBookFrame): ApplyResult {
    if (this.snapshotTs === null) {
      this.pending.push(f);
      if (this.pending.length > 10_000) this.pending.shift();
      return 'buffered';
    }
    if (this.lastMaxTs === null) {
      if (f.maxTs <= this.snapshotTs) return 'skipped';
      if (f.lastMaxTs > this.snapshotTs) return 'gap';
    } else if (f.lastMaxTs !== this.lastMaxTs) {
      return f.maxTs <= this.lastMaxTs ? 'skipped' : 'gap';
    }
    for (const [p, q] of f.bids) this.bids.set(p, q);
    for (const [p, q] of f.asks) this.asks.set(p, q);
    this.lastMaxTs = f.maxTs;
    this.seq++;
    return 'applied';
  }

  /** The book as our type (best first), at most `depth` levels a side. */
  toBook(symbol: string, ts: number, depth: number): Book {
    return { symbol, ts, seq: this.seq, bids: this.bids.top(depth), asks: this.asks.top(depth) };
  }

  /** True when the best bid is below the best ask (or a side is empty). */
  sane(): boolean {
    const b = this.toBook('', 0, 1);
    const bb = b.bids[0];
    const ba = b.asks[0];
    return bb === undefined || ba === undefined || bb.price < ba.price;
  }
}

/** One side of the book as parallel arrays kept sorted best first (binary search; a size of 0 deletes). */
class SortedSide {
  private prices: number[] = [];
  private sizes: number[] = [];

  constructor(private readonly desc: boolean) {}

  clear(): void {
    this.prices = [];
    this.sizes = [];
  }

  set(price: number, size: number): void {
    const ps = this.prices;
    let lo = 0;
    let hi = ps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const better = this.desc ? ps[mid]! > price : ps[mid]! < price;
      if (better) lo = mid + 1;
      else hi = mid;
    }
    const found = lo < ps.length && ps[lo] === price;
    if (size > 0) {
      if (found) this.sizes[lo] = size;
      else {
        ps.splice(lo, 0, price);
        this.sizes.splice(lo, 0, size);
      }
    } else if (found) {
      ps.splice(lo, 1);
      this.sizes.splice(lo, 1);
    }
  }

  top(depth: number): BookLevel[] {
    const n = Math.min(depth, this.prices.length);
    const out: BookLevel[] = new Array<BookLevel>(n);
    for (let i = 0; i < n; i++) out[i] = { price: this.prices[i]!, size: this.sizes[i]! };
    return out;
  }
}
