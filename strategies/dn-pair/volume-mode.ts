import type { Book } from '../../src/core/types.js';
import type { DnPairConfig } from './dn-pair-config.js';

/** Why a volume-mode pair is closed. */
export type VolumeExitReason = 'volume_target' | 'volume_time_limit' | 'volume_stop';

/** Book spread in bps of the mid; undefined without both touches. Pure. */
export function bookSpreadBps(book: Pick<Book, 'bids' | 'asks'> | undefined): number | undefined {
  const bid = book?.bids[0]?.price;
  const ask = book?.asks[0]?.price;
  if (bid === undefined || ask === undefined || !(bid > 0) || !(ask > bid)) return undefined;
  return ((ask - bid) / ((ask + bid) / 2)) * 1e4;
}

export interface VolumeEntryInput {
  readonly now: number;
  /** Market time before which no new cycle starts (cadence). */
  readonly nextCycleTs: number;
  readonly spreadBpsA: number | undefined;
  readonly spreadBpsB: number | undefined;
  /** The spread model's z-score, null while warming up. */
  readonly z: number | null;
  /** The leg bought in the previous cycle, null before the first. */
  readonly lastLong: string | null;
  /** The volatility factor (1 = normal), null while unknown. */
  readonly volatilityFactor?: number | null;
}

/**
 * Volume mode's entry: a new cycle once the cadence allows and both books quote within the spread
 * target. Direction: long the leg the spread model calls cheap (z > 0 → A rich → short A, long B);
 * with no reading, the opposite of the previous cycle. Pure.
 */
export function decideVolumeEntry(c: DnPairConfig, i: VolumeEntryInput): { longSymbol: string; shortSymbol: string } | null {
  if (i.now < i.nextCycleTs) return null;
  const max = c.volume.maxBookSpreadBps;
  // Written as !(within) so an undefined or NaN spread never quotes.
  if (!(i.spreadBpsA !== undefined && i.spreadBpsA <= max && i.spreadBpsB !== undefined && i.spreadBpsB <= max)) return null;
  const quiet = c.volume.maxVolatilityFactor;
  if (quiet !== null && i.volatilityFactor !== undefined && i.volatilityFactor !== null && !(i.volatilityFactor <= quiet)) return null;
  let longA: boolean;
  if (i.z !== null && Number.isFinite(i.z) && i.z !== 0) longA = i.z < 0;
  else longA = i.lastLong !== c.legA;
  return longA ? { longSymbol: c.legA, shortSymbol: c.legB } : { longSymbol: c.legB, shortSymbol: c.legA };
}

/**
 * Volume mode's exit for an open pair: the stop first, then the small target, then the time limit.
 * `pnlFraction` is the pair's return on one leg's notional. Pure.
 */
export function decideVolumeExit(c: DnPairConfig, p: { openedTs: number; now: number; pnlFraction: number }): VolumeExitReason | null {
  const v = c.volume;
  if (p.pnlFraction <= -v.stopLossBps / 1e4) return 'volume_stop';
  if (p.pnlFraction >= v.takeProfitBps / 1e4) return 'volume_target';
  if (p.now - p.openedTs >= v.maxHoldMs) return 'volume_time_limit';
  return null;
}
