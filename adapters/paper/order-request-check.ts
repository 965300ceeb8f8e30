/**
 * Stateless checks of an order request against its instrument, as the paper venue applies them
 * when the order arrives. Returns a stable reason string, never throws.
 */
import type { Instrument, OrderRequest } from '../../src/core/types.js';
import { isOnGrid } from '../../src/core/tick-rounding.js';
import { isPositiveFinite } from '../../src/core/validation.js';

/** Longest client order id the paper venue accepts. */
export const PAPER_MAX_CLIENT_ORDER_ID_LENGTH = 64;

/** Every reason the paper venue can reject an order with (`VenueRejectError.details.reason`). */
export type PaperRejectReason =
  | 'unknown_symbol'
  | 'invalid_client_order_id'
  | 'duplicate_client_order_id'
  | 'invalid_side'
  | 'invalid_order_type'
  | 'invalid_size'
  | 'size_not_on_lot_grid'
  | 'size_below_minimum'
  | 'price_missing'
  | 'invalid_price'
  | 'price_not_on_tick_grid'
  | 'notional_below_minimum'
  | 'post_only_market'
  | 'post_only_would_cross'
  | 'reduce_only_would_increase'
  | 'max_open_orders'
  | 'insufficient_margin';

/**
 * Validates `req` against `inst`. `refPrice` (mark or mid) values a market order without a
 * protective price for the min-notional check; when it is unknown that check is skipped.
 */
export function checkOrderRequest(
  req: OrderRequest,
  inst: Instrument | undefined,
  refPrice: number | undefined,
): PaperRejectReason | null {
  if (inst === undefined) return 'unknown_symbol';
  const id = req.clientOrderId;
  if (typeof id !== 'string' || id.length === 0 || id.length > PAPER_MAX_CLIENT_ORDER_ID_LENGTH) {
    return 'invalid_client_order_id';
  }
  if (req.side !== 'buy' && req.side !== 'sell') return 'invalid_side';
  if (req.type !== 'limit' && req.type !== 'market') return 'invalid_order_type';
  if (req.tif !== 'GTC' && req.tif !== 'IOC' && req.tif !== 'POST_ONLY') return 'invalid_order_type';
  if (!isPositiveFinite(req.size)) return 'invalid_size';
  if (!isOnGrid(req.size, inst.lotSize)) return 'size_not_on_lot_grid';
  if (req.size < inst.minSize * (1 - 1e-9)) return 'size_below_minimum';
  if (req.type === 'limit' && req.price === undefined) return 'price_missing';
  if (req.price !== undefined) {
    if (!isPositiveFinite(req.price)) return 'invalid_price';
    if (!isOnGrid(req.price, inst.tickSize)) return 'price_not_on_tick_grid';
  }
  if (req.type === 'market' && req.tif === 'POST_ONLY') return 'post_only_market';
  const px = req.price ?? refPrice;
  if (px !== undefined && req.size * px < inst.minNotional * (1 - 1e-9)) return 'notional_below_minimum';
  return null;
}
