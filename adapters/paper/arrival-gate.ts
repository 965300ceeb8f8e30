/**
 * Checks an order's arrival against the account and book state: reduce-only direction, post-only
 * crossing, the open order cap and initial margin. Pure: the engine passes in what it knows.
 */
import type { Instrument, OrderRequest } from '../../src/core/types.js';
import type { PaperRejectReason } from './order-request-check.js';

/** Engine state an arriving order is checked against. */
export interface ArrivalGateContext {
  /** Base size an order on this side could reduce the position by (0 = it would increase it). */
  readonly reducible: number;
  /** Best opposite price still offering unconsumed size (best ask for a buy), if any. */
  readonly oppositeTop: number | undefined;
  readonly restingCount: number;
  readonly maxOpenOrders: number;
  /** Initial margin of positions + open orders + this order, at mark. Called only when needed. */
  readonly initialMarginWithOrder: () => number;
  readonly equity: number;
}

/** First failing check, or null when the order may proceed. */
export function checkArrivalGate(
  req: OrderRequest,
  inst: Instrument,
  ctx: ArrivalGateContext,
): PaperRejectReason | null {
  if (req.reduceOnly && ctx.reducible <= 0) return 'reduce_only_would_increase';
  if (req.tif === 'POST_ONLY' && req.price !== undefined && ctx.oppositeTop !== undefined) {
    const tol = inst.tickSize * 1e-6;
    const crosses = req.side === 'buy' ? req.price >= ctx.oppositeTop - tol : req.price <= ctx.oppositeTop + tol;
    if (crosses) return 'post_only_would_cross';
  }
  const mayRest = req.type === 'limit' && req.tif !== 'IOC';
  if (mayRest && ctx.restingCount >= ctx.maxOpenOrders) return 'max_open_orders';
  if (!req.reduceOnly && ctx.initialMarginWithOrder() > ctx.equity) return 'insufficient_margin';
  return null;
}
