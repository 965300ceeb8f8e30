import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Candle } from '../../../../src/core/types.js';
import { bridgePath, normalCdf, pointsPerCandle } from '../../../../adapters/replay/bridge-path.js';
import { adverseHighFirst, IntrabarPaths, type IntrabarMode } from '../../../../adapters/replay/intrabar-paths.js';
import { logReturns, trailingCorrelationOf, trailingReturnCorrelation } from '../../../../adapters/replay/trailing-correlation.js';
import { ReplaySource } from '../../../../adapters/replay/replay-source.js';
import { replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import type { MarketEvent } from '../../../../src/core/types.js';

const T = 1_620_000_000_000 - (1_620_000_000_000 % 60_000);

/** Candles on a 0.01 grid: open/close inside [low, high]. */
const candleArb = fc
  .tuple(fc.integer({ min: 100_000, max: 400_000 }), fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 2_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([low, range, _pad, fo, fc2]): Candle => {
    const l = low / 100;
    const h = (low + range) / 100;
    const o = Math.round((l + fo * (h - l)) * 100) / 100;
    const c = Math.round((l + fc2 * (h - l)) * 100) / 100;
    return { ts: T, open: o, high: h, low: l, close: c, volume: 100 };
  });

const drawsArb = (n: number) =>
  fc.record({
    order: fc.double({ min: 0, max: 0.999999, noNaN: true }),
    first: fc.double({ min: 0, max: 0.999999, noNaN: true }),
    second: fc.double({ min: 0, max: 0.999999, noNaN: true }),
    increments: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: n - 1, maxLength: n - 1 }),
  });

