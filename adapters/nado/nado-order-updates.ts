/**
 * Nado's order updates and fills mapped onto our orders (pure: no I/O). A fill is recognised the
 * same way from the private stream and from the archive's matches, so a backfill never books a
 * match twice; an order update becomes our order state with the filled size taken from the fills.
 */
import type { Fill } from '../../src/core/types.js';
import type { VenueOrder, VenueOrderStatus } from '../../src/core/venue.js';
import type { NadoOrderRef } from './nado-order-map.js';
import type { NadoFillFrame, NadoOrderUpdateFrame } from './nado-parse.js';
import { absX18, fromX18 } from './x18.js';

type Obj = Record<string, unknown>;

/** A remaining amount below this is zero (x18 rounding). */
export const AMOUNT_EPS = 1e-12;

/**
 * A fill's trade id, the same from the stream and the archive so each match is booked once:
 * submission index, order digest (lower case) and the order's base filled after the match (x18).
 * One submission can match one order several times (a taker sweeping levels) under one index and
 * digest; the cumulative filled size tells those matches apart. Without it (a payload lacking
 * `original_qty` / `cumulative_base_filled`), only index and digest are left.
 */
export function nadoTradeId(submissionIdx: string, digest: string, cumulativeFilledX18: string | null): string {
  return cumulativeFilledX18 === null ? `${submissionIdx}:${digest}` : `${submissionIdx}:${digest}:${cumulativeFilledX18}`;
}

/**
 * The trade id and the id the same match had before the filled size was added (`index:digest`), so a
 * database written before then books no match twice: the store matches a fill to a stored one under
 * the old id when order, size and price agree (src/store/fill-repository.ts).
 */
function tradeIds(submissionIdx: string, digest: string, cumulativeFilledX18: string | null): { tradeId: string; legacyTradeId?: string } {
  const tradeId = nadoTradeId(submissionIdx, digest, cumulativeFilledX18);
  return cumulativeFilledX18 === null ? { tradeId } : { tradeId, legacyTradeId: nadoTradeId(submissionIdx, digest, null) };
}

/** The key of one archive match row (the archive's `idx` cursor is inclusive: rows already read are skipped by it). */
export function archiveRowKey(mt: Obj): string {
  const id = nadoTradeId(String(mt['submission_idx']), String(mt['digest']).toLowerCase(), absX18(mt['cumulative_base_filled']));
  return `${id}:${String(mt['base_filled'])}:${String(mt['quote_filled'])}`;
}

/** One `fill` frame of the private stream as our fill. */
export function streamFill(x: NadoFillFrame, ref: NadoOrderRef): Fill {
  const digest = x.digest.toLowerCase();
  return {
    ...tradeIds(x.submissionIdx, digest, x.cumulativeFilledX18), clientOrderId: ref.clientOrderId, venueOrderId: digest, symbol: ref.symbol,
    side: x.isBid ? 'buy' : 'sell', price: x.price, size: x.filledQty, fee: x.fee, liquidity: x.isTaker ? 'taker' : 'maker', ts: x.tsMs,
  };
}

/**
 * One archive match as our fill, or null when it is not ours (`ref` absent) or malformed. The match
 * carries no price and its `quote_filled` includes the fee (negative for buys): the execution price
 * is |(quote_filled + fee) / base_filled| (Nado's web app, calcOrderFillPrice), and the fee is
 * booked once, as the fill's fee.
 */
export function archiveFill(mt: Obj, tsMs: number, ref: NadoOrderRef | undefined): Fill | null {
  const digest = String(mt['digest']).toLowerCase(); // one spelling: trade ids dedupe stream and archive
  const base = fromX18(mt['base_filled']);
  const quote = fromX18(mt['quote_filled']);
  const fee = fromX18(mt['fee']) ?? 0;
  if (!ref || base === null || quote === null || base === 0 || tsMs <= 0) return null;
  const price = Math.abs((quote + fee) / base);
  if (!(price > 0) || !Number.isFinite(price)) return null;
  return {
    ...tradeIds(String(mt['submission_idx']), digest, absX18(mt['cumulative_base_filled'])), clientOrderId: ref.clientOrderId, venueOrderId: digest, symbol: ref.symbol,
    side: base > 0 ? 'buy' : 'sell', price, size: Math.abs(base), fee,
    liquidity: mt['is_taker'] === true ? 'taker' : 'maker', ts: tsMs,
  };
}

/**
 * One `order_update` frame as our order state. Nado sends reason "filled" on every match, `amount`
 * being the size still open: only `(0, "filled")` ends the order filled; `(0, "cancelled")` is a
 * cancel, whose amount says nothing of what filled. The filled size comes from the fills seen for
 * the order (`filledFromFills`: the fills are authoritative), never from `amount` alone.
 */
export function orderUpdate(x: NadoOrderUpdateFrame, ref: NadoOrderRef, filledFromFills: number): VenueOrder {
  const open = x.amount > AMOUNT_EPS;
  let status: VenueOrderStatus;
  let filledSize: number;
  if (x.reason === 'cancelled') {
    status = 'canceled';
    filledSize = filledFromFills;
  } else if (x.reason === 'filled' && !open) {
    status = 'filled';
    filledSize = ref.size;
  } else {
    // A match that left `amount` open, or a placement: the order still rests.
    filledSize = Math.max(filledFromFills, ref.size - x.amount);
    status = filledSize > AMOUNT_EPS ? 'partially_filled' : 'open';
  }
  return { clientOrderId: ref.clientOrderId, venueOrderId: x.digest.toLowerCase(), symbol: ref.symbol, status, filledSize, ts: x.tsMs };
}

/** An order a cancel-all answered with, as canceled: what filled is its size less `unfilled_amount`. */
export function cancelledOrder(o: Obj, ref: NadoOrderRef, now: number): VenueOrder {
  const unfilled = Math.abs(fromX18(o['unfilled_amount']) ?? ref.size);
  return { clientOrderId: ref.clientOrderId, venueOrderId: ref.digest, symbol: ref.symbol, status: 'canceled', filledSize: Math.max(0, ref.size - unfilled), ts: now };
}

/** An open order (`subaccount_orders` / `order` query) as our order: ours by digest, else `<foreignPrefix><digest>`. */
export function openOrder(o: Obj, symbol: string, ref: NadoOrderRef | undefined, foreignPrefix: string): VenueOrder {
  const digest = String(o['digest']);
  const amount = Math.abs(fromX18(o['amount']) ?? 0);
  const unfilled = Math.abs(fromX18(o['unfilled_amount']) ?? amount);
  const filledSize = Math.max(0, amount - unfilled);
  return {
    clientOrderId: ref?.clientOrderId ?? `${foreignPrefix}${digest}`, venueOrderId: digest, symbol: ref?.symbol ?? symbol,
    status: filledSize > 0 ? 'partially_filled' : 'open', filledSize, ts: Number(o['placed_at'] ?? 0) * 1000,
  };
}
