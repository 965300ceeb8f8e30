import { InputError } from '../core/errors.js';
import { requireFinite, requirePositive } from '../core/validation.js';

/**
 * One position of a cross-margin perp account as the liquidation monitor sees it: signed base size,
 * mark price (quote per base) and the instrument's maintenance margin ratio (fraction of notional).
 */
export interface MarginPosition {
  readonly symbol: string;
  /** Signed base size: positive long, negative short; 0 is allowed (a flat leg). */
  readonly size: number;
  /** Mark price, quote units, > 0. */
  readonly mark: number;
  /** Maintenance margin as a fraction of notional, in [0, 1) (0.05 = 5%). */
  readonly maintenanceMarginRatio: number;
}

/**
 * Checks a book of margin positions: finite sizes, marks > 0, MMR in [0, 1), unique symbols.
 * Returns the same array so it can be used inline.
 * @throws InputError (E_INPUT_INVALID) naming the first bad field.
 */
export function requireMarginPositions(positions: readonly MarginPosition[]): readonly MarginPosition[] {
  // Asked three times an assessment: a book that passes is recognised without building a set or a
  // field name; any other goes through the full check, which throws the same first error as ever.
  if (!validMarginPositions(positions)) checkEachMarginPosition(positions);
  return positions;
}

/** Small books are searched for duplicates pairwise; larger ones by a set, as the full check does. */
const PAIRWISE_MAX = 16;

/** True when the book passes every check of {@link checkEachMarginPosition} (false for a large one: that check decides). */
function validMarginPositions(positions: readonly MarginPosition[]): boolean {
  const n = positions.length;
  if (n > PAIRWISE_MAX) return false;
  for (let k = 0; k < n; k++) {
    const p = positions[k]!;
    const r = p.maintenanceMarginRatio;
    if (typeof p.symbol !== 'string' || p.symbol.length === 0) return false;
    if (!Number.isFinite(p.size) || !(Number.isFinite(p.mark) && p.mark > 0)) return false;
    if (!(Number.isFinite(r) && r >= 0 && r < 1)) return false;
    for (let j = 0; j < k; j++) if (positions[j]!.symbol === p.symbol) return false;
  }
  return true;
}

/**
 * The full check of {@link requireMarginPositions}: throws on the first bad field, position by
 * position. Exported for the property that holds the quick test to it.
 */
export function checkEachMarginPosition(positions: readonly MarginPosition[]): void {
  const seen = new Set<string>();
  positions.forEach((p, k) => {
    if (typeof p.symbol !== 'string' || p.symbol.length === 0) throw new InputError(`positions[${k}].symbol`, 'must be a non-empty string');
    if (seen.has(p.symbol)) throw new InputError(`positions[${k}].symbol`, `duplicate symbol ${p.symbol}`);
    seen.add(p.symbol);
    requireFinite(`positions[${k}].size`, p.size);
    requirePositive(`positions[${k}].mark`, p.mark);
    const r = p.maintenanceMarginRatio;
    // A ratio of 1 or more would demand more margin than the notional itself: a config error.
    if (!(Number.isFinite(r) && r >= 0 && r < 1)) {
      throw new InputError(`positions[${k}].maintenanceMarginRatio`, `must be in [0, 1), got ${String(r)}`);
    }
  });
}

/** Maintenance margin of one position at price `price`: |size| × price × MMR, quote units. */
export function positionMaintenanceMargin(p: MarginPosition, price: number = p.mark): number {
  return Math.abs(p.size) * price * p.maintenanceMarginRatio;
}

/**
 * Maintenance margin of the whole account at current marks: Σ |size| × mark × MMR, quote units.
 * @throws InputError (E_INPUT_INVALID) on a bad position (see {@link requireMarginPositions}).
 */
export function maintenanceMargin(positions: readonly MarginPosition[]): number {
  requireMarginPositions(positions);
  let mm = 0;
  for (const p of positions) mm += positionMaintenanceMargin(p);
  return mm;
}
