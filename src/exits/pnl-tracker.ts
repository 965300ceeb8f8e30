import { requireFinite } from '../core/validation.js';
import { InputError } from '../core/errors.js';

/**
 * Round-trip PnL statistics for the exit brain and the health endpoint (seed 004's
 * `adaptive_leverage_status`: `avg_pnl_last_20`, `win_rate`, `total_trades`).
 *
 * Unit: each PnL is the round trip's result as a fraction of one leg's entry notional
 * (+0.0045 = +0.45%), the unit of the exit levels (ruling 5), so the PnL adjustment's
 * thresholds (0, +30%) compare like with like.
 */
export interface PnlStats {
  /** Mean of the window; null with no trades. */
  readonly avgPnlLastN: number | null;
  /** Share of the window's trades with PnL > 0 (breakeven is not a win); null with no trades. */
  readonly winRate: number | null;
  /** Round trips ever recorded, including those before a restart. */
  readonly totalTrades: number;
  /** Round trips held in the window (≤ window size). */
  readonly entries: number;
}

/** Mean and win rate of a list of round-trip PnLs. Pure. */
export function summarizePnls(pnls: readonly number[]): Pick<PnlStats, 'avgPnlLastN' | 'winRate'> {
  if (pnls.length === 0) return { avgPnlLastN: null, winRate: null };
  let sum = 0;
  let wins = 0;
  for (const p of pnls) {
    sum += p;
    if (p > 0) wins += 1;
  }
  return { avgPnlLastN: sum / pnls.length, winRate: wins / pnls.length };
}

export interface PnlTrackerOptions {
  /** Round trips kept (config `exits.pnlWindow`, seed: 20). */
  readonly windowSize: number;
  /** PnLs from before a restart, oldest first; only the last `windowSize` are kept. */
  readonly history?: readonly number[];
  /** Lifetime count before a restart; defaults to `history.length`. */
  readonly totalTrades?: number;
}

/**
 * Keeps the last N round-trip PnLs. Seedable from storage on restart; holds no clock and does no
 * I/O (persisting each trade is the caller's job).
 *
 * @throws InputError `E_INPUT_INVALID` on a non-integer window, a non-finite PnL, or a lifetime
 *   count smaller than the history.
 */
export class PnlTracker {
  readonly windowSize: number;
  #window: number[];
  #total: number;

  constructor(options: PnlTrackerOptions) {
    if (!Number.isInteger(options.windowSize) || options.windowSize < 1) {
      throw new InputError('windowSize', `must be an integer ≥ 1, got ${options.windowSize}`);
    }
    this.windowSize = options.windowSize;
    const history = options.history ?? [];
    history.forEach((p, i) => requireFinite(`history[${i}]`, p));
    const total = options.totalTrades ?? history.length;
    if (!Number.isInteger(total) || total < history.length) {
      throw new InputError('totalTrades', `must be an integer ≥ history length ${history.length}, got ${total}`);
    }
    this.#window = history.slice(-this.windowSize);
    this.#total = total;
  }

  /** Records one closed round trip. */
  record(pnl: number): void {
    requireFinite('pnl', pnl);
    this.#window.push(pnl);
    if (this.#window.length > this.windowSize) this.#window.shift();
    this.#total += 1;
  }

  /** The window, oldest first (a copy: what to persist for the next restart). */
  recent(): readonly number[] {
    return [...this.#window];
  }

  /** The input `avgPnlLast20` of `computeExitLevels`; null with no trades. */
  avgPnl(): number | null {
    return summarizePnls(this.#window).avgPnlLastN;
  }

  stats(): PnlStats {
    // One literal rather than `{ ...summarizePnls(...), totalTrades, entries }`: the same keys in
    // the same order, without V8's spread clone (see OrderManager.submit).
    const { avgPnlLastN, winRate } = summarizePnls(this.#window);
    return { avgPnlLastN, winRate, totalTrades: this.#total, entries: this.#window.length };
  }
}
