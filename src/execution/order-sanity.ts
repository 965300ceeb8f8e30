import { DnbotError, ErrorCodes } from '../core/errors.js';
import { isOnGrid } from '../core/tick-rounding.js';
import { isPositiveFinite } from '../core/validation.js';
import type { Instrument } from '../core/types.js';
import type { OrderIntent } from './order-manager.js';

/**
 * Refuses an order the venue could not take as asked: an unknown instrument, a size or price that
 * is not a positive finite number, off its lot or tick grid, or below the minimum size.
 * @throws E_RISK_SANITY naming the symbol, side, purpose and what is wrong.
 */
export function assertSaneIntent(intent: OrderIntent, instruments: ReadonlyMap<string, Instrument>): void {
  const inst = instruments.get(intent.symbol);
  const bad = (why: string): never => {
    throw new DnbotError(ErrorCodes.RISK_SANITY, `${intent.symbol} ${intent.side} ${intent.purpose}: ${why}`, { intent });
  };
  if (!inst) bad('unknown instrument');
  if (!isPositiveFinite(intent.size)) bad(`size must be > 0 and finite, got ${intent.size}`);
  if (!isOnGrid(intent.size, inst!.lotSize)) bad(`size ${intent.size} is not a multiple of lot ${inst!.lotSize}`);
  if (intent.size < inst!.minSize) bad(`size ${intent.size} is below the minimum ${inst!.minSize}`);
  if (intent.type === 'limit' || intent.price !== undefined) {
    if (!isPositiveFinite(intent.price)) bad(`price must be > 0 and finite, got ${String(intent.price)}`);
    if (!isOnGrid(intent.price!, inst!.tickSize)) bad(`price ${intent.price} is not a multiple of tick ${inst!.tickSize}`);
  }
}
