import { ConfigError } from '../../src/core/errors.js';
import type { Instrument } from '../../src/core/types.js';
import { BASE_SCALE, PRICE_SCALE } from './drift-parse.js';

/** MARGIN_PRECISION: margin ratios are stored × 1e4 (1000 = 10%). */
const MARGIN_SCALE = 1e4;
const HOUR_MS = 3_600_000;

/** The fields of a perp market account (and the state's fee tier) an Instrument is built from. */
export interface PerpMarketSpec {
  readonly marketIndex: number;
  /** Drift's market name, e.g. SOL-PERP. */
  readonly name: string;
  /** Price 1e6. */
  readonly orderTickSize: number;
  /** Base 1e9. */
  readonly orderStepSize: number;
  readonly minOrderSize: number;
  /** × 1e4. */
  readonly marginRatioInitial: number;
  readonly marginRatioMaintenance: number;
  readonly quoteSpotMarketIndex: number;
  /** Market status as the SDK names it (active, reduceOnly, settlement, ...). */
  readonly status: string;
  /** Fee tier 0 of the state's perp fee structure. */
  readonly fee: {
    readonly feeNumerator: number;
    readonly feeDenominator: number;
    readonly makerRebateNumerator: number;
    readonly makerRebateDenominator: number;
  };
  /** Per-market fee adjustment in percent (fees × (100 + adj) / 100). */
  readonly feeAdjustment: number;
}

/**
 * One perp market as our Instrument: tick, step and minimum from the account, max leverage from the
 * initial margin ratio, fees from tier 0 (our account's real tier depends on its 30-day volume and
 * stake; tier 0 is the most expensive, so sizing stays conservative).
 * @throws ConfigError when the market does not settle in the configured spot market or is unusable.
 */
export function instrumentFromPerpMarket(symbol: string, m: PerpMarketSpec, settlementMarketIndex: number, settlementSymbol: string): Instrument {
  if (m.quoteSpotMarketIndex !== settlementMarketIndex) {
    throw new ConfigError('drift.settlementMarketIndex', `${m.name} settles in spot market ${m.quoteSpotMarketIndex}, not ${settlementMarketIndex}`);
  }
  if (!(m.orderTickSize > 0 && m.orderStepSize > 0 && m.marginRatioInitial > 0 && m.marginRatioMaintenance > 0)) {
    throw new ConfigError('drift.markets', `${m.name} (perp ${m.marketIndex}) has no usable tick, step or margin ratios`);
  }
  const adj = (100 + m.feeAdjustment) / 100;
  const taker = m.fee.feeDenominator > 0 ? (m.fee.feeNumerator / m.fee.feeDenominator) * adj : 0;
  const rebate = m.fee.makerRebateDenominator > 0 ? (m.fee.makerRebateNumerator / m.fee.makerRebateDenominator) * adj : 0;
  const base = m.name.replace(/-PERP$/, '');
  return {
    venue: 'drift',
    symbol,
    baseAsset: base,
    quoteAsset: settlementSymbol,
    tickSize: m.orderTickSize / PRICE_SCALE,
    lotSize: m.orderStepSize / BASE_SCALE,
    minSize: Math.max(m.minOrderSize, m.orderStepSize) / BASE_SCALE,
    minNotional: 0,
    maxLeverage: MARGIN_SCALE / m.marginRatioInitial,
    makerFeeRate: -rebate,
    takerFeeRate: taker,
    initialMarginRatio: m.marginRatioInitial / MARGIN_SCALE,
    maintenanceMarginRatio: m.marginRatioMaintenance / MARGIN_SCALE,
    fundingIntervalMs: HOUR_MS,
  };
}
