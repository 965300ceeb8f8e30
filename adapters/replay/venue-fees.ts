/**
 * Published entry-tier perp fees of the venues dnbot trades, as fractions of notional (negative =
 * rebate), for replay (`replay.fees`). Each row says where it was read and when; the venues'
 * READMEs and the replay README carry the same table. An instrument entry's own
 * `makerFeeRate` / `takerFeeRate` still wins.
 */
export interface VenueFeeSchedule {
  readonly makerFeeRate: number;
  readonly takerFeeRate: number;
  /** Where the rates were read. */
  readonly source: string;
  /** When they were read (ISO date). */
  readonly asOf: string;
  /** True when the rates are the published schedule; false when we could not confirm it and kept a conservative value. */
  readonly confirmed: boolean;
}

export const VENUE_FEES = {
  /** Entry tier: maker 1 bp, taker 3.5 bp. */
  nado: { makerFeeRate: 0.0001, takerFeeRate: 0.00035, source: 'https://docs.nado.xyz (fees page), entry tier', asOf: '2026-12-06', confirmed: true },
  /**
   * Not confirmed from Coinbase's own pages: secondary sources give maker 2 bp and taker 4–7 bp
   * for the perpetual-style futures. Kept the conservative 4 bp maker / 7 bp taker (the highest
   * of each seen) until a trader reads their tier from `/brokerage/transaction_summary`.
   */
  coinbase: { makerFeeRate: 0.0004, takerFeeRate: 0.0007, source: 'unconfirmed (Coinbase help centre fee page not reachable); conservative', asOf: '2026-12-06', confirmed: false },
  /** Tier 0 (30-day volume ≤ $2M), no DRIFT staked ("Rookie"): taker 3.5 bp, maker rebate 0.25 bp. */
  drift: { makerFeeRate: -0.000025, takerFeeRate: 0.00035, source: 'https://docs.drift.trade/trading/trading-fees, perp tier 0 Rookie', asOf: '2026-12-06', confirmed: true },
} as const satisfies Record<string, VenueFeeSchedule>;

export type FeeVenue = keyof typeof VENUE_FEES;

export const FEE_VENUES = Object.keys(VENUE_FEES) as [FeeVenue, ...FeeVenue[]];
