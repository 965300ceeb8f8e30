/**
 * Coinbase Advanced Trade market stream state (pure: no sockets, no clock).
 * level2 (`l2_data`): a snapshot, then absolute sizes per price level ("0" removes the level).
 * `sequence_num` counts every message on one connection, across channels: a jump is a gap,
 * after which no book can be trusted until the connection is replaced and fresh snapshots arrive.
 */
import type { Book, BookLevel, MarketEvent, Side, Trade } from '../../src/core/types.js';
import { scanL2Frame } from './coinbase-l2-frame.js';
import { arr, isoMs, nonNeg, obj, positive, str } from './coinbase-parse.js';

/**
 * One side of a book: its levels sorted best first, each level an immutable object (a change of
 * size replaces it). The bots' view of the top N is a slice kept until a change reaches the top N,
 * so a frame that moves only deeper levels, or only the other side, copies nothing.
 */
export class SortedLevels {
  private readonly levels: BookLevel[] = [];
  private view: readonly BookLevel[] | null = null;
  private viewDepth = 0;

  constructor(private readonly descending: boolean) {}

  /** Sets the absolute size at `price`; 0 removes the level. */
  set(price: number, size: number): void {
    const i = this.indexOf(price);
    const found = i < this.levels.length && this.levels[i]!.price === price;
    if (size === 0) {
      if (!found) return;
      this.levels.splice(i, 1);
    } else if (found) {
      if (this.levels[i]!.size === size) return;
      this.levels[i] = { price, size };
    } else {
      this.levels.splice(i, 0, { price, size });
    }
    if (i < this.viewDepth) this.view = null;
  }

  /** Binary search: the index of `price`, or where it belongs. */
  private indexOf(price: number): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = levels[mid]!.price;
      const before = this.descending ? p > price : p < price;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The best `n` levels. The array is shared with earlier calls until the top `n` changes: read it, never change it. */
  top(n: number): readonly BookLevel[] {
    if (this.view === null || this.viewDepth !== n) {
      this.view = this.levels.slice(0, n);
      this.viewDepth = n;
    }
    return this.view;
  }

  get length(): number {
    return this.levels.length;
  }

  clear(): void {
    this.levels.length = 0;
    this.view = null;
  }
}

export class L2Book {
  readonly bids = new SortedLevels(true);
  readonly asks = new SortedLevels(false);

  apply(side: 'bid' | 'ask', price: number, size: number): void {
    (side === 'bid' ? this.bids : this.asks).set(price, size);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  toBook(symbol: string, ts: number, seq: number, depth: number): Book {
    return { symbol, ts, seq, bids: this.bids.top(depth), asks: this.asks.top(depth) };
  }
}

export interface StreamStepResult {
  readonly events: MarketEvent[];
  /** A sequence gap: every book is now unsynced; the caller must replace the connection. */
  readonly gap: boolean;
  /** Malformed or unexpected messages dropped. */
  readonly dropped: number;
  /** Products whose book became sound (a snapshot) in this message. */
  readonly synced: string[];
  /** The message was a heartbeat (keeps the connection alive; not book activity). */
  readonly heartbeat: boolean;
  /** The message repeated one already applied (its sequence_num is not past the last): ignored. */
  readonly duplicate?: boolean;
  /** Why the books were unsynced, when `gap` (a sequence jump, or a book message that could not be applied in full). */
  readonly gapReason?: string;
  /** An error message from the venue (subscription refused, auth). */
  readonly error: string | null;
}

/** Maps Coinbase product ids to our symbols for the stream. */
export interface StreamSymbols {
  /** Our symbol and base units per contract (futures sizes are contracts on the wire); null: not ours. */
  symbolOf(productId: string): { readonly symbol: string; readonly contractSize: number } | null;
}

/**
 * The per-connection stream state. Feed it each parsed message with its local receive time.
 * Events are stamped with the receive time (the runtime's clock), never the venue's.
 */
export class CoinbaseStreamState {
  private lastSeq: number | null = null;
  private readonly books = new Map<string, L2Book>();
  private readonly synced = new Set<string>();

