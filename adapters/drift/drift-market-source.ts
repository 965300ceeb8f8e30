import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Candle, Instrument, MarketEvent } from '../../src/core/types.js';
import type { FeedHealth, LiveMarketSource } from '../../src/core/venue.js';
import { parseDlobL2, parseDlobWsFrame, parseDriftCandles, type DlobL2, type DriftTrade } from './drift-parse.js';
import { uncrossBook } from './drift-book.js';

export interface DriftMarketSourceOptions {
  readonly instruments: readonly Instrument[];
  /** Our symbol → perp market index. */
  readonly marketIndex: ReadonlyMap<string, number>;
  /** Perp market index → Drift's market name (the websocket subscribes by name); our symbol when absent. */
  readonly driftName?: ReadonlyMap<number, string>;
  readonly dlobHttp: string;
  readonly dlobWs: string;
  /** Data API base for warm-up candles; null skips warm-up. */
  readonly dataApi: string | null;
  readonly wall: Clock;
  readonly logger: Logger;
  readonly staleAfterMs: number;
  readonly reconnectDelayMs: number;
  readonly bookDepth: number;
  /** Bars of 1-minute history fetched on open. */
  readonly historyBars?: number;
  readonly fetch?: typeof fetch;
  /** Longest wait for an HTTP answer (wall ms); 10 s when absent. */
  readonly httpTimeoutMs?: number;
  /**
   * Called once per stale episode of a symbol (a drop, a silent socket, no book for staleAfterMs):
   * live mode cancels resting orders there, Drift having no dead-man switch.
   */
  readonly onStale?: (symbol: string, reason: string) => void;
}

interface SymbolState {
  readonly symbol: string;
  lastUpdateTs: number | null;
  lastSlot: number;
  /** Server `ts` of the last document applied: with its slot, what tells a repeated frame from a republish. */
  lastDocTs: number;
  /** Why the book is not known to be right (a book document that could not be applied), until the next one is; null when sound. */
  unsynced: string | null;
  lastMark: number | null;
  resyncing: boolean;
  resyncs: number;
  dropped: number;
  history: Candle[];
  /** Fill record ids already emitted (bounded): the trades channel may repeat after a reconnect. */
  seenTrades: Set<string>;
}

const SEEN_TRADES_MAX = 5_000;

const MAX_RECONNECT_MS = 30_000;
/** Longest wait for a DLOB or Data API answer by default (wall ms). */
const HTTP_TIMEOUT_MS = 10_000;

/**
 * Drift's public market data from the DLOB server: an `/l2` snapshot per market on open and after
 * every reconnect, then the websocket's `orderbook_perp_<index>_grouped_1` documents (full top-20
 * L2 books, slot stamped, crossed levels netted) and `trades_perp_<index>` fills (trades: the paper engine's trade-through fills). Oracle prices become mark events (Drift margins and liquidates on the oracle).
 * Events carry the local receive time; malformed frames are dropped, counted and logged, and a
 * book document that could not be applied leaves its book stale until the next one.
 */
export class DriftMarketSource implements LiveMarketSource {
  readonly live = true as const;
  readonly instruments: readonly Instrument[];
  startTs = 0;
  private readonly o: DriftMarketSourceOptions;
  private readonly bySymbol = new Map<string, SymbolState>();
  private readonly byIndex = new Map<number, string>();
  private readonly queue: MarketEvent[] = [];
  private readonly tops = new Map<string, { bid: number | null; ask: number | null }>();
  private waiter: (() => void) | null = null;
  private ws: WebSocket | null = null;
  private closed = false;
  private reconnectMs: number;
  private reconnectTimer: TimerHandle | null = null;
  private watchdog: TimerHandle | null = null;
  /** Symbols whose current stale episode was reported. */
  private readonly staleReported = new Set<string>();
  /** Wall ms of the last frame (heartbeats included) or connect on the current socket. */
  private lastFrameTs = 0;
  /** Wall ms the current socket was opened (a market's book is awaited from then on). */
  private connectedTs = 0;
  private readonly http: typeof fetch;

