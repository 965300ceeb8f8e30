import { describe, it, expect } from 'vitest';
import { DnbotError, ErrorCodes } from '../../../../src/core/errors.js';
import { isOnGrid } from '../../../../src/core/tick-rounding.js';
import type { Book, Candle, MarketEvent, MarkUpdate, Trade } from '../../../../src/core/types.js';
import { replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import { ReplaySource } from '../../../../adapters/replay/replay-source.js';
import { bestAsk, bestBid } from '../../../../src/core/book-touch.js';
import { marketEventProblem } from '../../../../src/engine/market-event-guard.js';

const T0 = 1_617_321_600_000;
const M = 60_000;

function c(minute: number, open: number, high: number, low: number, close: number, volume = 100): Candle {
  return { ts: T0 + minute * M, open, high, low, close, volume };
}

/** ETH: 10 minutes; SOL: same minutes but minute 6 missing. Mixed up, down and flat candles. */
const ETH: Candle[] = [
  c(0, 2000, 2001, 1999, 2000.5), c(1, 2000.5, 2002, 2000, 2001), c(2, 2001, 2001.5, 1998, 1999),
  c(3, 1999, 2003, 1998.5, 2002), c(4, 2002, 2004, 1997, 1998), c(5, 1998, 1998, 1998, 1998, 0),
  c(6, 1998, 1999, 1997, 1998.5), c(7, 1998.5, 2000, 1996, 1999), c(8, 1999, 2001, 1999, 2000.12), c(9, 2000.12, 2000.5, 1990, 1991),
];
const SOL: Candle[] = [
  c(0, 20, 20.1, 19.9, 20.05), c(1, 20.05, 20.2, 20, 20.1), c(2, 20.1, 20.15, 19.8, 19.9),
  c(3, 19.9, 20.3, 19.85, 20.2), c(4, 20.2, 20.4, 19.7, 19.8), c(5, 19.8, 19.9, 19.6, 19.7),
  c(7, 19.7, 19.9, 19.5, 19.8), c(8, 19.8, 20, 19.8, 19.95), c(9, 19.95, 20, 19.5, 19.6),
];
const series = [
  { symbol: 'ETH-PERP', candles: ETH },
  { symbol: 'SOL-PERP', candles: SOL },
];
const config = replayConfigSchema.parse({ warmupBars: 3, intrabar: 'ohlc' });

function drain(src: ReplaySource): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (let ev = src.next(); ev !== null; ev = src.next()) out.push(ev);
  return out;
}
const books = (evs: MarketEvent[]): Book[] => evs.flatMap((e) => (e.kind === 'book' ? [e.book] : []));
const marks = (evs: MarketEvent[]): MarkUpdate[] => evs.flatMap((e) => (e.kind === 'mark' ? [e.mark] : []));
const trades = (evs: MarketEvent[]): Trade[] => evs.flatMap((e) => (e.kind === 'trade' ? [e.trade] : []));

