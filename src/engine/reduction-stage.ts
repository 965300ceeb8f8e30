/** One leg of a reduction about to start, as its staging sees it. */
export interface StageLeg {
  /** Size held now, absolute, base units. */
  readonly held: number;
  /** Size the reduction moves on this leg, absolute. */
  readonly total: number;
  readonly mark: number;
  /** The hedge ratio for the long leg, 1 for the short: its notional counts at this weight. */
  readonly weight: number;
  /** True for the long leg: reducing it lowers the pair's net delta (reducing the short raises it). */
  readonly long: boolean;
}

/**
 * How much of each leg a reduction moves in its next stage, so that the pair's net delta never
 * strays from neutral by more than one slice, whatever its two legs' targets (base units, each at
 * most the leg's total). Pure.
 *
 * Moving both legs in step (each slice the same share of each leg's total) keeps the legs'
 * progress level, not the pair: when the two totals differ in dollars (a pair held a little off
 * and harvested in proportion, a cut, an operator's rebalance) the net delta between slices
 * drifts from where it started to where the targets leave it, and the first leg of the next slice
 * to fill adds a slice on top. The pair is instead moved neutral-first:
 * - the leg whose reduction brings the net delta towards zero moves alone first, by up to that
 *   delta (the head start, hedged like any lagging leg);
 * - then both legs by the same weighted notional, slice by slice, the pair level between slices;
 * - what the targets leave uneven on one leg (the tail) is the next stage, that leg alone, moving
 *   the net delta from zero to where the targets put it.
 * So the pair is never further off than it started, than its targets, or than one slice.
 */
export function reductionStage(legs: readonly [StageLeg, StageLeg]): [number, number] {
  const usd = legs.map((l) => l.total * l.mark * l.weight);
  const delta = legs.reduce((d, l) => d + (l.long ? 1 : -1) * l.held * l.mark * l.weight, 0);
  // The leg whose reduction takes the delta towards zero (either when level).
  const h = legs[0]!.long === delta >= 0 ? 0 : 1;
  const o = 1 - h;
  const head = Math.min(Math.abs(delta), usd[h]!);
  const level = Math.min(usd[h]! - head, usd[o]!);
  const stage = [0, 0];
  stage[h] = head + level;
  stage[o] = level;
  // A leg moved whole keeps its exact size (no float residue to become a tail).
  return [0, 1].map((k) => (stage[k]! >= usd[k]! * (1 - 1e-12) ? legs[k]!.total : stage[k]! / (legs[k]!.mark * legs[k]!.weight))) as [number, number];
}
