import { InputError } from '../../src/core/errors.js';
import { roundDown, roundPriceForSide } from '../../src/core/tick-rounding.js';
import type { Instrument, Side } from '../../src/core/types.js';
import { BASE_SCALE, PRICE_SCALE } from './drift-parse.js';

/**
 * A limit price at Drift precision (1e6), on the market's tick, never more aggressive than asked:
 * bids round down, asks up.
 */
export function driftPrice(price: number, side: Side, inst: Instrument): number {
  if (!(Number.isFinite(price) && price > 0)) throw new InputError('price', `must be > 0, got ${price}`);
  const p = Math.round(roundPriceForSide(price, inst.tickSize, side) * PRICE_SCALE);
  // A bid under one tick rounds down to nothing: a zero price is never sent.
  if (!(p > 0)) throw new InputError('price', `${price} is below one ${inst.symbol} tick (${inst.tickSize})`);
  return p;
}

/** A size at Drift precision (1e9), rounded down to the market's step. */
export function driftBase(size: number, inst: Instrument): number {
  if (!(Number.isFinite(size) && size > 0)) throw new InputError('size', `must be > 0, got ${size}`);
  return Math.round(roundDown(size, inst.lotSize) * BASE_SCALE);
}

export function fromDriftPrice(p: number): number {
  return p / PRICE_SCALE;
}

export function fromDriftBase(b: number): number {
  return b / BASE_SCALE;
}