describe('ReplaySource', () => {
  it('serves the warm-up candles as history and starts right after them', () => {
    const src = new ReplaySource({ series, config });
    expect(src.startTs).toBe(T0 + 3 * M);
    expect(src.history('ETH-PERP', 2)).toEqual([ETH[1], ETH[2]]);
    expect(src.history('SOL-PERP', 100)).toEqual(SOL.slice(0, 3));
    expect(src.history('SOL-PERP', 0)).toEqual([]);
    expect(() => src.history('BTC-PERP', 1)).toThrow(DnbotError);
    expect(src.instruments.map((i) => [i.venue, i.symbol, i.tickSize, i.lotSize])).toEqual([
      ['replay', 'ETH-PERP', 0.01, 0.001],
      ['replay', 'SOL-PERP', 0.001, 0.01],
    ]);
  });

  it('skips the minute missing from one series and counts it', () => {
    const src = new ReplaySource({ series, config });
    expect(src.stats).toMatchObject({
      totalCandles: 19, alignedMinutes: 9, warmupMinutes: 3, replayMinutes: 6, droppedCandles: 1, skippedGaps: 1, skippedMinutes: 1,
      firstReplayedTs: T0 + 3 * M, lastReplayedTs: T0 + 9 * M,
    });
    expect(src.stats.gaps).toEqual([{ afterTs: T0 + 5 * M, resumeTs: T0 + 7 * M, gapMs: 2 * M, missingBars: 1 }]);
    const evs = drain(src);
    expect(evs.some((e) => e.ts >= T0 + 6 * M && e.ts < T0 + 7 * M)).toBe(false);
  });

  it('emits, per path point, all books, then all marks, then all trades, in symbol order', () => {
    const evs = drain(new ReplaySource({ series, config }));
    expect(evs).toHaveLength(6 * 4 * 2 * 3);
    const minutes = [3, 4, 5, 7, 8, 9];
    for (let p = 0; p < evs.length / 6; p++) {
      const chunk = evs.slice(p * 6, p * 6 + 6);
      expect(chunk.map((e) => e.kind)).toEqual(['book', 'book', 'mark', 'mark', 'trade', 'trade']);
      const syms = chunk.map((e) => (e.kind === 'book' ? e.book.symbol : e.kind === 'mark' ? e.mark.symbol : e.trade.symbol));
      expect(syms).toEqual(['ETH-PERP', 'SOL-PERP', 'ETH-PERP', 'SOL-PERP', 'ETH-PERP', 'SOL-PERP']);
      const expectedTs = T0 + minutes[Math.floor(p / 4)]! * M + (p % 4) * 15_000;
      for (const e of chunk) expect(e.ts).toBe(expectedTs);
    }
  });

  it('numbers books per symbol and keeps every book valid around the path price', () => {
    const evs = drain(new ReplaySource({ series, config }));
    for (const [symbol, tick, lot] of [['ETH-PERP', 0.01, 0.001], ['SOL-PERP', 0.001, 0.01]] as const) {
      const bs = books(evs).filter((b) => b.symbol === symbol);
      const ms = marks(evs).filter((m) => m.symbol === symbol);
      expect(bs.map((b) => b.seq)).toEqual(bs.map((_, i) => i + 1));
      bs.forEach((b, i) => {
        const price = ms[i]!.markPrice;
        expect(b.bids[0]!.price).toBeLessThan(price);
        expect(b.asks[0]!.price).toBeGreaterThan(price);
        for (const l of [...b.bids, ...b.asks]) {
          expect(isOnGrid(l.price, tick)).toBe(true);
          expect(isOnGrid(l.size, lot)).toBe(true);
          expect(l.size).toBeGreaterThan(0);
        }
      });
    }
  });

  it('prints trades at the path price, extremes exactly at high and low, aggressor = direction of the move', () => {
    const evs = drain(new ReplaySource({ series, config }));
    const eth = trades(evs).filter((t) => t.symbol === 'ETH-PERP');
    const ethMarks = marks(evs).filter((m) => m.symbol === 'ETH-PERP');
    expect(eth.map((t) => t.price)).toEqual(ethMarks.map((m) => m.markPrice));
    // Minute 3 closed up (O L H C), minute 4 down (O H L C), minute 5 flat with no volume.
    expect(eth.slice(0, 12).map((t) => t.price)).toEqual([1999, 1998.5, 2003, 2002, 2002, 2004, 1997, 1998, 1998, 1998, 1998, 1998]);
    // Open of minute 3 equals the last warm-up close (1999): unchanged, keeps the first candle's direction (up → buy).
    expect(eth.slice(0, 12).map((t) => t.aggressor)).toEqual([
      'buy', 'sell', 'buy', 'sell', 'sell', 'buy', 'sell', 'buy', 'buy', 'buy', 'buy', 'buy',
    ]);
    for (const t of trades(evs)) expect(t.price).toBe(marks(evs).find((m) => m.symbol === t.symbol && m.ts === t.ts)!.markPrice);
    expect(new Set(trades(evs).map((t) => t.tradeId)).size).toBe(trades(evs).length);
  });

  it('sizes trades as an even share of the candle volume on the lot grid, at least one lot', () => {
    const evs = drain(new ReplaySource({ series, config }));
    const eth = trades(evs).filter((t) => t.symbol === 'ETH-PERP');
    expect(eth[0]!.size).toBe(25); // 100 / 4
    expect(eth[8]!.size).toBe(0.001); // the zero-volume minute still prints one lot
    const half = drain(new ReplaySource({ series, config: replayConfigSchema.parse({ warmupBars: 3, intrabar: 'ohlc', tradeVolumeShare: 0.3 }) }));
    expect(trades(half).find((t) => t.symbol === 'SOL-PERP')!.size).toBe(7.5);
  });

  it('carries the configured funding rate on marks', () => {
    const evs = drain(new ReplaySource({ series, config: replayConfigSchema.parse({ warmupBars: 3, fundingRate: 0.0001 }) }));
    expect(new Set(marks(evs).map((m) => m.fundingRate))).toEqual(new Set([0.0001]));
  });

  it('reports progress by whole minutes and stays exhausted', () => {
    const src = new ReplaySource({ series, config });
    expect(src.progress()).toEqual({ done: 0, total: 6 });
    for (let i = 0; i < 24; i++) src.next();
    expect(src.progress()).toEqual({ done: 1, total: 6 });
    src.next();
    expect(src.progress()).toEqual({ done: 1, total: 6 });
    drain(src);
    expect(src.progress()).toEqual({ done: 6, total: 6 });
    expect(src.next()).toBeNull();
    expect(src.next()).toBeNull();
  });

  it('is deterministic', () => {
    expect(drain(new ReplaySource({ series, config }))).toEqual(drain(new ReplaySource({ series, config })));
  });

  it('replays the [startTs, endTs) window with the bars before it as history', () => {
    const src = new ReplaySource({ series, config, startTs: T0 + 4 * M + 1, endTs: T0 + 8 * M });
    expect(src.startTs).toBe(T0 + 5 * M);
    expect(src.history('ETH-PERP', 10)).toEqual([ETH[2], ETH[3], ETH[4]]);
    const evs = drain(src);
    expect(new Set(evs.map((e) => Math.floor((e.ts - T0) / M)))).toEqual(new Set([5, 7]));
    const early = new ReplaySource({ series, config, startTs: 0 });
    expect(early.startTs).toBe(T0);
    expect(early.history('ETH-PERP', 5)).toEqual([]);
  });

  it('refuses a window with nothing to replay', () => {
    let err: unknown;
    try {
      new ReplaySource({ series, config: replayConfigSchema.parse({ warmupBars: 9 }) });
    } catch (e) {
      err = e;
    }
    expect((err as DnbotError).code).toBe(ErrorCodes.DATA_FILE);
    expect(() => new ReplaySource({ series, config, startTs: T0 + 100 * M })).toThrow(/nothing to replay/);
  });

  it.each(['ohlc', 'bridge', 'adverse'] as const)('declares its events sound when every candle is, and every event passes the market event guard (%s)', (intrabar) => {
    const src = new ReplaySource({ series, config: replayConfigSchema.parse({ warmupBars: 3, intrabar }) });
    expect(src.soundEvents).toBe(true);
    const evs = drain(src);
    expect(evs.map(marketEventProblem).filter((p) => p !== null)).toEqual([]);
    // Each book tells its touch without its levels: the first level of each side.
    const fresh = books(drain(new ReplaySource({ series, config: replayConfigSchema.parse({ warmupBars: 3, intrabar }) })));
    expect(fresh.map((b) => [bestBid(b), bestAsk(b)])).toEqual(books(evs).map((b) => [b.bids[0]?.price, b.asks[0]?.price]));
    expect(JSON.stringify(fresh)).toBe(JSON.stringify(books(evs)));
  });

  it('leaves the check to the runtime when a replayed price snaps to 0 (under half a tick)', () => {
    const tiny = SOL.map((k, i) => (i === 5 ? { ...k, low: 0.0004, open: 0.0004 } : k));
    const src = new ReplaySource({ series: [series[0]!, { symbol: 'SOL-PERP', candles: tiny }], config });
    expect(src.soundEvents).toBe(false);
    // Before the window (a warm-up candle) it does not matter.
    expect(new ReplaySource({ series: [series[0]!, { symbol: 'SOL-PERP', candles: SOL.map((k, i) => (i === 1 ? { ...k, low: 0.0004 } : k)) }], config }).soundEvents).toBe(true);
  });

  it("names each print <symbol>-<ts> when its id is read, and serialises it as a plain trade", () => {
    const t = trades(drain(new ReplaySource({ series, config })));
    expect(t.map((x) => x.tradeId)).toEqual(t.map((x) => `${x.symbol}-${x.ts}`));
    const { symbol, ts, price, size, aggressor, tradeId } = t[0]!;
    expect(JSON.stringify(t[0])).toBe(JSON.stringify({ symbol, ts, price, size, aggressor, tradeId }));
  });
});
