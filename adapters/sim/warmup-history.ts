import type { SeededRng } from '../../src/core/rng.js';
import type { Candle } from '../../src/core/types.js';
import { roundDown, roundNearest } from '../../src/core/tick-rounding.js';
import { stepPriceProcess, type PriceProcessCoefficients, type PriceProcessState } from './price-process.js';

/**
 * The warm-up period before a simulated run: the same price process, stepped at the same
 * interval, aggregated into 1-minute bars. It runs before the live path on the same process
 * rng and state, so the live run continues exactly where the warm-up ends.
 */

/** Trade-flow parameters the warm-up needs to give bars a plausible volume. */
export interface WarmupFlow {
  readonly tradeMeanIntervalMs: number;
  readonly medianTradeUsd: number;
  readonly tradeSizeSigma: number;
}

/** Raw warm-up bars per symbol, in process units (before re-anchoring to the start prices). */
export interface WarmupBars {
  readonly bars: number;
  /** Per symbol: open, high, low, close of each bar, flattened (4 per bar). */
  readonly ohlc: readonly Float64Array[];
  /** Per symbol: traded notional in USD per bar. */
  readonly usdVolume: readonly Float64Array[];
}

const BAR_MS = 60_000;

/**
 * Step `state` through `bars` minutes of `stepsPerBar` steps each, recording OHLC per symbol.
 * Volume comes from a separate rng (Poisson trade counts, lognormal notionals), so it never
 * perturbs prices.
 */
export function simulateWarmup(
  state: PriceProcessState,
  coeffs: PriceProcessCoefficients,
  processRng: SeededRng,
  volumeRng: SeededRng,
  bars: number,
  stepsPerBar: number,
  flows: readonly WarmupFlow[],
): WarmupBars {
  const n = coeffs.n;
  const ohlc = Array.from({ length: n }, () => new Float64Array(4 * bars));
  const usdVolume = Array.from({ length: n }, () => new Float64Array(bars));
  for (let b = 0; b < bars; b++) {
    for (let i = 0; i < n; i++) {
      const p = Math.exp(state.logPrice[i] ?? 0);
      const o = ohlc[i];
      if (o === undefined) continue;
      o[4 * b] = p;
      o[4 * b + 1] = p;
      o[4 * b + 2] = p;
    }
    for (let k = 0; k < stepsPerBar; k++) {
      stepPriceProcess(state, coeffs, processRng);
      for (let i = 0; i < n; i++) {
        const p = Math.exp(state.logPrice[i] ?? 0);
        const o = ohlc[i];
        if (o === undefined) continue;
        if (p > (o[4 * b + 1] ?? p)) o[4 * b + 1] = p;
        if (p < (o[4 * b + 2] ?? p)) o[4 * b + 2] = p;
        o[4 * b + 3] = p;
      }
    }
    for (let i = 0; i < n; i++) {
      const f = flows[i];
      const v = usdVolume[i];
      if (f === undefined || v === undefined) continue;
      let usd = 0;
      let t = volumeRng.exponential(f.tradeMeanIntervalMs);
      while (t < BAR_MS) {
        usd += f.medianTradeUsd * Math.exp(f.tradeSizeSigma * volumeRng.normal());
        t += volumeRng.exponential(f.tradeMeanIntervalMs);
      }
      v[b] = usd;
    }
  }
  return { bars, ohlc, usdVolume };
}

/**
 * Pure: candles for symbol `i`, prices multiplied by `scale` (the re-anchoring factor) and put
 * on the tick grid, volume in base units on the lot grid. Candle `ts` is the bar's open time;
 * the last bar opens at `startTs − 60 000` and closes at the first live price.
 */
export function warmupCandles(
  w: WarmupBars,
  i: number,
  scale: number,
  startTs: number,
  tickSize: number,
  lotSize: number,
): Candle[] {
  const o = w.ohlc[i];
  const v = w.usdVolume[i];
  if (o === undefined || v === undefined) return [];
  const out: Candle[] = [];
  const first = startTs - w.bars * BAR_MS;
  for (let b = 0; b < w.bars; b++) {
    const close = roundNearest((o[4 * b + 3] ?? 0) * scale, tickSize);
    out.push({
      ts: first + b * BAR_MS,
      open: roundNearest((o[4 * b] ?? 0) * scale, tickSize),
      high: roundNearest((o[4 * b + 1] ?? 0) * scale, tickSize),
      low: roundNearest((o[4 * b + 2] ?? 0) * scale, tickSize),
      close,
      volume: close > 0 ? roundDown((v[b] ?? 0) / close, lotSize) : 0,
    });
  }
  return out;
}
