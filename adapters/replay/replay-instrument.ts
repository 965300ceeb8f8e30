import type { Instrument } from '../../src/core/types.js';
import type { InstrumentSettings, ReplayConfig } from './replay-config.js';
import { VENUE_FEES } from './venue-fees.js';

/** Venue name on every replayed instrument. */
export const REPLAY_VENUE = 'replay';

/** Nearest power of ten to a positive number (in log space): 0.02 → 0.01, 0.0004 → 0.001. */
export function nearestPowerOfTen(x: number): number {
  const e = Math.round(Math.log10(x));
  // 10 ** -3 is 0.0010000000000000002 in floats; parse the decimal form for a clean step.
  return Number(`1e${e}`);
}

/**
 * Terms for a symbol the config does not list, derived from a reference price
 * (see `fallbackInstrument` in the replay config).
 */
export function fallbackInstrumentSettings(config: ReplayConfig, referencePrice: number): InstrumentSettings {
  const { tickFractionOfPrice, lotNotional, ...terms } = config.fallbackInstrument;
  const tickSize = nearestPowerOfTen(referencePrice * tickFractionOfPrice);
  const lotSize = nearestPowerOfTen(lotNotional / referencePrice);
  return { ...terms, tickSize, lotSize, minSize: lotSize };
}

/**
 * The {@link Instrument} replayed for `symbol` (e.g. `ETH-PERP`, base `ETH`): its config entry,
 * or terms derived from `referencePrice` when it has none.
 */
export function replayInstrument(config: ReplayConfig, symbol: string, referencePrice: number): Instrument {
  const s = config.instruments[symbol] ?? fallbackInstrumentSettings(config, referencePrice);
  const baseAsset = symbol.replace(/-PERP$/, '');
  return {
    venue: REPLAY_VENUE,
    symbol,
    baseAsset,
    quoteAsset: config.quoteAsset,
    tickSize: s.tickSize,
    lotSize: s.lotSize,
    minSize: s.minSize,
    minNotional: s.minNotional,
    maxLeverage: s.maxLeverage,
    makerFeeRate: s.makerFeeRate ?? VENUE_FEES[config.fees].makerFeeRate,
    takerFeeRate: s.takerFeeRate ?? VENUE_FEES[config.fees].takerFeeRate,
    initialMarginRatio: s.initialMarginRatio,
    maintenanceMarginRatio: s.maintenanceMarginRatio,
    fundingIntervalMs: s.fundingIntervalMs,
  };
}
