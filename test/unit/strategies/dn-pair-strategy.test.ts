import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng } from '../../../src/core/rng.js';
import { dnPairConfigSchema, type DnPairConfig } from '../../../strategies/dn-pair/dn-pair-config.js';
import { DnPairStrategy, type OpenPairView, type SpreadSignal } from '../../../strategies/dn-pair/dn-pair-strategy.js';
import { fitSpread, spreadZ } from '../../../strategies/dn-pair/spread-model.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const config = (over: Partial<DnPairConfig> = {}): DnPairConfig => dnPairConfigSchema.parse({ windowBars: 30, ...over });
const sig = (z: number): SpreadSignal => ({ z, beta: 1.2, signalStrength: 0.5, confidence: 0.9 });

/** Bars where ln(ETH) = 1.5 + 1.3·ln(SOL) + noise. */
function feedBars(s: DnPairStrategy, n: number, seed = 1): { lastA: number; lastB: number } {
  const rng = new SeededRng(seed);
  let lb = Math.log(150);
  let lastA = 0;
  let lastB = 0;
  for (let i = 0; i < n; i++) {
    lb += 0.002 * rng.normal();
    lastB = Math.exp(lb);
    lastA = Math.exp(1.5 + 1.3 * lb + 0.001 * rng.normal());
    s.onBar(T0 + i * MIN, lastA, lastB);
  }
  return { lastA, lastB };
}

