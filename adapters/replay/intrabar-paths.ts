import { SeededRng } from '../../src/core/rng.js';
import type { Candle } from '../../src/core/types.js';
import { bridgePath, normalCdf, pointsPerCandle } from './bridge-path.js';
import { candlePath, highFirst, type PathPoint } from './candle-path.js';
import { CandleTable } from './candle-table.js';
import { closeLogReturns, trailingCorrelationOf } from './trailing-correlation.js';

/** How a candle becomes a path (`replay.intrabar`). */
export type IntrabarMode = 'bridge' | 'ohlc' | 'adverse';

/**
 * What the bot holds and has working in one symbol when a candle starts, for the `adverse` path:
 * `position` signed base size, `restingNet` resting buy size minus resting sell size.
 */
export interface SymbolExposure {
  readonly position: number;
  readonly restingNet: number;
}

/** Reads the bot's exposure in a symbol (the paper engine's); absent = flat. */
export type ExposureProbe = (symbol: string) => SymbolExposure | undefined;

/**
 * The `adverse` order of one candle's extremes: true = high first. The rule, per symbol, read
 * when the candle starts:
 * 1. holding a position: the extreme against it first (long → low first, short → high first),
 *    so a stop is reached before a take-profit and a hedge chases the move;
 * 2. flat with resting orders: the extreme away from them first (net bids → high first, net
 *    offers → low first), so the orders fill late, on the way to the extreme that hurts them,
 *    and the candle's adverse move follows the fill;
 * 3. flat and nothing resting: the `ohlc` convention (the move against the close first).
 */
export function adverseHighFirst(candle: Candle, exposure: SymbolExposure | undefined): boolean {
  if (exposure !== undefined && exposure.position !== 0) return exposure.position < 0;
  if (exposure !== undefined && exposure.restingNet !== 0) return exposure.restingNet > 0;
  return highFirst(candle);
}

export interface IntrabarPathsOptions {
  readonly mode: IntrabarMode;
  readonly symbols: readonly string[];
  /** `candles[s]` row `i`: aligned candle `i` of `symbols[s]` (objects or a table). */
  readonly candles: readonly (readonly Candle[] | CandleTable)[];
  readonly intervalMs: number;
  /** Points per candle for `ohlc`. */
  readonly stepsPerCandle: number;
  /** Points per minute for `bridge` and `adverse`. */
  readonly pointsPerMinute: number;
  /** Trailing returns the bridge's correlation is estimated over. */
  readonly correlationWindow: number;
  readonly seed: number;
  readonly tickSizes: readonly number[];
  readonly exposure?: ExposureProbe;
}

/** murmur3's 32-bit finaliser: spreads a (seed, minute) pair over the whole int range. */
function mix32(h0: number): number {
  let h = h0 | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Builds each aligned candle's path for every symbol. `bridge` draws are seeded per candle from
 * (seed, candle time), so a minute's path does not depend on where the replay started. Series
 * after the first are coupled to the first through a Gaussian copula with the trailing 1-minute
 * return correlation ρ (estimated causally, {@link trailingReturnCorrelation}): each of their
 * normals is ρ·(the first series' normal) + √(1 − ρ²)·(its own), and the order of extremes and
 * their positions are uniforms Φ(·) of such normals. Highly correlated coins thus tend to reach
 * their highs and lows at the same moments, as they do on the exchange.
 */
export class IntrabarPaths {
  private readonly o: IntrabarPathsOptions;
  readonly pointsPerCandle: number;
  /** Each series' 1-minute log returns, computed on first use (the bridge's correlation window). */
  private returns: Float64Array[] | null = null;
  private readonly tables: readonly CandleTable[];

  constructor(options: IntrabarPathsOptions) {
    this.o = options;
    this.tables = options.candles.map((c) => (c instanceof CandleTable ? c : CandleTable.of(c)));
    this.pointsPerCandle = options.mode === 'ohlc' ? options.stepsPerCandle : pointsPerCandle(options.pointsPerMinute, options.intervalMs);
  }

  /** Paths of candle `index`, one per symbol in the given order. */
  pathsAt(index: number): PathPoint[][] {
    const { mode, symbols, intervalMs, tickSizes } = this.o;
    const tables = this.tables;
    const steps = this.pointsPerCandle;
    if (mode === 'ohlc') {
      return symbols.map((_, s) => candlePath(tables[s]!.candle(index)!, { steps, intervalMs, tickSize: tickSizes[s]! }));
    }
    if (mode === 'adverse') {
      return symbols.map((symbol, s) => {
        const c = tables[s]!.candle(index)!;
        return candlePath(c, { steps, intervalMs, tickSize: tickSizes[s]!, highFirst: adverseHighFirst(c, this.o.exposure?.(symbol)) });
      });
    }
    const rng = new SeededRng(mix32(this.o.seed ^ mix32(Math.floor(tables[0]!.ts(index) / intervalMs))));
    const base = this.normals(rng, steps + 2);
    const returns = (this.returns ??= tables.map((t) => closeLogReturns(t)));
    return symbols.map((_, s) => {
      const c = tables[s]!.candle(index)!;
      const rho = s === 0 ? 1 : trailingCorrelationOf(returns[0]!, returns[s]!, index, this.o.correlationWindow);
      const own = s === 0 ? base : this.normals(rng, steps + 2);
      const k = Math.sqrt(Math.max(0, 1 - rho * rho));
      const g = s === 0 ? base : own.map((e, i) => rho * base[i]! + k * e);
      return bridgePath(c, {
        points: steps,
        intervalMs,
        tickSize: tickSizes[s]!,
        draws: { order: normalCdf(g[0]!), first: normalCdf(g[1]!), second: normalCdf(g[2]!), increments: g.slice(3) },
      });
    });
  }

  private normals(rng: SeededRng, n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = rng.normal();
    return out;
  }
}