describe('bridgePath', () => {
  it('always passes through open, high, low and close exactly and never leaves [low, high]', () => {
    fc.assert(
      fc.property(candleArb, fc.integer({ min: 4, max: 40 }).chain((n) => fc.tuple(fc.constant(n), drawsArb(n))), (c, [n, draws]) => {
        const path = bridgePath(c, { points: n, intervalMs: 60_000, tickSize: 0.01, draws });
        const prices = path.map((p) => p.price);
        expect(path).toHaveLength(n);
        expect(prices[0]).toBe(c.open);
        expect(prices[n - 1]).toBe(c.close);
        expect(prices).toContain(c.high);
        expect(prices).toContain(c.low);
        for (const p of prices) {
          expect(p).toBeGreaterThanOrEqual(c.low);
          expect(p).toBeLessThanOrEqual(c.high);
        }
        // Evenly spaced in time inside the candle.
        expect(path.every((p, i) => p.ts === T + Math.floor((i * 60_000) / n))).toBe(true);
      }),
    );
  });

  it('visits the high first when order < 0.5, the low first otherwise', () => {
    const c: Candle = { ts: T, open: 100, high: 101, low: 99, close: 100.5, volume: 1 };
    const inc = new Array<number>(11).fill(0);
    const hi = bridgePath(c, { points: 12, intervalMs: 60_000, tickSize: 0.01, draws: { order: 0.2, first: 0.5, second: 0.5, increments: inc } });
    const lo = bridgePath(c, { points: 12, intervalMs: 60_000, tickSize: 0.01, draws: { order: 0.7, first: 0.5, second: 0.5, increments: inc } });
    const at = (p: { price: number }[], x: number) => p.findIndex((q) => q.price === x);
    expect(at(hi, 101)).toBeLessThan(at(hi, 99));
    expect(at(lo, 99)).toBeLessThan(at(lo, 101));
  });

  it('fits points per minute to the candle, at least 4', () => {
    expect(pointsPerCandle(12, 60_000)).toBe(12);
    expect(pointsPerCandle(12, 300_000)).toBe(60);
    expect(pointsPerCandle(4, 30_000)).toBe(4);
  });

  it('normalCdf is the standard normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });
});

describe('adverse order (adverseHighFirst)', () => {
  const up: Candle = { ts: T, open: 100, high: 102, low: 99, close: 101, volume: 1 };
  it.each([
    ['long: the low first', { position: 1, restingNet: -1 }, false],
    ['short: the high first', { position: -1, restingNet: 1 }, true],
    ['flat, bids resting: the high first (fills late, then the low)', { position: 0, restingNet: 2 }, true],
    ['flat, offers resting: the low first', { position: 0, restingNet: -2 }, false],
    ['flat, nothing resting: the ohlc convention (up candle: low first)', { position: 0, restingNet: 0 }, false],
    ['unknown: the ohlc convention', undefined, false],
  ])('%s', (_name, exposure, expected) => {
    expect(adverseHighFirst(up, exposure)).toBe(expected);
  });
});

describe('trailingReturnCorrelation', () => {
  const series = (f: (i: number) => number): Candle[] =>
    Array.from({ length: 200 }, (_, i) => ({ ts: T + i * 60_000, open: f(i), high: f(i), low: f(i), close: f(i), volume: 1 }));
  const wiggle = (i: number) => 100 * Math.exp(0.001 * Math.sin(i * 1.7) + 0.0005 * Math.cos(i * 0.31));
  it('is near 1 for a series against itself scaled, near −1 against its inverse, 0 without enough returns', () => {
    const a = series(wiggle);
    const b = series((i) => 3 * wiggle(i));
    const inv = series((i) => 10_000 / wiggle(i));
    expect(trailingReturnCorrelation(a, b, 100, 60)).toBeCloseTo(0.99, 6);
    expect(trailingReturnCorrelation(a, inv, 100, 60)).toBeCloseTo(-0.99, 6);
    expect(trailingReturnCorrelation(a, b, 5, 60)).toBe(0);
  });

  it('is causal: the candle being replayed and later ones never change it', () => {
    const a = series(wiggle);
    const b = series((i) => wiggle(i + 7));
    const before = trailingReturnCorrelation(a, b, 120, 60);
    const b2 = b.map((c, i) => (i >= 120 ? { ...c, close: c.close * 1.5 } : c));
    expect(trailingReturnCorrelation(a, b2, 120, 60)).toBe(before);
  });

  it('reads the same figure, bit for bit, from returns computed once for the whole replay', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 2, maxLength: 120 }), fc.nat(150), fc.integer({ min: 10, max: 80 }), (moves, at, window) => {
        const closes = moves.reduce<number[]>((acc, m) => [...acc, acc[acc.length - 1]! * m], [100]);
        const a = series((i) => closes[i % closes.length]!);
        const b = series((i) => wiggle(i) * closes[(i * 7) % closes.length]!);
        const index = Math.min(at, a.length - 1);
        expect(Object.is(trailingCorrelationOf(logReturns(a), logReturns(b), index, window), trailingReturnCorrelation(a, b, index, window))).toBe(true);
      }),
    );
  });
});

