import { unrealizedPnl } from '../core/position-math.js';
import type { Position } from '../core/types.js';

/** Net delta and gross notional, USD. */
export interface Exposure {
  net: number;
  gross: number;
}

/**
 * Adds the net delta and gross notional of `positions`, each at its mark (its entry price while it
 * has none), to `acc`. Pure; allocates nothing (the runtime sums every bot's on every mark).
 */
export function addExposure(positions: ReadonlyMap<string, Position>, mark: (symbol: string) => number | undefined, acc: Exposure): void {
  let net = 0;
  let gross = 0;
  for (const p of positions.values()) {
    const v = p.size * (mark(p.symbol) ?? p.entryPrice);
    net += v;
    gross += Math.abs(v);
  }
  acc.net += net;
  acc.gross += gross;
}

/** The gross notional alone, as {@link addExposure} sums it. Pure. */
export function grossExposure(positions: ReadonlyMap<string, Position>, mark: (symbol: string) => number | undefined): number {
  let gross = 0;
  for (const p of positions.values()) gross += Math.abs(p.size * (mark(p.symbol) ?? p.entryPrice));
  return gross;
}

/**
 * A pair's unrealised PnL over its target notional (0 without one): each leg at its mark, a leg
 * without a position or a mark counting nothing. The long leg is added first. Pure.
 */
export function pairReturn(positions: ReadonlyMap<string, Position>, mark: (symbol: string) => number | undefined, longSymbol: string, shortSymbol: string, targetNotional: number): number {
  const pnl = legPnl(positions, mark, longSymbol, 0);
  return targetNotional > 0 ? legPnl(positions, mark, shortSymbol, pnl) / targetNotional : 0;
}

function legPnl(positions: ReadonlyMap<string, Position>, mark: (symbol: string) => number | undefined, symbol: string, pnl: number): number {
  const p = positions.get(symbol);
  const m = mark(symbol);
  return p && m !== undefined ? pnl + unrealizedPnl(p, m) : pnl;
}