describe('DnPairStrategy.decideEntry (defaults: entryZ 1.5, stopZ 4)', () => {
  const s = new DnPairStrategy(config());

  it.each([
    [1.5, 'SOL-PERP', 'ETH-PERP'], // A rich: long B, short A
    [2.7, 'SOL-PERP', 'ETH-PERP'],
    [3.99, 'SOL-PERP', 'ETH-PERP'],
    [-1.5, 'ETH-PERP', 'SOL-PERP'], // A cheap: long A, short B
    [-3.99, 'ETH-PERP', 'SOL-PERP'],
  ])('z = %s → long %s, short %s', (z, longSymbol, shortSymbol) => {
    expect(s.decideEntry(sig(z))).toMatchObject({ longSymbol, shortSymbol });
  });

  it.each([0, 1.49, -1.49, 4, -4, 7, -7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'z = %s → no entry (inside entryZ, at or beyond stopZ, or unusable)',
    (z) => {
      expect(s.decideEntry(sig(z))).toBeNull();
    },
  );

  it('passes the signal through to the decision', () => {
    const signal = sig(2);
    expect(s.decideEntry(signal)?.signal).toBe(signal);
  });
});

describe('DnPairStrategy.decideExit (defaults: exitZ 0.3, stopZ 4, stopLoss 1%, maxHold 2h)', () => {
  const s = new DnPairStrategy(config());
  const longA: OpenPairView = { longSymbol: 'ETH-PERP', openedTs: T0, pnlFraction: 0 }; // entered on z < 0
  const shortA: OpenPairView = { longSymbol: 'SOL-PERP', openedTs: T0, pnlFraction: 0 }; // entered on z > 0
  const soon = T0 + 10 * MIN;

  it.each([
    // pair, z, expected
    [longA, -2, null],
    [longA, -0.3, 'reversion'],
    [longA, 0, 'reversion'],
    [longA, 1, 'reversion'], // overshoot through zero
    [longA, -4, 'stop'],
    [longA, -6, 'stop'],
    [shortA, 2, null],
    [shortA, 0.3, 'reversion'],
    [shortA, -1, 'reversion'],
    [shortA, 4, 'stop'],
    [shortA, 5, 'stop'],
  ] as const)('%o at z = %s → %s', (pair, z, expected) => {
    expect(s.decideExit(pair, sig(z), soon)).toBe(expected);
  });

  it.each([
    [-0.0099, null],
    [-0.01, 'stop'], // at the stop loss
    [-0.05, 'stop'],
    [0.05, null],
  ] as const)('pair return %s with z still stretched → %s', (pnlFraction, expected) => {
    expect(s.decideExit({ ...longA, pnlFraction }, sig(-2), soon)).toBe(expected);
  });

  it('stops by loss even without a signal', () => {
    expect(s.decideExit({ ...shortA, pnlFraction: -0.02 }, null, soon)).toBe('stop');
    expect(s.decideExit(shortA, null, soon)).toBeNull();
  });

  it('closes at max hold, before any other reason, with or without a signal', () => {
    const at = T0 + 2 * 3_600_000;
    expect(s.decideExit(longA, sig(-2), at - 1)).toBeNull();
    expect(s.decideExit(longA, sig(-2), at)).toBe('max_hold');
    expect(s.decideExit({ ...longA, pnlFraction: -0.5 }, sig(-9), at)).toBe('max_hold');
    expect(s.decideExit(longA, null, at)).toBe('max_hold');
  });

  it('holdExpired is exactly decideExit answering max_hold, whatever the signal and return (property)', () => {
    // ExitBrain mode acts on no other exit of the strategy, so the bot reads holdExpired alone and
    // computes neither the signal nor the pair return for it.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 * 3_600_000 }),
        fc.integer({ min: -3_600_000, max: 12 * 3_600_000 }),
        fc.option(fc.double({ noNaN: false }), { nil: null }),
        fc.double({ min: -1, max: 1 }),
        fc.boolean(),
        (maxHoldMs, held, z, pnlFraction, onA) => {
          const st = new DnPairStrategy(config({ maxHoldMs }));
          const pair: OpenPairView = { longSymbol: onA ? 'ETH-PERP' : 'SOL-PERP', openedTs: T0, pnlFraction };
          expect(st.holdExpired(T0, T0 + held)).toBe(st.decideExit(pair, z === null ? null : sig(z), T0 + held) === 'max_hold');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('DnPairStrategy.signal', () => {
  it('is null while warming up and available once the window is full', () => {
    const s = new DnPairStrategy(config());
    const { lastA, lastB } = feedBars(s, 29);
    expect(s.signal(lastA, lastB)).toBeNull();
    feedBars(s, 31);
    expect(s.signal(lastA, lastB)).not.toBeNull();
  });

  it('recovers the hedge ratio and reports strength and confidence', () => {
    const s = new DnPairStrategy(config({ windowBars: 200 }));
    const { lastA, lastB } = feedBars(s, 400);
    const sg = s.signal(lastA, lastB)!;
    expect(Math.abs(sg.beta - 1.3)).toBeLessThan(0.1);
    expect(sg.confidence).toBeGreaterThan(0.9);
    // A rich by far more than stopZ standard deviations: strength saturates at 1.
    expect(s.signal(lastA * 1.2, lastB)!.signalStrength).toBe(1);
    expect(s.signal(lastA * 1.2, lastB)!.z).toBeGreaterThan(0);
    expect(s.signal(lastA * 0.8, lastB)!.z).toBeLessThan(0);
  });

  it('maps |z| to signal strength: 0.5 at the entry band, 1 at the stop band, below 0.5 inside the entry band', () => {
    const s = new DnPairStrategy(config({ windowBars: 200 }));
    const { lastA, lastB } = feedBars(s, 400);
    const base = s.signal(lastA, lastB)!;
    // Find prices giving z at the entry band by scaling A (z is monotonic in ln A).
    const at = (targetZ: number): number => {
      let lo = 0.5;
      let hi = 2;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (s.signal(lastA * mid, lastB)!.z < targetZ) lo = mid;
        else hi = mid;
      }
      return s.signal(lastA * lo, lastB)!.signalStrength;
    };
    const { entryZ, stopZ } = s.config;
    expect(at(entryZ)).toBeCloseTo(0.5, 6);
    expect(at((entryZ + stopZ) / 2)).toBeCloseTo(0.75, 6);
    expect(at(entryZ / 2)).toBeCloseTo(0.25, 6);
    expect(at(stopZ)).toBeCloseTo(1, 6);
    expect(base.signalStrength).toBeLessThanOrEqual(1);
  });

  it('ignores bars out of order, repeated, or with unusable prices', () => {
    const a = new DnPairStrategy(config());
    const b = new DnPairStrategy(config());
    const { lastA, lastB } = feedBars(a, 40);
    feedBars(b, 40);
    b.onBar(T0, 1, 1); // older than the last bar
    b.onBar(T0 + 39 * MIN, 1, 1); // repeated timestamp
    b.onBar(T0 + 40 * MIN, 0, 100);
    b.onBar(T0 + 41 * MIN, Number.NaN, 100);
    b.onBar(T0 + 42 * MIN, 100, -1);
    expect(b.signal(lastA, lastB)).toEqual(a.signal(lastA, lastB));
  });

  it('warmUp aligns candles by timestamp', () => {
    const s = new DnPairStrategy(config());
    const rng = new SeededRng(3);
    const candles = (from: number, base: number) =>
      Array.from({ length: 40 }, (_, i) => {
        const close = base * Math.exp(0.01 * rng.normal());
        return { ts: T0 + (from + i) * MIN, open: close, high: close, low: close, close, volume: 1 };
      });
    const a1 = candles(0, 3000);
    const b1 = candles(0, 150).filter((_, i) => i % 2 === 0);
    s.warmUp(a1, b1);
    expect(s.signal(3000, 150)).toBeNull(); // only 20 aligned bars: below the 30-bar window
    s.warmUp(candles(100, 3000), candles(100, 150));
    expect(s.signal(3000, 150)).not.toBeNull();
  });

  it.each([
    [0, 150],
    [3000, 0],
    [-1, 150],
    [Number.NaN, 150],
    [Number.POSITIVE_INFINITY, 150],
    [3000, Number.POSITIVE_INFINITY],
  ])('is null for unusable prices (%s, %s)', (pa, pb) => {
    const s = new DnPairStrategy(config());
    feedBars(s, 40);
    expect(s.signal(pa, pb)).toBeNull();
  });

  it('keeps signalStrength and confidence within [0, 1] for any bars and prices (property)', () => {
    const price = fc.oneof(
      fc.double({ min: 1e-6, max: 1e9, noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.MIN_VALUE, Number.MAX_VALUE),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true })), { minLength: 20, maxLength: 60 }),
        price,
        price,
        fc.record({ exitZ: fc.double({ min: 0, max: 1, noNaN: true }), entryZ: fc.double({ min: 1.1, max: 3, noNaN: true }), stopZ: fc.double({ min: 3.1, max: 10, noNaN: true }) }),
        (bars, pa, pb, bands) => {
          const s = new DnPairStrategy(config({ windowBars: 20, ...bands }));
          bars.forEach(([a, b], i) => s.onBar(T0 + i * MIN, a, b));
          const sg = s.signal(pa, pb);
          if (sg === null) return;
          for (const v of [sg.signalStrength, sg.confidence]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
          expect(Number.isFinite(sg.z)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('DnPairStrategy: the z-score first, the signal built only where it is used', () => {
  const s = new DnPairStrategy(config());
  const { lastA, lastB } = feedBars(s, 40, 7);

  it('signal(a, b) is signalAt(z(a, b)), null together (property)', () => {
    const price = (p: number) => fc.oneof(fc.double({ min: p * 0.97, max: p * 1.03, noNaN: true }), fc.constantFrom(0, -1, Number.NaN, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(price(lastA), price(lastB), (a, b) => {
        const z = s.z(a, b);
        const sig = s.signal(a, b);
        if (z === null) expect(sig).toBeNull();
        else expect(sig).toEqual(s.signalAt(z));
      }),
    );
  });

  it('decideEntry enters on a signal exactly when its z-score is in the entry band, [entryZ, stopZ) in size (property)', () => {
    const z = fc.oneof(fc.double({ noNaN: false }), fc.constantFrom(1.5, -1.5, 4, -4, 1.5 + 1e-12, 4 - 1e-12, 0, Number.NaN));
    fc.assert(
      fc.property(z, (v) => {
        const inBand = Math.abs(v) >= 1.5 && Math.abs(v) < 4;
        expect(s.inEntryBand(v)).toBe(inBand);
        expect(s.decideEntry(s.signalAt(v)) !== null).toBe(inBand);
      }),
      { numRuns: 500 },
    );
  });
});

describe('DnPairStrategy.z keeps the last log of each leg', () => {
  it('gives, bit for bit, the z of a fit of the same window at every call, prices repeated or not, bars in between (property)', () => {
    // z takes a new log only of a price that moved: the reference fits the window itself and
    // takes both logs on every call.
    const price = fc.integer({ min: 1, max: 400 }).map((k) => 100 + k / 8);
    const bar = fc.record({ kind: fc.constant('bar' as const), a: price, b: price });
    const step = fc.oneof(
      bar,
      { arbitrary: fc.record({ kind: fc.constant('z' as const), a: fc.option(price, { nil: undefined }), b: fc.option(price, { nil: undefined }) }), weight: 4 },
    );
    fc.assert(
      // The window filled (or nearly) first, so that most calls have a fit.
      fc.property(fc.array(bar, { minLength: 18, maxLength: 20 }), fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (warm, steps) => {
        const s = new DnPairStrategy(config({ windowBars: 20 }));
        const closes: [number, number][] = [];
        let a = 150;
        let b = 120;
        let ts = T0;
        for (const st of [...warm, ...steps]) {
          if (st.kind === 'bar') {
            ts += MIN;
            s.onBar(ts, st.a, st.b);
            closes.push([st.a, st.b]);
            continue;
          }
          // A side left out keeps its last price: one leg moves, as a book moves one.
          a = st.a ?? a;
          b = st.b ?? b;
          const window = closes.slice(-20);
          const fit = window.length < 20 ? null : fitSpread(window.map(([x]) => Math.log(x)), window.map(([, y]) => Math.log(y)));
          const want = fit === null ? null : spreadZ(fit, a, b);
          const got = s.z(a, b);
          expect(got === null || want === null ? got === want : Object.is(got, want)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
