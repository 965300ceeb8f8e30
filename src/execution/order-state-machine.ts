import { DnbotError, ErrorCodes } from '../core/errors.js';
import type { OrderStatus } from '../core/types.js';

/**
 * The one table of legal order status changes. Anything not listed throws.
 * Staying in the same status is always a no-op (more fills on a partially filled order, a late
 * fill on a canceled one) and is not listed.
 *
 * Real-world edges that are in the table on purpose:
 * - a fill can arrive after the cancel ack: canceled → filled (it had filled before the cancel
 *   took effect), or only add filled size to the canceled order;
 * - a cancel can fail (the order was still there): cancel_pending → open | partially_filled;
 * - an ack can be lost: pending_submit/cancel_pending → unknown, then whatever lookup finds;
 * - a fill can arrive before the placement ack: pending_submit → partially_filled | filled;
 * - a fill on an order the venue had rejected is booked (rejected → partially_filled | filled).
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_submit: ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'unknown', 'cancel_pending'],
  open: ['partially_filled', 'filled', 'cancel_pending', 'canceled', 'expired', 'unknown'],
  partially_filled: ['filled', 'cancel_pending', 'canceled', 'expired', 'unknown'],
  cancel_pending: ['canceled', 'filled', 'expired', 'unknown', 'open', 'partially_filled'],
  unknown: ['open', 'partially_filled', 'filled', 'cancel_pending', 'canceled', 'rejected', 'expired'],
  filled: [],
  canceled: ['filled'],
  expired: ['filled'],
  // A venue that fills an order it rejected is wrong, but a lost fill is worse: book it.
  rejected: ['partially_filled', 'filled'],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ORDER_TRANSITIONS[from].includes(to);
}

/**
 * Returns `to` when the change is legal.
 * @throws E_ORDER_ILLEGAL_TRANSITION otherwise.
 */
export function transition(from: OrderStatus, to: OrderStatus, clientOrderId = ''): OrderStatus {
  if (!canTransition(from, to)) {
    throw new DnbotError(ErrorCodes.ORDER_ILLEGAL_TRANSITION, `order ${clientOrderId}: illegal transition ${from} → ${to}`, {
      from,
      to,
      clientOrderId,
    });
  }
  return to;
}
