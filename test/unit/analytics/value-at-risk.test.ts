import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { empiricalTail } from '../../../src/analytics/empirical-tail.js';
import { historicalVar, parametricVar, parametricVarFromReturns } from '../../../src/analytics/value-at-risk.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

const Z95 = 1.6448536269514722; // Φ⁻¹(0.95), published
const Z99 = 2.3263478740408408; // Φ⁻¹(0.99)
const ES95 = 2.0627128075074275; // φ(Z95) / 0.05: normal ES at 95% in σ units (textbook 2.063)
const ES99 = 2.665214220345808; // φ(Z99) / 0.01

/** Returns whose losses are 1%, 2%, …, n% in a scrambled order (order must not matter). */
function lossLadder(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(-(((i * 37) % n) + 1) / 100);
  return out;
}

describe('historicalVar: reference values', () => {
  // Losses 1..100 (%): the empirical 95% quantile is the 95th smallest loss, the worst five
  // (96..100) average 98; at 99% the 99th and the worst one; at 90% the 90th and mean(91..100).
  it.each([
    [0.95, 0.95, 0.98],
    [0.99, 0.99, 1.0],
    [0.9, 0.9, 0.955],
  ])('losses 1..100%% at %s → VaR %s, ES %s', (confidence, v, es) => {
    const r = historicalVar(lossLadder(100), { confidence });
    expect(r.valueAtRisk).toBeCloseTo(v, 12);
    expect(r.expectedShortfall).toBeCloseTo(es, 12);
    expect(r.valueAtRiskUsd).toBeNull();
    expect(r.horizonPeriods).toBe(1);
  });

  it('ES of a uniform loss: losses (i − ½)/1000 on [0, 1] → ES95 = (1 + 0.95)/2 = 0.975', () => {
    const returns = Array.from({ length: 1000 }, (_, i) => -((((i * 611) % 1000) + 0.5) / 1000));
    const r = historicalVar(returns, { confidence: 0.95 });
    // The 950th smallest loss is 949.5/1000; the worst 50 are 950.5..999.5, mean 975/1000.
    expect(r.valueAtRisk).toBeCloseTo(0.9495, 12);
    expect(r.expectedShortfall).toBeCloseTo(0.975, 12);
  });

  it('a fractional tail scenario counts at the VaR: losses 1..30 at 95%', () => {
    // t = 30·0.05 = 1.5: VaR = 29th smallest = 29; ES = (30 + 0.5·29) / 1.5 = 29.6667 (in %).
    const r = historicalVar(lossLadder(30), { confidence: 0.95, portfolioValueUsd: 10_000 });
    expect(r.valueAtRisk).toBeCloseTo(0.29, 12);
    expect(r.expectedShortfall).toBeCloseTo((0.3 + 0.5 * 0.29) / 1.5, 12);
    expect(r.valueAtRiskUsd).toBeCloseTo(2_900, 8);
    expect(r.expectedShortfallUsd).toBeCloseTo(((0.3 + 0.5 * 0.29) / 1.5) * 10_000, 8);
  });

  it('2-day horizon by overlapping sums, worked by hand', () => {
    const returns = [0.01, -0.02, 0.03, -0.04, 0.05, -0.06, 0.02, -0.01, 0.0, 0.04];
    // Sums of consecutive pairs: −0.01, 0.01, −0.01, 0.01, −0.01, −0.04, 0.01, −0.01, 0.04.
    // Losses sorted: −0.04, −0.01 ×3, 0.01 ×4, 0.04. At 80%: t = 9·0.2 = 1.8, whole 1, so
    // VaR = 8th smallest = 0.01 and ES = (0.04 + 0.8·0.01) / 1.8.
    const r = historicalVar(returns, { confidence: 0.8, horizonDays: 2 });
    expect(r.horizonPeriods).toBe(2);
    expect(r.valueAtRisk).toBeCloseTo(0.01, 12);
    expect(r.expectedShortfall).toBeCloseTo(0.048 / 1.8, 12);
  });

  it('horizon in periods = horizonDays × periodsPerDay (1-minute returns, 1 day = 1440 windows)', () => {
    const returns = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? 0.001 : -0.001));
    const r = historicalVar(returns, { confidence: 0.95, horizonDays: 1, periodsPerDay: 1440 });
    // Every 1440-return window of an alternating ±0.1% series sums to exactly 0.
    expect(r.horizonPeriods).toBe(1440);
    expect(r.valueAtRisk).toBeCloseTo(0, 12);
    expect(r.expectedShortfall).toBeCloseTo(0, 12);
  });

  it('square-root-of-time scales the 1-period figures by √h', () => {
    const one = historicalVar(lossLadder(100), { confidence: 0.95 });
    const four = historicalVar(lossLadder(100), { confidence: 0.95, horizonDays: 4, horizonMethod: 'square-root-of-time' });
    expect(four.valueAtRisk).toBeCloseTo(2 * one.valueAtRisk, 12);
    expect(four.expectedShortfall).toBeCloseTo(2 * one.expectedShortfall, 12);
  });

  it('an all-gain history gives a negative VaR (a gain even in the tail)', () => {
    const r = historicalVar(Array.from({ length: 40 }, (_, i) => 0.01 + i / 1000), { confidence: 0.95 });
    expect(r.valueAtRisk).toBeCloseTo(-0.012, 12); // losses −0.049..−0.010; 38th smallest of 40
  });
});

