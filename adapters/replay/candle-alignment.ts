import { ConfigError, DnbotError, ErrorCodes } from '../../src/core/errors.js';
import type { Candle } from '../../src/core/types.js';

/** One symbol's recorded candles, oldest first. */
export interface CandleSeries {
  readonly symbol: string;
  readonly candles: readonly Candle[];
}

/** A hole in the aligned timeline (exchange maintenance, missing minutes): skipped, not filled. */
export interface CandleGap {
  /** Last aligned candle before the hole. */
  readonly afterTs: number;
  /** First aligned candle after it. */
  readonly resumeTs: number;
  /** `resumeTs − afterTs` (151 min for a hole of 150 missing minutes). */
  readonly gapMs: number;
  /** Candle slots missing in between. */
  readonly missingBars: number;
}

export interface AlignedCandles {
  /** Symbols in the order given. */
  readonly symbols: readonly string[];
  /** Timestamps present in every series, increasing. */
  readonly timestamps: readonly number[];
  /** `candles[s][i]` is `symbols[s]`'s candle at `timestamps[i]`. */
  readonly candles: readonly (readonly Candle[])[];
  readonly gaps: readonly CandleGap[];
  /** Candles dropped because some other series has no candle at their timestamp. */
  readonly droppedCandles: number;
}

function dataError(message: string, details: Record<string, unknown>): DnbotError {
  return new DnbotError(ErrorCodes.DATA_FILE, message, details);
}

/**
 * Aligns several candle series on the timestamps present in ALL of them (intersection): a minute
 * missing from one series is skipped for every symbol, so each replayed minute has a price for
 * every leg of a pair. Holes in the result are reported as {@link CandleGap}s.
 * Pure; linear in the total number of candles.
 * @throws ConfigError `E_CONFIG_INVALID` when no series or a symbol twice.
 * @throws DnbotError `E_DATA_FILE` when a series is not strictly increasing, aligned candles are
 *   closer than `intervalMs`, or no timestamp is common to all series.
 */
export function alignCandleSeries(series: readonly CandleSeries[], intervalMs: number): AlignedCandles {
  if (series.length === 0) throw new ConfigError('series', 'at least one candle series is required');
  const symbols = series.map((s) => s.symbol);
  const dup = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (dup !== undefined) throw new ConfigError('series', `symbol ${dup} given twice`);
  for (const s of series) {
    for (let i = 1; i < s.candles.length; i++) {
      if (s.candles[i]!.ts <= s.candles[i - 1]!.ts) {
        throw dataError(`${s.symbol} candle ${i + 1}: timestamps must be strictly increasing`, { symbol: s.symbol, row: i + 1 });
      }
    }
  }

  const ptr = series.map(() => 0);
  const timestamps: number[] = [];
  const candles: Candle[][] = series.map(() => []);
  let dropped = 0;
  outer: for (;;) {
    let maxTs = -Infinity;
    for (let s = 0; s < series.length; s++) {
      const c = series[s]!.candles[ptr[s]!];
      if (c === undefined) break outer;
      if (c.ts > maxTs) maxTs = c.ts;
    }
    let allEqual = true;
    for (let s = 0; s < series.length; s++) {
      const list = series[s]!.candles;
      while (ptr[s]! < list.length && list[ptr[s]!]!.ts < maxTs) {
        ptr[s]!++;
        dropped++;
      }
      if (list[ptr[s]!]?.ts !== maxTs) allEqual = false;
    }
    if (!allEqual) continue;
    timestamps.push(maxTs);
    for (let s = 0; s < series.length; s++) candles[s]!.push(series[s]!.candles[ptr[s]!++]!);
  }
  for (let s = 0; s < series.length; s++) dropped += series[s]!.candles.length - ptr[s]!;
  if (timestamps.length === 0) {
    throw dataError(`no timestamp is common to all series (${symbols.join(', ')})`, { symbols });
  }

  const gaps: CandleGap[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const prev = timestamps[i - 1]!;
    const cur = timestamps[i]!;
    const gapMs = cur - prev;
    if (gapMs < intervalMs) {
      throw dataError(`candles at ${prev} and ${cur} are closer than the ${intervalMs} ms interval`, { afterTs: prev, ts: cur });
    }
    if (gapMs > intervalMs) {
      gaps.push({ afterTs: prev, resumeTs: cur, gapMs, missingBars: Math.round(gapMs / intervalMs) - 1 });
    }
  }
  return { symbols, timestamps, candles, gaps, droppedCandles: dropped };
}
