import { ConfigError } from '../../src/core/errors.js';
import { SIM_SYMBOLS, type SimMarketConfig } from './sim-config.js';

/** Options of `SimMarket`. */
export interface SimMarketOptions {
  /** Parsed config (see `simMarketConfigSchema`). */
  readonly config: SimMarketConfig;
  /** Seed of every random stream; the same seed and options give the same events. */
  readonly seed: number;
  /** Market time of the first event; defaults to `config.startTs`. A restart passes its last market time. */
  readonly startTs?: number;
  /** Mid prices to start from (a restart passes its last marks); default: each symbol's `initialPrice`. */
  readonly startPrices?: Readonly<Record<string, number>>;
  /** 1-minute bars simulated before `startTs` for `history()`; default 240. */
  readonly warmupBars?: number;
  /** Exclusive end: `next()` returns null once the next event would be at or after it. */
  readonly endTs?: number;
}

/** Options with defaults applied and checked. */
export interface ResolvedSimMarketOptions {
  readonly startTs: number;
  readonly warmupBars: number;
  readonly endTs: number;
  /** Start price per symbol, in `SIM_SYMBOLS` order. */
  readonly startPrices: readonly number[];
}

/**
 * Pure: apply defaults and validate.
 * @throws ConfigError (`E_CONFIG_INVALID`) naming the bad option (`seed`, `startPrices.XYZ`, ...).
 */
export function resolveSimMarketOptions(opts: SimMarketOptions): ResolvedSimMarketOptions {
  const { config } = opts;
  if (!Number.isInteger(opts.seed)) throw new ConfigError('seed', `must be an integer, got ${String(opts.seed)}`);
  const startTs = opts.startTs ?? config.startTs;
  if (!Number.isInteger(startTs)) {
    throw new ConfigError('startTs', `must be an integer ms timestamp, got ${String(startTs)}`);
  }
  const warmupBars = opts.warmupBars ?? 240;
  if (!Number.isInteger(warmupBars) || warmupBars < 0) {
    throw new ConfigError('warmupBars', `must be an integer ≥ 0, got ${String(warmupBars)}`);
  }
  const endTs = opts.endTs ?? Number.POSITIVE_INFINITY;
  if (!(endTs > startTs)) throw new ConfigError('endTs', `must be > startTs (${startTs}), got ${String(endTs)}`);
  const given = opts.startPrices ?? {};
  for (const [sym, p] of Object.entries(given)) {
    if (!(SIM_SYMBOLS as readonly string[]).includes(sym)) {
      throw new ConfigError(`startPrices.${sym}`, `unknown symbol; expected one of ${SIM_SYMBOLS.join(', ')}`);
    }
    if (!Number.isFinite(p) || p <= 0) {
      throw new ConfigError(`startPrices.${sym}`, `must be a finite number > 0, got ${String(p)}`);
    }
  }
  const startPrices = SIM_SYMBOLS.map((sym) => given[sym] ?? config.symbols[sym].initialPrice);
  return { startTs, warmupBars, endTs, startPrices };
}
