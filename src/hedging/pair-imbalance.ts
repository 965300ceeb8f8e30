/**
 * Hedge imbalance of a pair: the difference between the two legs' notionals. A pair within
 * tolerance is delta-neutral enough; outside it, the smaller leg is completed or the larger unwound.
 * Pure.
 */
export interface PairLegs {
  /** Notional of the long leg (≥ 0) and of the short leg (≥ 0) at current marks. */
  readonly longNotional: number;
  readonly shortNotional: number;
}

export interface Imbalance {
  /** long − short: positive means the pair is net long. */
  readonly netDelta: number;
  readonly tolerance: number;
  readonly within: boolean;
  /** Which leg is the larger one. */
  readonly heavy: 'long' | 'short' | 'none';
}

export function pairTolerance(targetNotional: number, toleranceFraction: number, floorUsd: number): number {
  return Math.max(targetNotional * toleranceFraction, floorUsd);
}

export function pairImbalance(legs: PairLegs, tolerance: number): Imbalance {
  const netDelta = legs.longNotional - legs.shortNotional;
  return {
    netDelta,
    tolerance,
    within: Math.abs(netDelta) <= tolerance,
    heavy: netDelta > 0 ? 'long' : netDelta < 0 ? 'short' : 'none',
  };
}
