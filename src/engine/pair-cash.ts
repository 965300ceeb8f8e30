import type { PairOrderFill } from '../store/order-repository.js';

/**
 * A closed pair's cash and fees from its orders' fills, in their order: each filled order adds
 * its notional when it sold and takes it away when it bought; fees are every order's. Pure.
 */
export function pairCashAndFees(orders: readonly PairOrderFill[]): { readonly cash: number; readonly fees: number } {
  let cash = 0;
  let fees = 0;
  for (const o of orders) {
    if (o.filledSize > 0 && o.avgFillPrice !== null) cash += (o.side === 'sell' ? 1 : -1) * o.filledSize * o.avgFillPrice;
    fees += o.feesPaid;
  }
  return { cash, fees };
}
