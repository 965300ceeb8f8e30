import { describe, it, expect } from 'vitest';
import { ConfigError, DnbotError, ErrorCodes } from '../../../../src/core/errors.js';
import type { Candle } from '../../../../src/core/types.js';
import { alignCandleSeries } from '../../../../adapters/replay/candle-alignment.js';

const T0 = 1_617_321_600_000;
const M = 60_000;

function candles(minutes: readonly number[], price = 100): Candle[] {
  return minutes.map((m) => ({ ts: T0 + m * M, open: price, high: price + 1, low: price - 1, close: price, volume: 1 }));
}

describe('alignCandleSeries', () => {
  it('keeps only minutes present in every series and reports the hole', () => {
    const a = alignCandleSeries(
      [
        { symbol: 'ETH-PERP', candles: candles([0, 1, 2, 3, 4]) },
        { symbol: 'SOL-PERP', candles: candles([0, 1, 3, 4, 5]) },
      ],
      M,
    );
    expect(a.timestamps).toEqual([0, 1, 3, 4].map((m) => T0 + m * M));
    expect(a.tables[0]!.toCandles().map((c) => c.ts)).toEqual(a.timestamps);
    expect(a.tables[1]!.toCandles().map((c) => c.ts)).toEqual(a.timestamps);
    expect(a.droppedCandles).toBe(2); // ETH minute 2, SOL minute 5
    expect(a.gaps).toEqual([{ afterTs: T0 + 1 * M, resumeTs: T0 + 3 * M, gapMs: 2 * M, missingBars: 1 }]);
  });

  it('handles series starting and ending at different times', () => {
    const a = alignCandleSeries(
      [
        { symbol: 'A', candles: candles([5, 6, 7, 8]) },
        { symbol: 'B', candles: candles([0, 1, 2, 3, 4, 5, 6, 7]) },
        { symbol: 'C', candles: candles([6, 7, 8, 9]) },
      ],
      M,
    );
    expect(a.timestamps).toEqual([T0 + 6 * M, T0 + 7 * M]);
    expect(a.gaps).toEqual([]);
    expect(a.droppedCandles).toBe(4 + 8 + 4 - 6);
  });

  it.each([
    ['no series', [], ConfigError, /at least one/],
    ['a duplicate symbol', [{ symbol: 'A', candles: candles([0]) }, { symbol: 'A', candles: candles([0]) }], ConfigError, /A given twice/],
    ['a non-increasing series', [{ symbol: 'A', candles: candles([0, 2, 1]) }], DnbotError, /A candle 3: .*strictly increasing/],
    ['disjoint series', [{ symbol: 'A', candles: candles([0, 1]) }, { symbol: 'B', candles: candles([2, 3]) }], DnbotError, /no timestamp is common/],
  ] as const)('rejects %s', (_name, series, cls, pattern) => {
    expect(() => alignCandleSeries(series, M)).toThrow(cls);
    expect(() => alignCandleSeries(series, M)).toThrow(pattern);
  });

  it('rejects candles closer than the interval (not 1-minute data)', () => {
    const c = [0, 30_000, 60_000].map((dt) => ({ ts: T0 + dt, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
    let err: unknown;
    try {
      alignCandleSeries([{ symbol: 'A', candles: c }], M);
    } catch (e) {
      err = e;
    }
    expect((err as DnbotError).code).toBe(ErrorCodes.DATA_FILE);
    expect((err as DnbotError).message).toMatch(/closer than the 60000 ms interval/);
  });
});
