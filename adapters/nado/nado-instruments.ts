import type { MarginTerms } from '../ccxt-common/instrument-mapper.js';
import { fromX18 } from './x18.js';

const HOUR = 3_600_000;

/**
 * Nado's risk weights (x18): a long's initial weight w means margin (1 − w) of notional, so the
 * leverage cap is 1 / (1 − w). Perps fund hourly. Absent weights fall back to 10x / 5 %.
 */
export function nadoMarginTerms(info: Record<string, unknown> | undefined): MarginTerms {
  const wi = fromX18(info?.['long_weight_initial_x18']);
  const wm = fromX18(info?.['long_weight_maintenance_x18']);
  const imr = wi !== null && wi > 0 && wi < 1 ? 1 - wi : 0.1;
  const mmr = wm !== null && wm > 0 && wm < 1 ? 1 - wm : imr / 2;
  return { maxLeverage: Math.round((1 / imr) * 1e6) / 1e6, initialMarginRatio: imr, maintenanceMarginRatio: mmr, fundingIntervalMs: HOUR };
}

/** Nado's entry-tier fee rates (docs.nado.xyz, fees): taker 3.5 bp, maker 1 bp. */
export const NADO_ENTRY_FEES = { taker: 0.00035, maker: 0.0001 } as const;

/**
 * The market's fee rates as ccxt read them (`taker_fee_rate_x18`, `maker_fee_rate_x18`), or the
 * entry tier's where the market carries none (a missing rate must never model trading as free).
 */
export function nadoFeeRates(market: { readonly maker?: number | undefined; readonly taker?: number | undefined }): { makerFeeRate: number; takerFeeRate: number } {
  const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  return { makerFeeRate: ok(market.maker) ? market.maker : NADO_ENTRY_FEES.maker, takerFeeRate: ok(market.taker) ? market.taker : NADO_ENTRY_FEES.taker };
}
