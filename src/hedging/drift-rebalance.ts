import type { Side } from '../core/types.js';

/** One leg of an open pair as the drift rebalancer sees it. */
export interface DriftLeg {
  /** Absolute position size, base units. */
  readonly size: number;
  readonly mark: number;
  readonly lotSize: number;
  readonly minSize: number;
  readonly minNotional: number;
}

export interface DriftInput {
  readonly long: DriftLeg;
  readonly short: DriftLeg;
  /** Short notional per long notional the pair is hedged to (1 = dollar-neutral). */
  readonly hedgeRatio: number;
  /** |net delta| above this share of the pair's gross notional is repaired. */
  readonly share: number;
  /** The gross notional the pair was opened for (both legs): below it the light leg is added to, else the heavy one trimmed. */
  readonly targetGrossUsd: number;
}

/** One post-only order that brings the legs back together. */
export interface DriftTrade {
  readonly leg: 'long' | 'short';
  readonly side: Side;
  readonly size: number;
  /** A trim of the heavy leg (reduce-only) rather than an addition to the light one. */
  readonly reduceOnly: boolean;
  /** Net delta before the trade (long − short, hedge-ratio weighted), USD. */
  readonly deltaUsd: number;
  /** The |net delta| it had to exceed, USD. */
  readonly thresholdUsd: number;
}

const sendable = (l: DriftLeg, size: number): boolean => size > 0 && size >= l.minSize && size * l.mark >= l.minNotional;
/** Nearest lot: the residual left is at most half a lot either way. */
const toLots = (size: number, lot: number): number => Math.round(size / lot) * lot;

/**
 * What an open pair needs when its legs' notionals have drifted apart (the two coins' prices
 * diverge while it is held, or it opened a little off): nothing while |Δ| ≤ `share` × gross;
 * else one order that takes |Δ| out. It adds to the light leg while the pair is below the gross it
 * was opened for, and trims the heavy leg (reduce-only) otherwise, so the pair neither shrinks
 * towards nothing nor grows past its size; when that leg cannot carry the trade (below the
 * minimum size or notional, or a trim larger than the leg), the other leg does it. Sizes are on
 * the lot grid, rounded to the nearest lot; a trim never exceeds the leg. Pure.
 */
export function planDriftRebalance(i: DriftInput): DriftTrade | null {
  const longUsd = i.long.size * i.long.mark * i.hedgeRatio;
  const shortUsd = i.short.size * i.short.mark;
  const gross = longUsd + shortUsd;
  const delta = longUsd - shortUsd;
  const thresholdUsd = i.share * gross;
  if (gross <= 0 || Math.abs(delta) <= thresholdUsd) return null;
  const heavy: 'long' | 'short' = delta > 0 ? 'long' : 'short';
  const light: 'long' | 'short' = heavy === 'long' ? 'short' : 'long';
  const add = (): DriftTrade | null => {
    const l = i[light];
    const size = toLots(Math.abs(delta) / (l.mark * (light === 'long' ? i.hedgeRatio : 1)), l.lotSize);
    return sendable(l, size) ? { leg: light, side: light === 'long' ? 'buy' : 'sell', size, reduceOnly: false, deltaUsd: delta, thresholdUsd } : null;
  };
  const trim = (): DriftTrade | null => {
    const l = i[heavy];
    const size = toLots(Math.abs(delta) / (l.mark * (heavy === 'long' ? i.hedgeRatio : 1)), l.lotSize);
    return sendable(l, size) && size < l.size ? { leg: heavy, side: heavy === 'long' ? 'sell' : 'buy', size, reduceOnly: true, deltaUsd: delta, thresholdUsd } : null;
  };
  return gross < i.targetGrossUsd ? (add() ?? trim()) : (trim() ?? add());
}