describe('IntrabarPaths', () => {
  const n = 300;
  const mk = (scale: number, seedShift: number): Candle[] => {
    const out: Candle[] = [];
    let p = 100 * scale;
    for (let i = 0; i < n; i++) {
      const r = 0.002 * Math.sin(i * 0.7 + seedShift) + 0.001 * Math.cos(i * 2.3);
      const close = Math.round(p * (1 + r) * 100) / 100;
      const high = Math.max(p, close) + 0.05 * scale;
      const low = Math.min(p, close) - 0.05 * scale;
      out.push({ ts: T + i * 60_000, open: p, high: Math.round(high * 100) / 100, low: Math.round(low * 100) / 100, close, volume: 10 });
      p = close;
    }
    return out;
  };
  const build = (mode: IntrabarMode, seed: number, b: Candle[]) =>
    new IntrabarPaths({ mode, symbols: ['A', 'B'], candles: [mk(1, 0), b], intervalMs: 60_000, stepsPerCandle: 4, pointsPerMinute: 12, correlationWindow: 60, seed, tickSizes: [0.01, 0.01] });

  it('is deterministic per seed and differs across seeds', () => {
    const b = mk(2, 0);
    expect(build('bridge', 7, b).pathsAt(150)).toEqual(build('bridge', 7, b).pathsAt(150));
    expect(build('bridge', 7, b).pathsAt(150)).not.toEqual(build('bridge', 8, b).pathsAt(150));
  });

  it('couples the series: highly correlated returns give paths that move together; unrelated ones do not', () => {
    const moves = (paths: { price: number }[][]) => paths.map((p) => p.slice(1).map((q, i) => Math.sign(q.price - p[i]!.price)));
    const agreement = (b: Candle[]): number => {
      const g = build('bridge', 3, b);
      let same = 0;
      let total = 0;
      for (let i = 100; i < 290; i++) {
        const [ma, mb] = moves(g.pathsAt(i));
        ma!.forEach((s, k) => {
          if (s !== 0 && mb![k] !== 0) {
            total++;
            if (s === mb![k]) same++;
          }
        });
      }
      return same / total;
    };
    const together = agreement(mk(2, 0)); // same returns, scaled: ρ ≈ 0.99
    const apart = agreement(mk(2, 2.1)); // phase-shifted returns: |ρ| small
    expect(together).toBeGreaterThan(0.8);
    expect(together).toBeGreaterThan(apart + 0.2);
  });

  it('the adverse path reads the exposure at the candle start', () => {
    const b = mk(2, 0);
    const probe = (symbol: string) => (symbol === 'A' ? { position: 1, restingNet: 0 } : { position: -1, restingNet: 0 });
    const g = new IntrabarPaths({ mode: 'adverse', symbols: ['A', 'B'], candles: [mk(1, 0), b], intervalMs: 60_000, stepsPerCandle: 4, pointsPerMinute: 12, correlationWindow: 60, seed: 1, tickSizes: [0.01, 0.01], exposure: probe });
    const [pa, pb] = g.pathsAt(10);
    const ca = mk(1, 0)[10]!;
    const cb = b[10]!;
    const idx = (p: { price: number }[], x: number) => p.findIndex((q) => q.price === x);
    expect(idx(pa!, ca.low)).toBeLessThan(idx(pa!, ca.high)); // long A: low first
    expect(idx(pb!, cb.high)).toBeLessThan(idx(pb!, cb.low)); // short B: high first
  });
});

describe('ReplaySource with the bridge', () => {
  it('replays the same events for the same seed, other events for another, and prints every candle extreme', () => {
    const candles = (base: number): Candle[] =>
      Array.from({ length: 8 }, (_, i) => ({ ts: T + i * 60_000, open: base + i, high: base + i + 2, low: base + i - 1, close: base + i + 1, volume: 50 }));
    const series = [{ symbol: 'ETH-PERP', candles: candles(2000) }, { symbol: 'SOL-PERP', candles: candles(40) }];
    const config = replayConfigSchema.parse({ warmupBars: 2 });
    const drain = (seed: number): MarketEvent[] => {
      const src = new ReplaySource({ series, config, seed });
      const out: MarketEvent[] = [];
      for (let ev = src.next(); ev; ev = src.next()) out.push(ev);
      return out;
    };
    const a = drain(5);
    expect(JSON.stringify(a)).toBe(JSON.stringify(drain(5)));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(drain(6)));
    expect(a.filter((e) => e.kind === 'trade')).toHaveLength(6 * 12 * 2);
    const ethPrices = new Set(a.flatMap((e) => (e.kind === 'trade' && e.trade.symbol === 'ETH-PERP' ? [e.trade.price] : [])));
    for (const c of series[0]!.candles.slice(2)) {
      expect(ethPrices.has(c.high)).toBe(true);
      expect(ethPrices.has(c.low)).toBe(true);
    }
  });
});
