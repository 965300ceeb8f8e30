import { describe, expect, it } from 'vitest';
import { ConfigError, DnbotError, ErrorCodes, InputError } from '../../../../src/core/errors.js';
import type { MarkUpdate, MarketEvent } from '../../../../src/core/types.js';
import { simMarketConfigSchema } from '../../../../adapters/sim/sim-config.js';
import { SimMarket, type SimMarketOptions } from '../../../../adapters/sim/sim-market.js';
import { books, isCanonicalOnGrid, marks, take, takeUntil } from './sim-test-helpers.js';

const config = simMarketConfigSchema.parse({});
const T0 = config.startTs;
const HOUR = 3_600_000;

const market = (o: Partial<SimMarketOptions> = {}) => new SimMarket({ config, seed: 1, ...o });

describe('SimMarket history', () => {
  it('returns contiguous 1-minute candles ending just before startTs and joining the live price', () => {
    const m = market();
    const h = m.history('ETH-PERP', 60);
    expect(h).toHaveLength(60);
    h.forEach((c, i) => {
      expect(c.ts).toBe(T0 - (60 - i) * 60_000);
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeGreaterThan(0);
      expect(isCanonicalOnGrid(c.close, 0.01) && isCanonicalOnGrid(c.high, 0.01)).toBe(true);
      expect(c.volume).toBeGreaterThan(0);
      if (i > 0) expect(c.open).toBe(h[i - 1]?.close);
    });
    expect(h.at(-1)?.close).toBe(3000);
    expect(h.some((c) => c.close !== h[0]?.close)).toBe(true);
    const firstMark = marks(take(m, 2))[0] as MarkUpdate;
    expect(firstMark.markPrice).toBe(h.at(-1)?.close);
  });

  it('returns at most the warm-up, a suffix of it, and nothing for 0 bars', () => {
    const m = market({ warmupBars: 30 });
    expect(m.history('SOL-PERP', 1000)).toHaveLength(30);
    expect(m.history('SOL-PERP', 5)).toEqual(m.history('SOL-PERP', 30).slice(25));
    expect(m.history('SOL-PERP', 0)).toEqual([]);
    expect(market({ warmupBars: 0 }).history('BTC-PERP', 10)).toEqual([]);
    expect(market().history('BTC-PERP', 240)).toEqual(market().history('BTC-PERP', 240));
  });

  it('rejects unknown symbols and bad bar counts with typed errors', () => {
    const m = market({ warmupBars: 5 });
    expect(() => m.history('DOGE-PERP', 5)).toThrow(DnbotError);
    try {
      m.history('DOGE-PERP', 5);
    } catch (e) {
      expect((e as DnbotError).code).toBe(ErrorCodes.VENUE_UNKNOWN_SYMBOL);
    }
    expect(() => m.history('ETH-PERP', -1)).toThrow(InputError);
    expect(() => m.history('ETH-PERP', 1.5)).toThrow(InputError);
  });
});

describe('SimMarket restart and bounds', () => {
  it('honours startTs and startPrices in the first events and the history', () => {
    const startTs = T0 + 5 * HOUR + 17_000;
    const m = market({ startTs, startPrices: { 'ETH-PERP': 3210.5, 'SOL-PERP': 171.234 } });
    expect(m.startTs).toBe(startTs);
    const first = take(m, 6);
    expect(first.every((e) => e.ts === startTs)).toBe(true);
    expect(marks(first).map((x) => x.markPrice)).toEqual([3210.5, 171.234, 60000]);
    expect(m.history('ETH-PERP', 1)[0]).toMatchObject({ ts: startTs - 60_000, close: 3210.5 });
    expect(m.history('SOL-PERP', 1)[0]?.close).toBe(171.234);
  });

  it('a restart from the last market time and marks continues without a gap', () => {
    const a = takeUntil(market(), T0 + 30 * 60_000);
    const lastMarks = new Map(marks(a).map((x) => [x.symbol, x]));
    const lastTs = a.at(-1)?.ts ?? 0;
    const b = market({
      seed: 99,
      startTs: lastTs + 1,
      startPrices: Object.fromEntries([...lastMarks].map(([s, x]) => [s, x.markPrice])),
    });
    const firstB = marks(take(b, 6));
    for (const x of firstB) {
      const tick = config.symbols[x.symbol as 'ETH-PERP'].tickSize;
      expect(Math.abs(x.markPrice - (lastMarks.get(x.symbol)?.markPrice ?? 0))).toBeLessThanOrEqual(tick);
    }
    expect(b.history('ETH-PERP', 1)[0]?.ts).toBe(lastTs + 1 - 60_000);
  });

  it('ends before endTs and stays ended', () => {
    const m = market({ endTs: T0 + 10_000 });
    const evs: MarketEvent[] = [];
    for (let e = m.next(); e !== null; e = m.next()) evs.push(e);
    expect(evs.length).toBeGreaterThan(60);
    expect(evs.every((e) => e.ts < T0 + 10_000)).toBe(true);
    expect(books(evs)).toHaveLength(30);
    expect(m.next()).toBeNull();
  });

  it.each([
    [{ seed: 1.5 }, 'seed'],
    [{ startTs: Number.NaN }, 'startTs'],
    [{ warmupBars: -1 }, 'warmupBars'],
    [{ endTs: T0 }, 'endTs'],
    [{ startPrices: { 'DOGE-PERP': 1 } }, 'startPrices.DOGE-PERP'],
    [{ startPrices: { 'ETH-PERP': -5 } }, 'startPrices.ETH-PERP'],
    [{ startPrices: { 'SOL-PERP': Number.POSITIVE_INFINITY } }, 'startPrices.SOL-PERP'],
  ] as const)('rejects %j naming %s', (opts, field) => {
    let err: unknown;
    try {
      market(opts as Partial<SimMarketOptions>);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
  });
});
