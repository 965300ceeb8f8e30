import { absDiffX18, fromX18, nsToMs } from './x18.js';

/** One `book_depth` frame: absolute sizes of changed levels ("0" deletes); timestamps in ns strings. */
export interface NadoBookFrame {
  readonly productId: number;
  readonly lastMaxTs: bigint;
  readonly maxTs: bigint;
  readonly tsMs: number;
  readonly bids: readonly (readonly [number, number])[];
  readonly asks: readonly (readonly [number, number])[];
}

export interface NadoTradeFrame {
  readonly productId: number;
  readonly tsMs: number;
  readonly price: number;
  readonly size: number;
  readonly takerBuys: boolean;
  readonly tsNs: string;
}

export interface NadoFillFrame {
  readonly productId: number;
  readonly tsMs: number;
  readonly digest: string;
  readonly filledQty: number;
  readonly remainingQty: number;
  readonly price: number;
  readonly isTaker: boolean;
  readonly isBid: boolean;
  readonly fee: number;
  readonly submissionIdx: string;
  /**
   * The order's base filled up to and including this match (x18 integer string, unsigned):
   * `|original_qty| − |remaining_qty|`. One submission can match one order several times (a
   * taker sweeping levels), all under one `submission_idx`; this tells those matches apart, and
   * equals the archive match's `cumulative_base_filled`. Null when `original_qty` is absent.
   */
  readonly cumulativeFilledX18: string | null;
  /** Our numeric client id, echoed (absent when the order carried none). */
  readonly clientId: number | null;
}

export interface NadoOrderUpdateFrame {
  readonly productId: number;
  readonly tsMs: number;
  readonly digest: string;
  readonly amount: number;
  /** 'filled' | 'cancelled' | 'placed' (Nado's reasons). */
  readonly reason: string;
  readonly clientId: number | null;
}

export type NadoFrame =
  | { readonly type: 'book_depth'; readonly frame: NadoBookFrame }
  | { readonly type: 'trade'; readonly frame: NadoTradeFrame }
  | { readonly type: 'fill'; readonly frame: NadoFillFrame }
  | { readonly type: 'order_update'; readonly frame: NadoOrderUpdateFrame }
  | { readonly type: 'control' }
  | { readonly type: 'ignored'; readonly what: string }
  /**
   * A `book_depth` frame that cannot be applied in full (a malformed level, a missing or
   * non-numeric timestamp): the book it belongs to (null: unknown, so every book) is no longer
   * known to be right and must be resynced, not merely missing one frame until the next one
   * shows the broken chain.
   */
  | { readonly type: 'book_broken'; readonly productId: number | null; readonly reason: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function levels(raw: unknown): (readonly [number, number])[] | null {
  if (!Array.isArray(raw)) return null;
  const out: [number, number][] = [];
  for (const l of raw) {
    if (!Array.isArray(l) || l.length < 2) return null;
    const p = fromX18(l[0]);
    const s = fromX18(l[1]);
    if (p === null || s === null || !Number.isFinite(p) || !Number.isFinite(s) || p <= 0 || s < 0) return null;
    out.push([p, s]);
  }
  return out;
}

function bigNs(raw: unknown): bigint | null {
  return typeof raw === 'string' && /^\d+$/.test(raw) ? BigInt(raw) : null;
}

function productId(m: Obj): number | null {
  const id = m['product_id'];
  const n = typeof id === 'string' ? Number(id) : id;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null;
}

function clientId(m: Obj): number | null {
  const id = m['id'];
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

/** The product id a text names, read without parsing it (a frame that is not valid JSON). */
const PRODUCT_ID_IN_TEXT = /"product_id"\s*:\s*"?(\d+)/;

/**
 * Parses one message of Nado's subscription stream. Returns null for a malformed message of a
 * known type other than a book (the caller drops, counts and logs it); 'book_broken' for a book
 * frame, or text that may have been one, that cannot be applied in full; 'control' for
 * subscription acks, pongs and errors' envelopes; 'ignored' for types we do not use.
 */
export function parseNadoFrame(text: string): NadoFrame | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    if (!text.includes('book_depth')) return null;
    const id = PRODUCT_ID_IN_TEXT.exec(text)?.[1];
    return { type: 'book_broken', productId: id === undefined ? null : Number(id), reason: 'a book frame that is not JSON' };
  }
  if (!isObj(m)) return null;
  const type = m['type'];
  if (typeof type !== 'string') return 'id' in m || 'result' in m || 'error' in m ? { type: 'control' } : null;
  const pid = productId(m);
  switch (type) {
    case 'book_depth': {
      const lastMaxTs = bigNs(m['last_max_timestamp']);
      const maxTs = bigNs(m['max_timestamp']);
      const bids = levels(m['bids']);
      const asks = levels(m['asks']);
      const tsMs = nsToMs(m['max_timestamp']);
      if (pid === null || lastMaxTs === null || maxTs === null || bids === null || asks === null || tsMs === null) {
        const what = pid === null ? 'product_id' : lastMaxTs === null ? 'last_max_timestamp' : maxTs === null || tsMs === null ? 'max_timestamp' : bids === null ? 'bids' : 'asks';
        return { type: 'book_broken', productId: pid, reason: `a book frame with a bad ${what}` };
      }
      return { type, frame: { productId: pid, lastMaxTs, maxTs, tsMs, bids, asks } };
    }
    case 'trade': {
      const price = fromX18(m['price']);
      const size = fromX18(m['taker_qty']);
      const tsMs = nsToMs(m['timestamp']);
      const takerBuys = m['is_taker_buyer'];
      if (pid === null || price === null || size === null || tsMs === null || typeof takerBuys !== 'boolean') return null;
      return { type, frame: { productId: pid, tsMs, price, size: Math.abs(size), takerBuys, tsNs: String(m['timestamp']) } };
    }
    case 'fill': {
      const tsMs = nsToMs(m['timestamp']);
      const filledQty = fromX18(m['filled_qty']);
      const remainingQty = fromX18(m['remaining_qty']);
      const price = fromX18(m['price']);
      const fee = fromX18(m['fee']);
      const digest = m['order_digest'];
      const idx = m['submission_idx'];
      if (pid === null || tsMs === null || filledQty === null || remainingQty === null || price === null || fee === null) return null;
      if (typeof digest !== 'string' || (typeof idx !== 'string' && typeof idx !== 'number')) return null;
      if (typeof m['is_taker'] !== 'boolean' || typeof m['is_bid'] !== 'boolean') return null;
      return {
        type,
        frame: {
          productId: pid, tsMs, digest, filledQty: Math.abs(filledQty), remainingQty: Math.abs(remainingQty), price,
          isTaker: m['is_taker'], isBid: m['is_bid'], fee, submissionIdx: String(idx),
          cumulativeFilledX18: absDiffX18(m['original_qty'], m['remaining_qty']), clientId: clientId(m),
        },
      };
    }
    case 'order_update': {
      const tsMs = nsToMs(m['timestamp']);
      const amount = fromX18(m['amount']);
      const digest = m['digest'];
      const reason = m['reason'];
      if (pid === null || tsMs === null || amount === null || typeof digest !== 'string' || typeof reason !== 'string') return null;
      return { type, frame: { productId: pid, tsMs, digest, amount: Math.abs(amount), reason, clientId: clientId(m) } };
    }
    default:
      return { type: 'ignored', what: type };
  }
}