  constructor(
    private readonly symbols: StreamSymbols,
    private readonly depth = 20,
  ) {}

  /** Forget everything (a new connection starts its own sequence). */
  reset(): void {
    this.lastSeq = null;
    this.synced.clear();
    for (const b of this.books.values()) b.clear();
  }

  isSynced(productId: string): boolean {
    return this.synced.has(productId);
  }

  book(productId: string): L2Book | undefined {
    return this.books.get(productId);
  }

  /**
   * One frame as received (text). Level2 frames of the usual shape go from the text to the book
   * without a JSON tree ({@link scanL2Frame}); any other frame is parsed and handed to `step`.
   * Null: the text is not JSON at all.
   */
  stepFrame(text: string, receivedTs: number): StreamStepResult | null {
    const f = scanL2Frame(text, this.symbols);
    if (f === null) {
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        return null;
      }
      return this.step(msg, receivedTs);
    }
    const events: MarketEvent[] = [];
    const synced: string[] = [];
    const admitted = this.admit(f.seq);
    if (admitted === 'duplicate') return { events, gap: false, dropped: 0, synced, heartbeat: false, error: null, duplicate: true };
    if (admitted === 'gap') return this.unsync('sequence gap', events, synced);
    this.applyLevel2(f.events, f.seq, receivedTs, events, synced);
    return { events, gap: false, dropped: 0, synced, heartbeat: false, error: null };
  }

  /** Places a sequence number: the next one, one already applied, or past a gap (which is taken as the new last). */
  private admit(seq: number): 'next' | 'duplicate' | 'gap' {
    if (this.lastSeq !== null && seq <= this.lastSeq) return 'duplicate';
    const gap = this.lastSeq !== null && seq !== this.lastSeq + 1;
    this.lastSeq = seq;
    return gap ? 'gap' : 'next';
  }

  private unsync(reason: string, events: MarketEvent[], synced: string[]): StreamStepResult {
    this.synced.clear();
    for (const b of this.books.values()) b.clear();
    return { events, gap: true, dropped: 0, synced, heartbeat: false, error: null, gapReason: reason };
  }

