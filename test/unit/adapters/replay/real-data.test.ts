import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { isOnGrid } from '../../../../src/core/tick-rounding.js';
import type { Candle, MarketEvent } from '../../../../src/core/types.js';
import { loadCandleFile, symbolFromFileName } from '../../../../adapters/replay/candle-file.js';
import { alignCandleSeries } from '../../../../adapters/replay/candle-alignment.js';
import { replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import { ReplaySource } from '../../../../adapters/replay/replay-source.js';

// Recorded Binance spot candles kept beside the checkout (../shared), never copied into the repo.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const dir = resolve(repoRoot, '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(dir);
if (!present) console.warn(`[replay real-data] skipped: ${dir} not found (expected ../shared beside the checkout)`);

const MIN = 60_000;
const FILES = { ETH: 'ETH_USDT-1m.json', SOL: 'SOL_USDT-1m.json', BTC: 'BTC_USDT-1m.json' } as const;
const ROWS = { ETH: 61_273, SOL: 61_278, BTC: 61_272 } as const;
const MAINTENANCE = [
  { afterTs: Date.UTC(2021, 3, 20, 1, 59), resumeTs: Date.UTC(2021, 3, 20, 4, 30), gapMs: 151 * MIN, missingBars: 150 },
  { afterTs: Date.UTC(2021, 3, 25, 4, 0), resumeTs: Date.UTC(2021, 3, 25, 8, 45), gapMs: 285 * MIN, missingBars: 284 },
];

describe.skipIf(!present)('replay over real Binance 1m candles (../shared/data, skipped when absent)', () => {
  const loaded = new Map<string, Candle[]>();
  const load = (asset: keyof typeof FILES): Candle[] => {
    const hit = loaded.get(asset);
    if (hit) return hit;
    const candles = loadCandleFile(resolve(dir, FILES[asset]));
    loaded.set(asset, candles);
    return candles;
  };

  it.each(Object.keys(FILES) as (keyof typeof FILES)[])('loads %s with its row count', (asset) => {
    const candles = load(asset);
    expect(candles).toHaveLength(ROWS[asset]);
    expect(candles[0]!.ts).toBe(Date.UTC(2021, 3, 2));
    expect(symbolFromFileName(FILES[asset])).toBe(`${asset}-PERP`);
  });

  it.each(Object.keys(FILES) as (keyof typeof FILES)[])('finds exactly the two maintenance gaps in %s', (asset) => {
    const a = alignCandleSeries([{ symbol: `${asset}-PERP`, candles: load(asset) }], MIN);
    expect(a.gaps).toEqual(MAINTENANCE);
  });

  it('aligns all three on their common minutes', () => {
    const src = new ReplaySource({
      series: (['ETH', 'SOL', 'BTC'] as const).map((a) => ({ symbol: `${a}-PERP`, candles: load(a) })),
      config: replayConfigSchema.parse({}),
    });
    expect(src.stats.alignedMinutes).toBe(61_272); // BTC ends first
    expect(src.stats.droppedCandles).toBe(1 + 6);
    expect(src.stats.gaps).toEqual(MAINTENANCE);
    expect(src.stats.skippedMinutes).toBe(434);
    expect(src.stats.replayMinutes).toBe(61_272 - 240);
    expect(src.history('ETH-PERP', 240)).toHaveLength(240);
    expect(src.startTs).toBe(Date.UTC(2021, 3, 2, 4, 0)); // 240 minutes in
  });

  it.each([
    ['an ordinary day', Date.UTC(2021, 3, 10), 1440],
    ['the day of the first maintenance', Date.UTC(2021, 3, 20), 1440 - 150],
  ])('replays %s of ETH and SOL as valid, ordered events', (_name, day, minutes) => {
    const src = new ReplaySource({
      series: [
        { symbol: 'ETH-PERP', candles: load('ETH') },
        { symbol: 'SOL-PERP', candles: load('SOL') },
      ],
      config: replayConfigSchema.parse({}),
      startTs: day,
      endTs: day + 1440 * MIN,
    });
    expect(src.startTs).toBe(day);
    expect(src.progress()).toEqual({ done: 0, total: minutes });
    expect(src.history('ETH-PERP', 240)).toHaveLength(240);
    expect(src.history('SOL-PERP', 240).at(-1)!.ts).toBe(day - MIN);

    const inst = new Map(src.instruments.map((i) => [i.symbol, i]));
    // Checked by hand and collected: one expect per event would dominate the run time.
    const problems: string[] = [];
    const fail = (ev: MarketEvent, what: string): void => {
      if (problems.length < 5) problems.push(`${new Date(ev.ts).toISOString()} ${ev.kind}: ${what}`);
    };
    let count = 0;
    let lastTs = -Infinity;
    const seq = new Map<string, number>();
    let prev: MarketEvent | null = null;
    for (let ev = src.next(); ev !== null; ev = src.next()) {
      count++;
      if (ev.ts < lastTs) fail(ev, `ts went back from ${lastTs}`);
      if (ev.ts >= day + 1440 * MIN) fail(ev, 'after endTs');
      lastTs = ev.ts;
      if (ev.kind === 'book') {
        const { tickSize, lotSize } = inst.get(ev.book.symbol)!;
        const bid = ev.book.bids[0]!;
        const ask = ev.book.asks[0]!;
        if (!(bid.price < ask.price)) fail(ev, `crossed ${bid.price} >= ${ask.price}`);
        if (!isOnGrid(bid.price, tickSize) || !isOnGrid(ask.price, tickSize)) fail(ev, 'touch off the tick grid');
        if (!(bid.size >= lotSize && ask.size >= lotSize)) fail(ev, 'touch size below one lot');
        if (ev.book.seq !== (seq.get(ev.book.symbol) ?? 0) + 1) fail(ev, `seq ${ev.book.seq}`);
        seq.set(ev.book.symbol, ev.book.seq);
      } else if (ev.kind === 'trade') {
        const { tickSize, lotSize } = inst.get(ev.trade.symbol)!;
        if (!isOnGrid(ev.trade.price, tickSize)) fail(ev, `price ${ev.trade.price} off the grid`);
        if (!(ev.trade.size >= lotSize)) fail(ev, `size ${ev.trade.size}`);
        if (prev?.kind === 'book') fail(ev, 'trade right after a book (marks come between)');
      }
      prev = ev;
    }
    expect(problems).toEqual([]);
    // Every path point of every minute gives each symbol a book, a mark and a trade.
    expect(count).toBe(minutes * replayConfigSchema.parse({}).pointsPerMinute * 2 * 3);
    expect(src.progress()).toEqual({ done: minutes, total: minutes });
  });
});
