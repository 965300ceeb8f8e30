import type { HedgeCandidate } from '../../../src/hedging/hedge-plan.js';
import type { BookSides } from '../../../src/hedging/hedge-liquidity.js';

/** Instrument fields the hedging engine reads. */
export const ethInstrument = { lotSize: 0.01, minSize: 0.01, minNotional: 10, takerFeeRate: 0.0005 };
export const solInstrument = { lotSize: 0.1, minSize: 0.1, minNotional: 10, takerFeeRate: 0.0005 };

export function candidate(symbol: string, mark: number, instrument = symbol.startsWith('ETH') ? ethInstrument : solInstrument, extra: Partial<HedgeCandidate> = {}): HedgeCandidate {
  return { symbol, mark, instrument, ...extra };
}

/** A book with one level each side at ± `halfSpread` of `mid`, `size` deep. */
export function flatBook(mid: number, halfSpread: number, size: number): BookSides {
  return { bids: [{ price: mid - halfSpread, size }], asks: [{ price: mid + halfSpread, size }] };
}
