import type { BookLevel, Instrument } from '../../../src/core/types.js';
import type { LegSizingInput, PairSizingInput } from '../../../src/sizing/sizing-pipeline.js';

export function instrument(symbol: string, over: Partial<Instrument> = {}): Instrument {
  return {
    venue: 'sim',
    symbol,
    baseAsset: symbol.split('-')[0] ?? symbol,
    quoteAsset: 'USD',
    tickSize: 0.01,
    lotSize: 0.001,
    minSize: 0.001,
    minNotional: 10,
    maxLeverage: 20,
    makerFeeRate: 0.0001,
    takerFeeRate: 0.0005,
    initialMarginRatio: 0.05,
    maintenanceMarginRatio: 0.03,
    fundingIntervalMs: 3_600_000,
    ...over,
  };
}

/** A deep book: `levels` levels one tick apart from `touch`, each `size` large. */
export function deepLevels(touch: number, tick: number, size: number, levels = 5, dir: 1 | -1 = 1): BookLevel[] {
  return Array.from({ length: levels }, (_, k) => ({ price: touch + dir * k * tick, size }));
}

export function leg(symbol: string, price: number, over: Partial<LegSizingInput> = {}, inst: Partial<Instrument> = {}): LegSizingInput {
  return {
    instrument: instrument(symbol, inst),
    price,
    takeLevels: deepLevels(price, price * 0.0001, 1e6),
    existingNotional: 0,
    ...over,
  };
}

/** Seed 003's account: $2,000 collateral, 10×, safety 0.8, 10 bps max slippage, ETH/SOL legs. */
export function pairInput(over: Partial<PairSizingInput> = {}): PairSizingInput {
  return {
    baseNotional: 500,
    collateral: 2000,
    maxLeverage: 10,
    safetyFactor: 0.8,
    maxSlippageBps: 10,
    long: leg('ETH-PERP', 3000),
    short: leg('SOL-PERP', 150, {}, { lotSize: 0.01, minSize: 0.01 }),
    ...over,
  };
}
