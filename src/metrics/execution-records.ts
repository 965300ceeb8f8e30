import type { Side } from '../core/types.js';

/**
 * Plain records the execution metrics are computed from. Loaded from SQLite by
 * `src/engine/execution-metrics-loader.ts`, or built by hand in tests.
 */

export interface FillRecord {
  readonly ts: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Fee paid in quote units (negative = rebate). */
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
}

export interface OrderRecord {
  readonly clientOrderId: string;
  readonly tif: 'GTC' | 'IOC' | 'POST_ONLY';
  readonly status: string;
  readonly createdTs: number;
  readonly size: number;
  readonly filledSize: number;
  /** Time of the order's first fill, null when it never filled. */
  readonly firstFillTs: number | null;
}

export interface RoundTripRecord {
  /** Close time (the round trip counts on this day). */
  readonly exitTs: number;
  /** PnL net of fees, quote units. */
  readonly pnl: number;
}

/** A fill with the mid prevailing at it and 1 s / 10 s / 60 s later (null when not observed). */
export interface MarkoutRecord {
  readonly ts: number;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly midAtFill: number | null;
  readonly mids: readonly [number | null, number | null, number | null];
}

/** +1 for a buy, −1 for a sell. */
export const sideSign = (side: Side): 1 | -1 => (side === 'buy' ? 1 : -1);