  constructor(o: DriftMarketSourceOptions) {
    this.o = o;
    this.instruments = o.instruments;
    this.reconnectMs = o.reconnectDelayMs;
    this.http = o.fetch ?? fetch;
    for (const i of o.instruments) {
      const idx = o.marketIndex.get(i.symbol);
      if (idx === undefined) continue;
      this.byIndex.set(idx, i.symbol);
      this.bySymbol.set(i.symbol, {
        symbol: i.symbol, lastUpdateTs: null, lastSlot: -1, lastDocTs: -1, unsynced: null, lastMark: null, resyncing: true, resyncs: 0, dropped: 0,
        history: [], seenTrades: new Set(),
      });
    }
  }

  /** Fetches history and snapshots, then connects the websocket. */
  async open(): Promise<void> {
    this.startTs = this.o.wall.now();
    await Promise.all([...this.bySymbol.values()].map((s) => this.loadHistory(s)));
    await this.snapshots();
    this.connect();
    this.armWatchdog();
  }

  history(symbol: string, bars: number): readonly Candle[] {
    const h = this.bySymbol.get(symbol)?.history ?? [];
    return h.slice(Math.max(0, h.length - bars));
  }

  async next(maxWaitMs: number): Promise<MarketEvent | 'idle' | null> {
    if (this.closed) return null;
    const ready = this.queue.shift();
    if (ready) return ready;
    await new Promise<void>((resolve) => {
      const timer = this.o.wall.setTimer(maxWaitMs, () => {
        this.waiter = null;
        resolve();
      });
      this.waiter = () => {
        this.o.wall.cancelTimer(timer);
        this.waiter = null;
        resolve();
      };
    });
    return this.queue.shift() ?? (this.closed ? null : 'idle');
  }

  /** Best bid and ask of the last book applied; null before the first one. */
  top(symbol: string): { readonly bid: number | null; readonly ask: number | null } | null {
    return this.tops.get(symbol) ?? null;
  }

