import type { BookLevel } from '../../src/core/types.js';

/** Drift's fixed-point precisions: prices and quote 1e6, base 1e9. */
export const PRICE_SCALE = 1e6;
export const BASE_SCALE = 1e9;

/** One DLOB L2 document (GET /l2, or the `data` of a websocket orderbook message), in our units. */
export interface DlobL2 {
  readonly marketIndex: number;
  readonly marketName: string;
  /** Server timestamp (ms). */
  readonly ts: number;
  /** Solana slot the book was built at: the sequence of the stream (never decreases while sound). */
  readonly slot: number;
  /**
   * Best first, as the server sent them: the grouped publisher keeps crossed levels (a bid at or
   * above the best ask) on purpose, so the two sides may overlap (see uncrossBook).
   */
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** Quote per base, or null when the document carries none. */
  readonly markPrice: number | null;
  readonly oraclePrice: number | null;
}

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function fixed(v: unknown, scale: number): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
  // Grouped books carry floats built by bucketing (e.g. 150012300.00000001): Drift's units are
  // integers, so snap to the unit before scaling.
  return Number.isFinite(n) ? Math.round(n) / scale : null;
}

function levels(raw: unknown, side: 'bids' | 'asks'): BookLevel[] | string {
  if (!Array.isArray(raw)) return `${side} is not an array`;
  const out: BookLevel[] = [];
  for (const l of raw as unknown[]) {
    if (typeof l !== 'object' || l === null) return `${side} level is not an object`;
    const rec = l as Record<string, unknown>;
    const price = fixed(rec['price'], PRICE_SCALE);
    const size = fixed(rec['size'], BASE_SCALE);
    if (price === null || !(price > 0)) return `${side} level has a bad price`;
    if (size === null || !(size > 0)) return `${side} level has a bad size`;
    out.push({ price, size });
  }
  // The server sends best first; sort defensively so a reordered payload cannot cross our book.
  out.sort((a, b) => (side === 'bids' ? b.price - a.price : a.price - b.price));
  return out;
}

/**
 * Parses a DLOB L2 document (prices 1e6, sizes 1e9, as decimal strings from `/l2` or numbers from
 * the grouped websocket channels; vAMM and DLOB liquidity already merged per level). Rejects NaN,
 * zero or negative levels; keeps crossed levels (the grouped publisher sends them on purpose).
 */
export function parseDlobL2(raw: unknown): ParseResult<DlobL2> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'not an object' };
  const r = raw as Record<string, unknown>;
  const marketIndex = r['marketIndex'];
  if (typeof marketIndex !== 'number' || !Number.isInteger(marketIndex) || marketIndex < 0) return { ok: false, reason: 'bad marketIndex' };
  if (r['marketType'] !== undefined && r['marketType'] !== 'perp') return { ok: false, reason: 'not a perp market' };
  const bids = levels(r['bids'], 'bids');
  if (typeof bids === 'string') return { ok: false, reason: bids };
  const asks = levels(r['asks'], 'asks');
  if (typeof asks === 'string') return { ok: false, reason: asks };
  const ts = fixed(r['ts'], 1);
  const slot = fixed(r['slot'], 1);
  if (ts === null || ts <= 0) return { ok: false, reason: 'bad ts' };
  if (slot === null || slot < 0) return { ok: false, reason: 'bad slot' };
  const oracleData = typeof r['oracleData'] === 'object' && r['oracleData'] !== null ? (r['oracleData'] as Record<string, unknown>) : null;
  const oracle = fixed(r['oracle'] ?? oracleData?.['price'], PRICE_SCALE);
  const mark = fixed(r['markPrice'], PRICE_SCALE);
  return {
    ok: true,
    value: {
      marketIndex,
      marketName: typeof r['marketName'] === 'string' ? r['marketName'] : `perp-${marketIndex}`,
      ts,
      slot,
      bids,
      asks,
      markPrice: mark !== null && mark > 0 ? mark : null,
      oraclePrice: oracle !== null && oracle > 0 ? oracle : null,
    },
  };
}

/** One public fill (a trade) in our units; the aggressor is the taker's side. */
export interface DriftTrade {
  readonly marketIndex: number;
  readonly fillRecordId: string;
  readonly price: number;
  readonly size: number;
  readonly aggressor: 'buy' | 'sell';
  /** Chain time (ms). */
  readonly ts: number;
}

/**
 * Fill records as the DLOB `trades` channel and the Data API serve them (UI units: decimal strings
 * or numbers, `ts` in seconds). Non-fill actions are skipped; a bad record is reported by `bad`.
 */
