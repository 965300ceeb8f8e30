import type { OrderPurpose, Side } from '../core/types.js';
import { sideSign } from './execution-records.js';
import type { OpeningPosition } from './neutrality.js';

/** A fill with what the breakdown needs: its order's purpose and the mids around it. */
export interface CostFill {
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Fee paid, quote units (negative = rebate). */
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly purpose: OrderPurpose;
  /** Mid prevailing at the fill; null when unknown (the fill price stands in: no spread). */
  readonly midAtFill: number | null;
  /** Mid 60 s after the fill; null when the run ended first (the end mark stands in). */
  readonly midAfter: number | null;
}

export interface CostInput {
  readonly fills: readonly CostFill[];
  /** Positions held when the range starts, valued at the start marks. */
  readonly opening?: readonly OpeningPosition[];
  /** Mark of each symbol at the end of the range (what equity values open positions at). */
  readonly endMark: (symbol: string) => number | undefined;
  /** Funding paid over the range (positive = paid), 0 when unknown. */
  readonly fundingPaidUsd: number;
}

/**
 * Where the money went, USD, positive = earned, negative = cost. The terms are disjoint and sum to
 * `netPnlUsd`, the change in equity over the range (cash of every fill, open positions at the end
 * mark, fees, funding):
 * - `feesMakerUsd`, `feesTakerUsd`: fees paid (rebates positive);
 * - `takerSpreadUsd`: what entry and exit takers paid against the mid at their fill;
 * - `makerSpreadUsd`: what entry and exit maker fills earned against the mid at their fill;
 * - `makerAdverseUsd`: the mid's move against those maker fills over the next 60 s (markouts);
 * - `hedgeUsd`: what hedges and legging repairs paid against the mid at their fill;
 * - `fundingUsd`: funding (received positive);
 * - `marketMoveUsd`: the rest of the mids' moves on the inventory (after 60 s for maker fills,
 *   from the fill for the others, and opening positions from the start): what holding the pair
 *   made or lost, unhedged legs included.
 */
export interface CostBreakdown {
  readonly feesMakerUsd: number;
  readonly feesTakerUsd: number;
  readonly takerSpreadUsd: number;
  readonly makerSpreadUsd: number;
  readonly makerAdverseUsd: number;
  readonly hedgeUsd: number;
  readonly fundingUsd: number;
  readonly marketMoveUsd: number;
  readonly netPnlUsd: number;
}

/** Computes the breakdown. Pure. */
export function computeCostBreakdown(i: CostInput): CostBreakdown {
  let feesMaker = 0;
  let feesTaker = 0;
  let takerSpread = 0;
  let makerSpread = 0;
  let makerAdverse = 0;
  let hedge = 0;
  let market = 0;
  const end = (symbol: string, fallback: number): number => i.endMark(symbol) ?? fallback;
  for (const f of i.fills) {
    const q = sideSign(f.side) * f.size;
    const m0 = f.midAtFill ?? f.price;
    const edge = q * (m0 - f.price);
    const mEnd = end(f.symbol, f.price);
    if (f.liquidity === 'maker') feesMaker -= f.fee;
    else feesTaker -= f.fee;
    if (f.purpose === 'hedge') {
      hedge += edge;
      market += q * (mEnd - m0);
    } else if (f.liquidity === 'taker') {
      takerSpread += edge;
      market += q * (mEnd - m0);
    } else {
      const mAfter = f.midAfter ?? mEnd;
      makerSpread += edge;
      makerAdverse += q * (mAfter - m0);
      market += q * (mEnd - mAfter);
    }
  }
  for (const p of i.opening ?? []) market += p.size * (end(p.symbol, p.price) - p.price);
  const funding = -i.fundingPaidUsd;
  const net = feesMaker + feesTaker + takerSpread + makerSpread + makerAdverse + hedge + funding + market;
  return {
    feesMakerUsd: feesMaker,
    feesTakerUsd: feesTaker,
    takerSpreadUsd: takerSpread,
    makerSpreadUsd: makerSpread,
    makerAdverseUsd: makerAdverse,
    hedgeUsd: hedge,
    fundingUsd: funding,
    marketMoveUsd: market,
    netPnlUsd: net,
  };
}
