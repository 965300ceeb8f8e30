import type { FillRecord, RoundTripRecord } from './execution-records.js';

/** Filled notional, quote units. Pure. */
export function filledNotional(fills: readonly FillRecord[]): number {
  return fills.reduce((a, f) => a + f.price * f.size, 0);
}

/** Fees paid (negative = net rebates). Pure. */
export function feesPaid(fills: readonly FillRecord[]): number {
  return fills.reduce((a, f) => a + f.fee, 0);
}

/**
 * The headline: net PnL per unit of volume, bps = net PnL ÷ filled notional × 1e4. What a dollar
 * of volume costs (negative) or earns. Null without volume. Pure.
 */
export function netBpsPerVolume(netPnl: number, volume: number): number | null {
  return volume > 0 && Number.isFinite(netPnl) ? (netPnl / volume) * 1e4 : null;
}

/** Share of round trips with PnL ≥ 0 (net of fees); null without any. Pure. */
export function nonNegativeRoundTripShare(roundTrips: readonly RoundTripRecord[]): number | null {
  return roundTrips.length > 0 ? roundTrips.filter((r) => r.pnl >= 0).length / roundTrips.length : null;
}
