import { requireFinite } from '../core/validation.js';
import { positionMaintenanceMargin, requireMarginPositions, type MarginPosition } from './liquidation-margin.js';

/** Inputs of {@link liquidationPrices}, quote units. */
export interface LiquidationPricesInput {
  /** Account equity including unrealised PnL at the current marks (any sign). */
  readonly equity: number;
  readonly positions: readonly MarginPosition[];
}

/**
 * Where one position liquidates the account, the other marks held fixed.
 * - `at_risk`: the account is above maintenance and `price` is the liquidation price.
 * - `breached`: equity is already at or below the maintenance margin; `distanceFraction` is 0 and
 *   `price` is the (non-adverse side) line where health would be restored, or null if none.
 * - `none`: no positive price liquidates the account by moving this leg alone (a flat leg, or a long
 *   whose equity covers its whole notional plus the other legs' margin, as in a fully funded hedge).
 */
export type LiquidationStatus = 'at_risk' | 'breached' | 'none';

export interface LiquidationPrice {
  readonly symbol: string;
  readonly status: LiquidationStatus;
  /** Price at which equity = maintenance margin, quote per base; null when no positive solution. */
  readonly price: number | null;
  /** Adverse move needed, |price − mark| ÷ mark (0 when breached); null for `none`. */
  readonly distanceFraction: number | null;
  /** Which way the mark must move to liquidate: longs down, shorts up; null for a flat leg. */
  readonly direction: 'down' | 'up' | null;
}

/**
 * Per-position liquidation prices of a cross-margin perp account, solved exactly.
 *
 * For position i (size q, mark m, MMR r), with every other mark fixed:
 *   equity(p) = E + q·(p − m)            MM(p) = MM_others + |q|·r·p
 * equity(p) = MM(p) ⇒ p·(q − |q|·r) = q·m + MM_others − E, so
 *   p* = (q·m + MM_others − E) / (q − |q|·r)
 * Long (q > 0): p* = (q·m + MM_others − E) / (q·(1 − r)), below the mark; none when ≤ 0.
 * Short (q < 0): p* = (|q|·m + E − MM_others) / (|q|·(1 + r)), above the mark; always > 0 while
 * the account is above maintenance.
 * Results are in input order. Pure.
 * @throws InputError (E_INPUT_INVALID) on a non-finite equity or a bad position (NaN size,
 * mark ≤ 0, MMR outside [0, 1), duplicate symbol).
 */
export function liquidationPrices(i: LiquidationPricesInput): LiquidationPrice[] {
  const equity = requireFinite('equity', i.equity);
  const positions = requireMarginPositions(i.positions);
  let total = 0;
  for (const p of positions) total += positionMaintenanceMargin(p);
  const breached = equity <= total;
  return positions.map((p) => {
    if (p.size === 0) return { symbol: p.symbol, status: 'none', price: null, distanceFraction: null, direction: null };
    const q = p.size;
    const others = total - positionMaintenanceMargin(p);
    const solved = (q * p.mark + others - equity) / (q - Math.abs(q) * p.maintenanceMarginRatio);
    const price = Number.isFinite(solved) && solved > 0 ? solved : null;
    const direction = q > 0 ? 'down' : 'up';
    if (breached) return { symbol: p.symbol, status: 'breached', price, distanceFraction: 0, direction };
    if (price === null) return { symbol: p.symbol, status: 'none', price: null, distanceFraction: null, direction };
    return { symbol: p.symbol, status: 'at_risk', price, distanceFraction: Math.abs(price - p.mark) / p.mark, direction };
  });
}