describe('parametricVar: reference values', () => {
  it.each([
    [0.95, Z95, ES95],
    [0.99, Z99, ES99],
  ])('N(0, σ) at %s: VaR = zσ, ES = φ(z)σ/(1 − c)', (confidence, z, es) => {
    const r = parametricVar({ confidence, volatility: 0.02, portfolioValueUsd: 50_000 });
    expect(r.valueAtRisk).toBeCloseTo(z * 0.02, 14);
    expect(r.expectedShortfall).toBeCloseTo(es * 0.02, 12);
    expect(r.valueAtRiskUsd).toBeCloseTo(z * 0.02 * 50_000, 8);
  });

  it('10-day horizon: σ√10 and μ·10', () => {
    const r = parametricVar({ confidence: 0.99, volatility: 0.01, meanReturn: 0.001, horizonDays: 10 });
    expect(r.valueAtRisk).toBeCloseTo(Z99 * 0.01 * Math.sqrt(10) - 0.01, 14);
    expect(r.expectedShortfall).toBeCloseTo(ES99 * 0.01 * Math.sqrt(10) - 0.01, 12);
  });

  it('7-day VaR from 1-minute volatility: h = 7 × 1440 periods', () => {
    const r = parametricVar({ confidence: 0.95, volatility: 0.0005, horizonDays: 7, periodsPerDay: 1440 });
    expect(r.horizonPeriods).toBe(10_080);
    expect(r.valueAtRisk).toBeCloseTo(Z95 * 0.0005 * Math.sqrt(10_080), 13);
  });

  it('from returns: sample mean and sample σ (n − 1)', () => {
    // [1, 2, −1, 3, 0]%: mean 1%, squared deviations 0, 1, 4, 4, 1 (×1e-4) → sample variance 2.5e-4.
    const r = parametricVarFromReturns([0.01, 0.02, -0.01, 0.03, 0], { confidence: 0.95 });
    expect(r.valueAtRisk).toBeCloseTo(Z95 * Math.sqrt(2.5e-4) - 0.01, 14);
    const zeroMean = parametricVarFromReturns([0.01, 0.02, -0.01, 0.03, 0], { confidence: 0.95, zeroMean: true });
    expect(zeroMean.valueAtRisk).toBeCloseTo(Z95 * Math.sqrt(2.5e-4), 14);
  });

  it('a constant series has σ = 0 exactly: VaR = ES = −μ', () => {
    const r = parametricVarFromReturns([0.1, 0.1, 0.1], { confidence: 0.99 });
    expect(r.valueAtRisk).toBe(-0.1);
    expect(r.expectedShortfall).toBe(-0.1);
  });
});

describe('degenerate input', () => {
  it.each<[string, string, () => unknown]>([
    ['empty history', 'E_ANALYTICS_TOO_FEW_POINTS', () => historicalVar([], { confidence: 0.95 })],
    ['99% with 50 points (< 1/(1 − c))', 'E_ANALYTICS_TOO_FEW_POINTS', () => historicalVar(lossLadder(50), { confidence: 0.99 })],
    ['horizon longer than the history', 'E_ANALYTICS_TOO_FEW_POINTS', () => historicalVar(lossLadder(30), { confidence: 0.5, horizonDays: 31 })],
    ['NaN return', 'E_ANALYTICS_INPUT', () => historicalVar([0.01, Number.NaN, 0.02], { confidence: 0.5 })],
    ['Infinity return', 'E_ANALYTICS_INPUT', () => parametricVarFromReturns([0.01, Number.POSITIVE_INFINITY], { confidence: 0.5 })],
    ['confidence 1', 'E_ANALYTICS_INPUT', () => historicalVar(lossLadder(100), { confidence: 1 })],
    ['confidence 0', 'E_ANALYTICS_INPUT', () => parametricVar({ confidence: 0, volatility: 0.01 })],
    ['confidence 95 (percent by mistake)', 'E_ANALYTICS_INPUT', () => parametricVar({ confidence: 95, volatility: 0.01 })],
    ['negative volatility', 'E_ANALYTICS_INPUT', () => parametricVar({ confidence: 0.95, volatility: -0.01 })],
    ['horizon 0', 'E_ANALYTICS_INPUT', () => parametricVar({ confidence: 0.95, volatility: 0.01, horizonDays: 0 })],
    ['fractional overlapping horizon', 'E_ANALYTICS_INPUT', () => historicalVar(lossLadder(100), { confidence: 0.9, horizonDays: 1.5 })],
    ['one return for parametric', 'E_ANALYTICS_TOO_FEW_POINTS', () => parametricVarFromReturns([0.01], { confidence: 0.95 })],
    ['negative portfolio value', 'E_ANALYTICS_INPUT', () => parametricVar({ confidence: 0.95, volatility: 0.01, portfolioValueUsd: -1 })],
  ])('%s → %s', (_name, code, fn) => {
    expect(analyticsErrorCode(fn)).toBe(code);
  });
});