export function parseDriftTrades(raw: unknown): { trades: DriftTrade[]; bad: number } {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const trades: DriftTrade[] = [];
  let bad = 0;
  for (const r of list) {
    if (typeof r !== 'object' || r === null) {
      bad++;
      continue;
    }
    const x = r as Record<string, unknown>;
    if (x['action'] !== undefined && x['action'] !== 'fill') continue;
    const base = Number(x['baseAssetAmountFilled']);
    const quote = Number(x['quoteAssetAmountFilled']);
    const ts = Number(x['ts']);
    const idx = Number(x['marketIndex']);
    const dir = x['takerOrderDirection'];
    const id = x['fillRecordId'];
    if (!(base > 0 && quote > 0 && ts > 0 && Number.isInteger(idx) && idx >= 0) || (dir !== 'long' && dir !== 'short') || (typeof id !== 'string' && typeof id !== 'number')) {
      bad++;
      continue;
    }
    trades.push({ marketIndex: idx, fillRecordId: String(id), price: quote / base, size: base, aggressor: dir === 'long' ? 'buy' : 'sell', ts: ts * 1000 });
  }
  return { trades, bad };
}

/** A websocket frame from the DLOB server, classified. */
export type DlobWsMessage =
  | { readonly kind: 'book'; readonly channel: string; readonly l2: DlobL2 }
  | { readonly kind: 'trades'; readonly channel: string; readonly marketIndex: number; readonly trades: readonly DriftTrade[] }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'ignored'; readonly channel: string }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Book channels: `orderbook_perp_<i>_grouped_<g>` (the server's default since 2025-10), or the older `orderbook_perp_<i>`. */
const BOOK_CHANNEL = /^orderbook_perp_(\d+)(?:_grouped_\d+)?$/;

/**
 * Parses one websocket frame: `{ channel, data: '<JSON string>' }` where channel is a book channel
 * (`orderbook_perp_<i>_grouped_<g>`, or `orderbook_perp_<i>` from older servers) carrying an L2
 * document, or `trades_perp_<i>` carrying fill records. Indicative-quote books and other channels
 * are ignored.
 */
export function parseDlobWsFrame(text: string): DlobWsMessage {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof msg !== 'object' || msg === null) return { kind: 'malformed', reason: 'not an object' };
  const m = msg as Record<string, unknown>;
  const channel = m['channel'];
  if (channel === 'heartbeat') return { kind: 'heartbeat' };
  if (typeof channel !== 'string') {
    // Subscription acks and errors carry no channel; an error is worth a log line upstream.
    return m['error'] !== undefined ? { kind: 'malformed', reason: `server error: ${String(m['error'])}` } : { kind: 'ignored', channel: '' };
  }
  const trades = /^trades_perp_(\d+)$/.exec(channel);
  const book = BOOK_CHANNEL.exec(channel);
  if (!trades && !book) return { kind: 'ignored', channel };
  let data: unknown = m['data'];
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return { kind: 'malformed', reason: 'data is not JSON' };
    }
  }
  if (trades) {
    const marketIndex = Number(trades[1]);
    const t = parseDriftTrades(data);
    if (t.bad > 0) return { kind: 'malformed', reason: `${t.bad} bad trade record(s)` };
    if (t.trades.some((x) => x.marketIndex !== marketIndex)) return { kind: 'malformed', reason: 'channel and marketIndex disagree' };
    return { kind: 'trades', channel, marketIndex, trades: t.trades };
  }
  const l2 = parseDlobL2(data);
  if (!l2.ok) return { kind: 'malformed', reason: l2.reason };
  if (!book || Number(book[1]) !== l2.value.marketIndex) return { kind: 'malformed', reason: 'channel and marketIndex disagree' };
  return { kind: 'book', channel, l2: l2.value };
}

/** Data API candles (`/market/<symbol>/candles/1`): `{ success, records: [{ ts (s), fillOpen... }] }`. */
export function parseDriftCandles(raw: unknown): { ts: number; open: number; high: number; low: number; close: number; volume: number }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const recs = (raw as Record<string, unknown>)['records'];
  if (!Array.isArray(recs)) return [];
  const out: { ts: number; open: number; high: number; low: number; close: number; volume: number }[] = [];
  for (const r of recs as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const x = r as Record<string, unknown>;
    // Oracle prices are always present (a minute with no fill has fill prices of 0 or missing).
    const o = Number(x['oracleOpen']);
    const h = Number(x['oracleHigh']);
    const l = Number(x['oracleLow']);
    const c = Number(x['oracleClose']);
    const ts = Number(x['ts']);
    const v = Number(x['baseVolume'] ?? 0);
    if (![o, h, l, c, ts].every((n) => Number.isFinite(n) && n > 0)) continue;
    out.push({ ts: ts * 1000, open: o, high: h, low: l, close: c, volume: Number.isFinite(v) && v >= 0 ? v : 0 });
  }
  return out.sort((a, b) => a.ts - b.ts);
}