  feedHealth(): readonly FeedHealth[] {
    const now = this.o.wall.now();
    return [...this.bySymbol.values()].map((s) => {
      const silent = s.lastUpdateTs === null || now - s.lastUpdateTs > this.o.staleAfterMs;
      const reason = s.resyncing
        ? 'resyncing after a reconnect'
        : s.unsynced !== null
          ? s.unsynced
          : silent
            ? s.lastUpdateTs === null ? 'no book yet' : `no book update for ${now - s.lastUpdateTs!} ms`
            : null;
      return { venue: 'drift', symbol: s.symbol, lastUpdateTs: s.lastUpdateTs, stale: s.resyncing || s.unsynced !== null || silent, reason, resyncs: s.resyncs, dropped: s.dropped };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    if (this.reconnectTimer) this.o.wall.cancelTimer(this.reconnectTimer);
    if (this.watchdog) this.o.wall.cancelTimer(this.watchdog);
    this.ws?.removeAllListeners();
    this.ws?.on('error', () => undefined);
    this.ws?.terminate();
    this.ws = null;
    this.waiter?.();
  }

  /** Applies one parsed L2 document: drops older slots, emits a book and, when it moved, a mark. */
  apply(l2: DlobL2): void {
    const symbol = this.byIndex.get(l2.marketIndex);
    const s = symbol === undefined ? undefined : this.bySymbol.get(symbol);
    if (!s || symbol === undefined) return;
    if (l2.slot < s.lastSlot) return; // an older book (another server replica); the newer one stands
    // The same document again (a repeated frame: same slot, same server time) changes nothing and
    // proves nothing new: ignored, no event. A republish within one slot carries a later `ts`.
    if (l2.slot === s.lastSlot && l2.ts === s.lastDocTs && s.unsynced === null && !s.resyncing) return;
    const ts = this.o.wall.now();
    s.lastSlot = l2.slot;
    s.lastDocTs = l2.ts;
    s.lastUpdateTs = ts;
    s.resyncing = false;
    s.unsynced = null;
    const depth = this.o.bookDepth;
    // Crossed levels (kept by the grouped publisher) are netted as a filler would match them.
    const book = uncrossBook(l2.bids, l2.asks);
    this.tops.set(symbol, { bid: book.bids[0]?.price ?? null, ask: book.asks[0]?.price ?? null });
    this.push({ kind: 'book', ts, book: { symbol, ts, seq: l2.slot, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) } });
    const mark = l2.oraclePrice ?? l2.markPrice;
    if (mark !== null && mark !== s.lastMark) {
      s.lastMark = mark;
      // The DLOB document carries no funding rate; funding is settled on the account, not modelled here.
      this.push({ kind: 'mark', ts, mark: { symbol, ts, markPrice: mark, fundingRate: 0 } });
    }
  }

  /** Emits public fills as trades (receive-time stamped), each fill record once. */
  applyTrades(trades: readonly DriftTrade[]): void {
    for (const t of trades) {
      const symbol = this.byIndex.get(t.marketIndex);
      const s = symbol === undefined ? undefined : this.bySymbol.get(symbol);
      if (!s || symbol === undefined || s.seenTrades.has(t.fillRecordId)) continue;
      s.seenTrades.add(t.fillRecordId);
      if (s.seenTrades.size > SEEN_TRADES_MAX) s.seenTrades.delete(s.seenTrades.values().next().value!);
      const ts = this.o.wall.now();
      this.push({ kind: 'trade', ts, trade: { symbol, ts, price: t.price, size: t.size, aggressor: t.aggressor, tradeId: `drift-${t.marketIndex}-${t.fillRecordId}` } });
    }
  }

  /** Handles one websocket frame (public for loopback-free tests). */
  onFrame(text: string): void {
    const m = parseDlobWsFrame(text);
    if (m.kind === 'book') this.apply(m.l2);
    else if (m.kind === 'trades') this.applyTrades(m.trades);
    else if (m.kind === 'malformed') this.drop(m.reason, text);
  }

  /**
   * A malformed frame: counted against the market it names when that can be told, else against
   * every market. A book document that could not be applied (a bad level, price, size or slot)
   * leaves that book not known to be right: it is marked stale (live mode cancels resting orders
   * there) until the next document, a full book, replaces it — never served as healthy meanwhile.
   */
  private drop(reason: string, text: string): void {
    const idx = /"channel"\s*:\s*"(?:orderbook|trades)_perp_(\d+)(?:_grouped_\d+)?"/.exec(text)?.[1];
    if (idx !== undefined && !this.byIndex.has(Number(idx))) return; // a market we do not stream
    const sym = idx === undefined ? undefined : this.byIndex.get(Number(idx));
    const targets = sym !== undefined ? [this.bySymbol.get(sym)!] : [...this.bySymbol.values()];
    for (const s of targets) s.dropped++;
    const book = text.includes('orderbook');
    if (book) for (const s of targets) s.unsynced = `a book document could not be applied (${reason}); waiting for the next`;
    this.o.logger.warn({ reason, bytes: text.length, symbols: book ? targets.map((s) => s.symbol) : undefined }, book ? 'drift dlob: book document could not be applied; book unsynced' : 'drift dlob: malformed message dropped');
    if (book) this.reportStale();
  }

  private push(ev: MarketEvent): void {
    this.queue.push(ev);
    this.waiter?.();
  }

  private async snapshots(): Promise<void> {
    await Promise.all(
      [...this.byIndex.keys()].map(async (idx) => {
        const url = `${this.o.dlobHttp}/l2?marketIndex=${idx}&marketType=perp&depth=${this.o.bookDepth}&includeVamm=true&includeOracle=true`;
        try {
          const parsed = parseDlobL2(await this.getJson(url));
          if (parsed.ok) this.apply(parsed.value);
          else this.drop(parsed.reason, `{"channel":"orderbook_perp_${idx}"}`);
        } catch (e) {
          this.o.logger.warn({ marketIndex: idx, err: (e as Error).message }, 'drift dlob: /l2 snapshot failed (the websocket will fill the book)');
        }
      }),
    );
  }

  /**
   * A JSON GET that gives up after httpTimeoutMs (headers and body): a request that hangs (a
   * dead connection) must not hold the reconnect, which waits for the snapshots, forever.
   * @throws Error on a non-2xx answer, a timeout or a body that is not JSON.
   */
  private async getJson(url: string): Promise<unknown> {
    const ac = new AbortController();
    const ms = this.o.httpTimeoutMs ?? HTTP_TIMEOUT_MS;
    const timer = this.o.wall.setTimer(ms, () => ac.abort(new Error(`no answer within ${ms} ms`)));
    try {
      const res = await this.http(url, { signal: ac.signal });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return await res.json();
    } finally {
      this.o.wall.cancelTimer(timer);
    }
  }

  private async loadHistory(s: SymbolState): Promise<void> {
    const bars = this.o.historyBars ?? 0;
    if (this.o.dataApi === null || bars <= 0) return;
    try {
      s.history = parseDriftCandles(await this.getJson(`${this.o.dataApi}/market/${encodeURIComponent(s.symbol)}/candles/1?limit=${Math.min(bars, 1000)}`));
    } catch (e) {
      this.o.logger.warn({ symbol: s.symbol, err: (e as Error).message }, 'drift data api: warm-up candles unavailable');
    }
  }

  /**
   * A socket silent (not even a heartbeat) for staleAfterMs is half-open: it is terminated, and
   * its close handler resyncs and reconnects. Checked every staleAfterMs / 4.
   */
  private armWatchdog(): void {
    this.watchdog = this.o.wall.setTimer(Math.max(20, Math.floor(this.o.staleAfterMs / 4)), () => {
      this.watchdog = null;
      if (this.closed) return;
      const now = this.o.wall.now();
      const silentMs = now - this.lastFrameTs;
      if (this.ws !== null && silentMs > this.o.staleAfterMs) {
        this.o.logger.warn({ silentMs }, 'drift dlob: websocket silent; replacing it');
        this.ws.terminate();
      } else if (this.ws !== null && now - this.connectedTs > this.o.staleAfterMs) {
        // Heartbeats and the other markets keep the socket alive, so the check above cannot see one
        // market whose book never came (a lost subscription) or stopped: resubscribe everything.
        const quiet = [...this.bySymbol.values()].find((s) => s.lastUpdateTs === null || now - Math.max(s.lastUpdateTs, this.connectedTs) > this.o.staleAfterMs);
        if (quiet !== undefined) {
          this.o.logger.warn({ symbol: quiet.symbol, quietMs: now - Math.max(quiet.lastUpdateTs ?? 0, this.connectedTs) }, 'drift dlob: no book for one market while the socket is alive; resubscribing');
          this.ws.terminate();
        }
      }
      this.reportStale();
      this.armWatchdog();
    });
  }

  /** Tells `onStale` about each symbol that turned stale since the last look. */
  private reportStale(): void {
    for (const h of this.feedHealth()) {
      if (!h.stale) {
        this.staleReported.delete(h.symbol);
        continue;
      }
      if (this.staleReported.has(h.symbol)) continue;
      this.staleReported.add(h.symbol);
      try {
        this.o.onStale?.(h.symbol, h.reason ?? 'stale');
      } catch (e) {
        this.o.logger.error({ symbol: h.symbol, err: (e as Error).message }, 'drift dlob: stale handler failed');
      }
    }
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.o.dlobWs);
    this.ws = ws;
    ws.on('open', () => {
      this.reconnectMs = this.o.reconnectDelayMs;
      for (const idx of this.byIndex.keys()) {
        const market = this.o.driftName?.get(idx) ?? this.byIndex.get(idx)!;
        // Book updates come on orderbook_perp_<i>_grouped_<g> (grouping 1 = one tick, the server's default).
        ws.send(JSON.stringify({ type: 'subscribe', marketType: 'perp', channel: 'orderbook', market, grouping: 1 }));
        ws.send(JSON.stringify({ type: 'subscribe', marketType: 'perp', channel: 'trades', market }));
      }
    });
    this.lastFrameTs = this.o.wall.now();
    this.connectedTs = this.lastFrameTs;
    ws.on('message', (data) => {
      if (this.ws !== ws) return;
      this.lastFrameTs = this.o.wall.now();
      this.onFrame(data.toString());
    });
    ws.on('error', (e) => this.o.logger.warn({ err: e.message }, 'drift dlob: websocket error'));
    ws.on('close', () => {
      if (this.closed || this.ws !== ws) return;
      this.ws = null;
      for (const s of this.bySymbol.values()) {
        s.resyncing = true;
        s.resyncs++;
        // After a reconnect the next document is the truth, whatever its slot (another replica).
        s.lastSlot = -1;
      }
      this.reportStale();
      const delay = this.reconnectMs;
      this.reconnectMs = Math.min(MAX_RECONNECT_MS, this.reconnectMs * 2);
      this.o.logger.warn({ delayMs: delay }, 'drift dlob: websocket closed; reconnecting');
      this.reconnectTimer = this.o.wall.setTimer(delay, () => {
        this.reconnectTimer = null;
        void this.snapshots().then(() => this.connect());
      });
    });
  }
}
