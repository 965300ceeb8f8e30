import type { MarketInterface } from 'ccxt';
import type { Instrument } from '../../src/core/types.js';

/** What ccxt's unified market lacks and the venue's raw info supplies. */
export interface MarginTerms {
  readonly maxLeverage: number;
  readonly initialMarginRatio: number;
  readonly maintenanceMarginRatio: number;
  readonly fundingIntervalMs: number;
}

/**
 * ccxt's unified market (TICK_SIZE precision mode: precision.price is the tick, precision.amount
 * the lot) → our Instrument. Sizes are in base units: a contract size other than 1 scales the lot.
 */
export function mapInstrument(venue: string, ourSymbol: string, m: MarketInterface, terms: MarginTerms): Instrument {
  const tick = m.precision.price;
  const lot = m.precision.amount;
  if (!(typeof tick === 'number' && tick > 0) || !(typeof lot === 'number' && lot > 0)) {
    throw new RangeError(`${venue} ${m.symbol}: market has no tick or lot size`);
  }
  const contractSize = typeof m.contractSize === 'number' && m.contractSize > 0 ? m.contractSize : 1;
  const lotBase = lot * contractSize;
  const minAmount = m.limits.amount?.min;
  const maxLev = m.limits.leverage?.max;
  return {
    venue,
    symbol: ourSymbol,
    baseAsset: m.base,
    quoteAsset: m.settle ?? m.quote,
    tickSize: tick,
    lotSize: lotBase,
    minSize: typeof minAmount === 'number' && minAmount > 0 ? minAmount * contractSize : lotBase,
    minNotional: m.limits.cost?.min ?? 0,
    maxLeverage: typeof maxLev === 'number' && maxLev > 0 ? maxLev : terms.maxLeverage,
    makerFeeRate: m.maker ?? 0,
    takerFeeRate: m.taker ?? 0,
    initialMarginRatio: typeof maxLev === 'number' && maxLev > 0 ? 1 / maxLev : terms.initialMarginRatio,
    maintenanceMarginRatio: terms.maintenanceMarginRatio,
    fundingIntervalMs: terms.fundingIntervalMs,
  };
}