describe('properties', () => {
  const history = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 110, maxLength: 400 });
  const confidencePair = fc
    .tuple(fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.double({ min: 0.5, max: 0.99, noNaN: true }))
    .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

  it('historical VaR is non-decreasing in the confidence level; ES ≥ VaR', () => {
    fc.assert(
      fc.property(history, confidencePair, fc.integer({ min: 1, max: 5 }), (r, [lo, hi], h) => {
        const a = historicalVar(r, { confidence: lo, horizonDays: h });
        const b = historicalVar(r, { confidence: hi, horizonDays: h });
        expect(b.valueAtRisk).toBeGreaterThanOrEqual(a.valueAtRisk);
        expect(b.expectedShortfall).toBeGreaterThanOrEqual(a.expectedShortfall - 1e-12);
        expect(a.expectedShortfall).toBeGreaterThanOrEqual(a.valueAtRisk);
        expect(b.expectedShortfall).toBeGreaterThanOrEqual(b.valueAtRisk);
      }),
    );
  });

  it('parametric VaR is increasing in the confidence level; ES ≥ VaR', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -0.1, max: 0.1, noNaN: true }),
        confidencePair,
        (sigma, mu, [lo, hi]) => {
          const a = parametricVar({ confidence: lo, volatility: sigma, meanReturn: mu });
          const b = parametricVar({ confidence: hi, volatility: sigma, meanReturn: mu });
          expect(b.valueAtRisk).toBeGreaterThanOrEqual(a.valueAtRisk - 1e-15);
          expect(a.expectedShortfall).toBeGreaterThanOrEqual(a.valueAtRisk);
        },
      ),
    );
  });

  it('any numbers in (including NaN, ±∞, 1e308, 5e-324): a typed error or finite figures out', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 120 }), fc.double(), (r, c) => {
        finiteOrAnalyticsError(() => historicalVar(r, { confidence: c }));
        finiteOrAnalyticsError(() => historicalVar(r, { confidence: 0.9, horizonDays: 3 }));
        finiteOrAnalyticsError(() => parametricVarFromReturns(r, { confidence: c }));
        finiteOrAnalyticsError(() => parametricVarFromReturns(r, { confidence: 0.99, horizonDays: 10 }));
      }),
    );
  });
});

/** historicalVar's figures as computed before the loss scenarios went into a reused scratch array. */
function historicalVarByNewArray(returns: readonly number[], confidence: number, h: number, scale: number): [number, number] {
  const losses: number[] = [];
  let window = 0;
  for (let i = 0; i < h; i++) window += returns[i]!;
  losses.push(-window);
  for (let i = 1; i < returns.length - h + 1; i++) {
    window += returns[i + h - 1]! - returns[i - 1]!;
    losses.push(-window);
  }
  const tail = empiricalTail(losses, confidence);
  return [tail.valueAtRisk * scale, tail.expectedShortfall * scale];
}

describe('historicalVar: the reused scenario array', () => {
  it('gives the figures of a fresh array per call, bit for bit, whatever the lengths of the calls before (property)', () => {
    const call = fc.record({
      returns: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 400 }),
      h: fc.integer({ min: 1, max: 30 }),
      confidence: fc.constantFrom(0.9, 0.95, 0.99),
      sqrt: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 6 }), (calls) => {
        for (const c of calls) {
          const h = c.sqrt ? 1 : c.h;
          const opts = c.sqrt ? { confidence: c.confidence, horizonDays: 1, periodsPerDay: c.h, horizonMethod: 'square-root-of-time' as const } : { confidence: c.confidence, horizonDays: 1, periodsPerDay: c.h };
          let want: [number, number] | 'error';
          try {
            want = historicalVarByNewArray(c.returns, c.confidence, h, c.sqrt ? Math.sqrt(c.h) : 1);
          } catch {
            want = 'error';
          }
          if (want === 'error' || c.returns.length < h) {
            expect(() => historicalVar(c.returns, opts)).toThrow();
            continue;
          }
          const got = historicalVar(c.returns, opts);
          expect(Object.is(got.valueAtRisk, want[0]) && Object.is(got.expectedShortfall, want[1])).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
