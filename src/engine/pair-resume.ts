import type { Order, Position, Side, SizingStep } from '../core/types.js';
import type { RoundTrip } from '../store/round-trip-repository.js';

/** One leg of an entry rebuilt after a restart: where it started, how much it moves, its sizing. */
export interface ResumedLeg {
  readonly symbol: string;
  readonly side: Side;
  readonly total: number;
  /** Absolute position size before the entry's first fill. */
  readonly start: number;
  readonly trace: readonly SizingStep[];
}

/**
 * An entry cut by a restart, rebuilt from what SQLite holds, so slicing carries on where it
 * stopped instead of opening the pair at whatever size the restart found. Each leg's size comes
 * from its slice orders' sizing trace (the `slice` step's input is the whole leg), what it has
 * done from the fills of the pair's entry and hedge orders on it, and its start from the position
 * less that. Null when a leg never had a slice order (an unsliced entry), or when the pair's last
 * order is older than `maxAgeMs` (a long outage: the pair is settled as it stands). Pure.
 */
export function resumeEntry(rt: RoundTrip, orders: readonly Order[], positions: ReadonlyMap<string, Position>, now: number, maxAgeMs: number): ResumedLeg[] | null {
  const last = orders.reduce((m, o) => Math.max(m, o.updatedTs, o.createdTs), Number.NEGATIVE_INFINITY);
  if (!(now - last <= maxAgeMs)) return null;
  const legs: ResumedLeg[] = [];
  for (const [symbol, side] of [[rt.longSymbol, 'buy'], [rt.shortSymbol, 'sell']] as const) {
    const mine = orders.filter((o) => o.symbol === symbol && o.side === side && (o.purpose === 'entry' || o.purpose === 'hedge'));
    const sliced = mine.find((o) => o.purpose === 'entry' && o.sizingTrace.at(-1)?.step === 'slice');
    if (!sliced) return null;
    const done = mine.reduce((s, o) => s + o.filledSize, 0);
    const held = Math.abs(positions.get(symbol)?.size ?? 0);
    legs.push({ symbol, side, total: sliced.sizingTrace.at(-1)!.input, start: Math.max(0, held - done), trace: sliced.sizingTrace.slice(0, -1) });
  }
  return legs;
}

/**
 * Whether an exit cut by a restart had already crossed (an urgent exit, or one past its post-only
 * stage): if so it resumes crossing slice by slice, else post-only again. Crossing sends both
 * legs together, so it shows as taker exit orders on both legs created at one instant; a lone
 * taker order on one leg is a hedge of a post-only fill (volume mode hedges at once) and does not
 * mean the exit had given up resting.
 */
export function exitWasCrossing(orders: readonly Order[]): boolean {
  const legsAt = new Map<number, Set<string>>();
  for (const o of orders) {
    if (o.purpose !== 'exit' || o.tif === 'POST_ONLY') continue;
    const legs = legsAt.get(o.createdTs) ?? new Set<string>();
    legs.add(o.symbol);
    if (legs.size > 1) return true;
    legsAt.set(o.createdTs, legs);
  }
  return false;
}