  step(msg: unknown, receivedTs: number): StreamStepResult {
    const events: MarketEvent[] = [];
    const synced: string[] = [];
    const none = (dropped: number, error: string | null = null): StreamStepResult => ({ events, gap: false, dropped, synced, heartbeat: false, error });
    const unsync = (reason: string): StreamStepResult => this.unsync(reason, events, synced);
    if (typeof msg !== 'object' || msg === null) return none(1);
    const m = msg as Record<string, unknown>;
    if (m['type'] === 'error') return none(0, typeof m['message'] === 'string' ? m['message'] : 'error');
    const seq = m['sequence_num'];
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
      // A book message we cannot place in the sequence may have been the one that changed a level.
      return m['channel'] === 'l2_data' ? unsync('a level2 message without a sequence number') : none(1);
    }
    // Already applied (a repeated frame): ignored, the sequence and the books stand.
    const admitted = this.admit(seq);
    if (admitted === 'duplicate') return { ...none(0), duplicate: true };
    if (admitted === 'gap') return unsync('sequence gap');
    const channel = m['channel'];
    if (channel === 'heartbeats') return { ...none(0), heartbeat: true };
    if (channel === 'subscriptions') return none(0);
    if (channel === 'l2_data') {
      // Read in full before anything is applied: a message that cannot be applied whole would leave
      // the book silently wrong behind a sequence number already accepted.
      let parsed: ParsedL2Event[];
      try {
        parsed = parseL2Events(m, this.symbols);
      } catch (e) {
        return unsync(`a level2 message that could not be applied: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.applyLevel2(parsed, seq, receivedTs, events, synced);
      return { events, gap: false, dropped: 0, synced, heartbeat: false, error: null };
    }
    let dropped = 0;
    try {
      if (channel === 'market_trades') this.onTrades(m, receivedTs, events);
      else dropped++;
    } catch {
      dropped++;
    }
    return { events, gap: false, dropped, synced, heartbeat: false, error: null };
  }

  private applyLevel2(parsed: readonly ParsedL2Event[], seq: number, ts: number, out: MarketEvent[], synced: string[]): void {
    for (const e of parsed) {
      let book = this.books.get(e.productId);
      if (!book) {
        book = new L2Book();
        this.books.set(e.productId, book);
      }
      if (e.snapshot) {
        book.clear();
        this.synced.add(e.productId);
        synced.push(e.productId);
      } else if (!this.synced.has(e.productId)) {
        continue; // updates before the snapshot cannot be applied
      }
      for (const u of e.updates) book.apply(u.side, u.price, u.size * e.contractSize);
      out.push({ kind: 'book', ts, book: book.toBook(e.symbol, ts, seq, this.depth) });
    }
  }

  private onTrades(m: Record<string, unknown>, ts: number, out: MarketEvent[]): void {
    for (const ev of arr(m['events'], 'trade events')) {
      const e = obj(ev, 'trade event');
      if (e['type'] === 'snapshot') continue; // history, not news
      const trades = arr(e['trades'] ?? [], 'trades');
      // Coinbase sends trades newest first.
      for (let i = trades.length - 1; i >= 0; i--) {
        const t = parseTrade(trades[i], this.symbols, ts);
        if (t) out.push({ kind: 'trade', ts, trade: t });
      }
    }
  }
}

export interface ParsedL2Event {
  readonly productId: string;
  readonly symbol: string;
  readonly contractSize: number;
  readonly snapshot: boolean;
  readonly updates: readonly LevelUpdate[];
}

/**
 * Every event of an `l2_data` message on our products, fully parsed (events of other products
 * are skipped). @throws on any malformed part: the message must not be applied at all.
 */
function parseL2Events(m: Record<string, unknown>, symbols: StreamSymbols): ParsedL2Event[] {
  const out: ParsedL2Event[] = [];
  for (const ev of arr(m['events'], 'l2 events')) {
    const e = obj(ev, 'l2 event');
    const productId = str(e['product_id'], 'l2 product_id');
    const mapped = symbols.symbolOf(productId);
    if (mapped === null) continue;
    const type = str(e['type'], 'l2 type');
    if (type !== 'snapshot' && type !== 'update') throw new RangeError(`bad l2 type ${type}`);
    out.push({ productId, symbol: mapped.symbol, contractSize: mapped.contractSize, snapshot: type === 'snapshot', updates: arr(e['updates'] ?? [], 'l2 updates').map(parseLevel) });
  }
  return out;
}

export interface LevelUpdate {
  readonly side: 'bid' | 'ask';
  readonly price: number;
  readonly size: number;
}

/** `{ side: 'bid'|'offer', price_level, new_quantity }` → a level update (size 0 removes). */
export function parseLevel(raw: unknown): LevelUpdate {
  const u = obj(raw, 'l2 update');
  const s = str(u['side'], 'l2 side');
  if (s !== 'bid' && s !== 'offer' && s !== 'ask') throw new RangeError(`bad l2 side ${s}`);
  return { side: s === 'bid' ? 'bid' : 'ask', price: positive(u['price_level'], 'price_level'), size: nonNeg(u['new_quantity'], 'new_quantity') };
}

function parseTrade(raw: unknown, symbols: StreamSymbols, ts: number): Trade | null {
  const t = obj(raw, 'trade');
  const mapped = symbols.symbolOf(str(t['product_id'], 'trade product_id'));
  if (mapped === null) return null;
  const side = str(t['side'], 'trade side');
  const aggressor: Side = side === 'BUY' ? 'buy' : 'sell';
  if (t['time'] !== undefined) isoMs(t['time'], 'trade time'); // validated; we stamp receive time
  const size = positive(t['size'], 'trade size') * mapped.contractSize;
  return { symbol: mapped.symbol, ts, price: positive(t['price'], 'trade price'), size, aggressor, tradeId: str(t['trade_id'], 'trade_id') };
}
