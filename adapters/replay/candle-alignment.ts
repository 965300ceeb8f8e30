import { ConfigError, DnbotError, ErrorCodes } from '../../src/core/errors.js';
import type { Candle } from '../../src/core/types.js';
import { CANDLE_ROW, CandleTable } from './candle-table.js';

/** One symbol's recorded candles, oldest first: objects, or a table as a candle file loads into. */
export interface CandleSeries {
  readonly symbol: string;
  readonly candles: readonly Candle[] | CandleTable;
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
  /** `tables[s]` row `i` is `symbols[s]`'s candle at `timestamps[i]`. */
  readonly tables: readonly CandleTable[];
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
  const input = series.map((s) => (s.candles instanceof CandleTable ? s.candles : CandleTable.of(s.candles)));
  const n = input.length;
  const data = input.map((t) => t.data);
  const lengths = Int32Array.from(input, (t) => t.length);
  for (let s = 0; s < n; s++) {
    const d = data[s]!;
    const symbol = series[s]!.symbol;
    for (let i = 1, j = CANDLE_ROW; i < lengths[s]!; i++, j += CANDLE_ROW) {
      if (d[j]! <= d[j - CANDLE_ROW]!) {
        throw dataError(`${symbol} candle ${i + 1}: timestamps must be strictly increasing`, { symbol, row: i + 1 });
      }
    }
  }

  // rows[s][k]: the row of input[s] at the k-th common timestamp.
  const ptr = new Int32Array(n);
  const timestamps: number[] = [];
  const rows = input.map(() => new Int32Array(Math.min(...lengths)));
  let dropped = 0;
  outer: for (;;) {
    let maxTs = -Infinity;
    for (let s = 0; s < n; s++) {
      if (ptr[s]! >= lengths[s]!) break outer;
      const ts = data[s]![ptr[s]! * CANDLE_ROW]!;
      if (ts > maxTs) maxTs = ts;
    }
    let allEqual = true;
    for (let s = 0; s < n; s++) {
      const d = data[s]!;
      const len = lengths[s]!;
      let p = ptr[s]!;
      while (p < len && d[p * CANDLE_ROW]! < maxTs) {
        p++;
        dropped++;
      }
      ptr[s] = p;
      if (!(p < len && d[p * CANDLE_ROW]! === maxTs)) allEqual = false;
    }
    if (!allEqual) continue;
    const k = timestamps.length;
    timestamps.push(maxTs);
    for (let s = 0; s < n; s++) rows[s]![k] = ptr[s]!++;
  }
  for (let s = 0; s < n; s++) dropped += lengths[s]! - ptr[s]!;
  if (timestamps.length === 0) {
    throw dataError(`no timestamp is common to all series (${symbols.join(', ')})`, { symbols });
  }
  const tables = input.map((t, s) => alignedTable(t, rows[s]!.subarray(0, timestamps.length)));

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
  return { symbols, timestamps, tables, gaps, droppedCandles: dropped };
}

/** The given rows of a table; the table itself when they are all of its rows (the usual case). */
function alignedTable(table: CandleTable, rows: Int32Array): CandleTable {
  if (rows.length === table.length) return table;
  const src = table.data;
  const out = new Float64Array(rows.length * CANDLE_ROW);
  for (let i = 0, o = 0; i < rows.length; i++) {
    for (let k = 0, j = rows[i]! * CANDLE_ROW; k < CANDLE_ROW; k++) out[o++] = src[j + k]!;
  }
  return new CandleTable(out);
}
