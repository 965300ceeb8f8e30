import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Candle, MarketEvent } from '../../../../src/core/types.js';
import { alignCandleSeries } from '../../../../adapters/replay/candle-alignment.js';
import { parseCandleTable } from '../../../../adapters/replay/candle-file.js';
import { CandleTable } from '../../../../adapters/replay/candle-table.js';
import { replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import { ReplaySource } from '../../../../adapters/replay/replay-source.js';

const T0 = 1_617_321_600_000;
const M = 60_000;
const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Every field the same double (Object.is: -0 and 0 differ). */
function sameBits(a: readonly Candle[], b: readonly Candle[]): boolean {
  return a.length === b.length && a.every((c, i) => FIELDS.every((f) => Object.is(c[f], b[i]![f])));
}

const priceArb = fc.record({
  lo: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
  span: fc.double({ min: 0, max: 100, noNaN: true }),
  a: fc.double({ min: 0, max: 1, noNaN: true }),
  b: fc.double({ min: 0, max: 1, noNaN: true }),
  volume: fc.oneof(fc.constant(-0), fc.double({ min: 0, max: 1e6, noNaN: true })),
});

/** Valid candles at the given minutes (increasing). */
function candlesAt(minutes: readonly number[], specs: readonly { lo: number; span: number; a: number; b: number; volume: number }[]): Candle[] {
  return minutes.map((m, i) => {
    const s = specs[i % specs.length]!;
    return { ts: T0 + m * M, open: s.lo + s.span * s.a, high: s.lo + s.span, low: s.lo, close: s.lo + s.span * s.b, volume: s.volume };
  });
}

/** Increasing minutes: a random subset of 0..n-1 (holes of any length). */
const minutesArb = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((keep) => keep.flatMap((k, m) => (k ? [m] : [])));

describe('CandleTable', () => {
  it('holds candles bit for bit: of() then toCandles() gives the same doubles', () => {
    fc.assert(
      fc.property(minutesArb(40), fc.array(priceArb, { minLength: 1, maxLength: 8 }), fc.nat(45), fc.nat(45), (minutes, specs, from, to) => {
        const candles = candlesAt(minutes, specs);
        const t = CandleTable.of(candles);
        expect(t.length).toBe(candles.length);
        expect(sameBits(t.toCandles(), candles)).toBe(true);
        expect(sameBits(t.toCandles(from, to), candles.slice(from, to))).toBe(true);
        expect(t.candle(candles.length)).toBeUndefined();
        expect(t.candle(-1)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('parses JSON and CSV files to the doubles JSON.parse gives, seconds converted to ms', () => {
    fc.assert(
      fc.property(minutesArb(30), fc.array(priceArb, { minLength: 1, maxLength: 8 }), fc.boolean(), (minutes, specs, seconds) => {
        fc.pre(minutes.length > 0);
        const candles = candlesAt(minutes, specs);
        const rows = candles.map((c) => [seconds ? c.ts / 1000 : c.ts, c.open, c.high, c.low, c.close, c.volume]);
        // The reference: what JSON.parse reads from the same text, timestamps in ms.
        const json = JSON.stringify(rows);
        const expected = (JSON.parse(json) as number[][]).map(([ts, open, high, low, close, volume]) => ({
          ts: seconds ? Math.round(ts! * 1000) : ts!, open: open!, high: high!, low: low!, close: close!, volume: volume!,
        }));
        expect(sameBits(parseCandleTable(json, 'x.json').toCandles(), expected)).toBe(true);
        // JSON.parse's path (a numeric string in the first row) and CSV: the same candles.
        const viaParse = JSON.stringify(rows.map((r, i) => (i === 0 ? [String(r[0]), ...r.slice(1)] : r)));
        expect(parseCandleTable(viaParse, 'x.json').toCandles()).toEqual(expected);
        const csv = `timestamp,open,high,low,close,volume\n${rows.map((r) => r.join(',')).join('\n')}`;
        expect(parseCandleTable(csv, 'x.csv').toCandles()).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

/** The aligned candles by definition: the minutes present in every series, the rest dropped. */
function referenceAlignment(series: readonly (readonly Candle[])[]): { timestamps: number[]; candles: Candle[][]; dropped: number } {
  const common = series[0]!.map((c) => c.ts).filter((ts) => series.every((s) => s.some((c) => c.ts === ts)));
  const candles = series.map((s) => s.filter((c) => common.includes(c.ts)));
  const total = series.reduce((n, s) => n + s.length, 0);
  return { timestamps: common, candles, dropped: total - common.length * series.length };
}

describe('alignCandleSeries on tables', () => {
  it('aligns tables and candle arrays alike, to the intersection of their minutes', () => {
    fc.assert(
      fc.property(fc.array(minutesArb(30), { minLength: 1, maxLength: 3 }), fc.array(priceArb, { minLength: 1, maxLength: 5 }), (sets, specs) => {
        const series = sets.map((m) => candlesAt(m, specs));
        const ref = referenceAlignment(series);
        fc.pre(ref.timestamps.length > 0 && series.every((s) => s.length > 0));
        const named = (cs: (readonly Candle[] | CandleTable)[]) => cs.map((candles, i) => ({ symbol: `S${i}`, candles }));
        const fromArrays = alignCandleSeries(named(series), M);
        const fromTables = alignCandleSeries(named(series.map((s) => CandleTable.of(s))), M);
        for (const a of [fromArrays, fromTables]) {
          expect(a.timestamps).toEqual(ref.timestamps);
          expect(a.droppedCandles).toBe(ref.dropped);
          a.tables.forEach((t, s) => expect(sameBits(t.toCandles(), ref.candles[s]!)).toBe(true));
        }
        expect(fromTables.gaps).toEqual(fromArrays.gaps);
      }),
      { numRuns: 300 },
    );
  });
});

function drain(src: ReplaySource): string[] {
  const out: string[] = [];
  for (let ev: MarketEvent | null = src.next(); ev !== null; ev = src.next()) out.push(JSON.stringify(ev));
  return out;
}

describe('ReplaySource on tables', () => {
  it('replays a loaded table exactly as the same candles given as objects', () => {
    fc.assert(
      fc.property(
        minutesArb(40),
        minutesArb(40),
        fc.array(priceArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('bridge', 'ohlc', 'adverse'),
        fc.nat(5),
        (ma, mb, specs, intrabar, warmupBars) => {
          // JSON text has no -0: the objects hold +0 as well.
          const a = candlesAt(ma, specs).map((c) => ({ ...c, volume: c.volume + 0 }));
          const b = candlesAt(mb, [...specs].reverse()).map((c) => ({ ...c, open: c.open * 3, high: c.high * 3, low: c.low * 3, close: c.close * 3, volume: c.volume + 0 }));
          const ref = referenceAlignment([a, b]);
          fc.pre(ref.timestamps.length > warmupBars + 1);
          const config = replayConfigSchema.parse({ warmupBars, intrabar, pointsPerMinute: 4 });
          const toText = (cs: readonly Candle[]): string => JSON.stringify(cs.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume]));
          const fromObjects = new ReplaySource({ series: [{ symbol: 'A-PERP', candles: a }, { symbol: 'B-PERP', candles: b }], config, seed: 7 });
          const fromTables = new ReplaySource({
            series: [{ symbol: 'A-PERP', candles: parseCandleTable(toText(a), 'a.json') }, { symbol: 'B-PERP', candles: parseCandleTable(toText(b), 'b.json') }],
            config,
            seed: 7,
          });
          expect(fromTables.stats).toEqual(fromObjects.stats);
          expect(fromTables.soundEvents).toBe(fromObjects.soundEvents);
          expect(sameBits(fromTables.history('B-PERP', 3), fromObjects.history('B-PERP', 3))).toBe(true);
          expect(sameBits(fromObjects.history('A-PERP', 3), ref.candles[0]!.slice(Math.max(0, warmupBars - 3), warmupBars))).toBe(true);
          expect(drain(fromTables)).toEqual(drain(fromObjects));
        },
      ),
      { numRuns: 60 },
    );
  });
});
