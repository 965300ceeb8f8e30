import { describe, expect, it } from 'vitest';
import { computeNeutrality, type NeutralityFill } from '../../../src/metrics/neutrality.js';

const f = (ts: number, symbol: string, side: 'buy' | 'sell', size: number, price: number): NeutralityFill => ({ ts, symbol, side, size, price });

describe('neutrality from fills', () => {
  // A pair legged in (ETH first, SOL 10 s later), topped up on ETH, matched on SOL, closed at one instant.
  const fills = [
    f(0, 'ETH', 'buy', 1, 100),
    f(10_000, 'SOL', 'sell', 2, 50),
    f(40_000, 'ETH', 'buy', 0.5, 110),
    f(50_000, 'SOL', 'sell', 1, 55),
    f(80_000, 'ETH', 'sell', 1.5, 120),
    f(80_000, 'SOL', 'buy', 3, 60),
  ];

  it('matches the hand-computed golden values', () => {
    const m = computeNeutrality({ fills, fromTs: 0, toTs: 100_000 });
    // Holding 0–80 s; |Δ| is $100 for 10 s and $65 for 10 s (ETH 1.5 @ 110 against SOL −2 @ 50).
    expect(m.holdingSeconds).toBe(80);
    expect(m.twAbsNetDeltaUsd).toBeCloseTo(1650 / 80, 9);
    // Gross: $100 × 10 s, $200 × 30 s, $265 × 10 s, $330 × 30 s.
    expect(m.twGrossUsd).toBeCloseTo(19_550 / 80, 9);
    expect(m.twAbsNetDeltaShare).toBeCloseTo(1650 / 19_550, 9);
    expect(m.maxAbsNetDeltaUsd).toBeCloseTo(100, 9);
    expect(m.maxGrossUsd).toBeCloseTo(330, 9);
    expect(m.maxAbsNetDeltaShare).toBeCloseTo(100 / 330, 9);
    // Naked at cost: ETH 155 against SOL −100 after the top-up is $55; the first leg alone is $100.
    expect(m.maxNakedUsd).toBeCloseTo(100, 9);
    expect(m.secondsAboveThreshold).toBe(20);
    expect(m.shareAboveThreshold).toBeCloseTo(0.25, 9);
  });

  it('splits the time-weighted |net delta| by the phase of the pair, the shares summing to the whole', () => {
    const m = computeNeutrality({
      fills,
      fromTs: 0,
      toTs: 100_000,
      phases: [
        { fromTs: 0, toTs: 10_000, phase: 'entering' },
        { fromTs: 20_000, toTs: 70_000, phase: 'holding' },
        { fromTs: 70_000, toTs: 80_000, phase: 'exiting' },
      ],
    });
    const p = m.byPhase!;
    // Entering: the first leg alone, $100 for 10 s on a $100 gross. Holding: the top-up's $65 for 10 s.
    expect(p.entering).toEqual({ seconds: 10, absNetDeltaShare: 1000 / 19_550, withinShare: 1 });
    expect(p.holding.seconds).toBe(50);
    expect(p.holding.absNetDeltaShare).toBeCloseTo(650 / 19_550, 12);
    // Holding's gross: $200 × 20 s, $265 × 10 s, $330 × 20 s.
    expect(p.holding.withinShare).toBeCloseTo(650 / 13_250, 12);
    expect(p.exiting).toEqual({ seconds: 10, absNetDeltaShare: 0, withinShare: 0 });
    // 10–20 s is in no span: matched, $200 gross.
    expect(p.other).toEqual({ seconds: 10, absNetDeltaShare: 0, withinShare: 0 });
    const sum = p.entering.absNetDeltaShare! + p.holding.absNetDeltaShare! + p.exiting.absNetDeltaShare! + p.other.absNetDeltaShare!;
    expect(sum).toBeCloseTo(m.twAbsNetDeltaShare!, 12);
    expect(computeNeutrality({ fills, fromTs: 0, toTs: 100_000 }).byPhase).toBeUndefined();
  });

  it('treats fills at one instant as one event: the half-closed state never counts', () => {
    const m = computeNeutrality({ fills: fills.slice(0, 4).concat(fills.slice(4)), fromTs: 0, toTs: 100_000 });
    // Selling ETH alone first would show |Δ| = $165 for no time at all.
    expect(m.maxAbsNetDeltaUsd).toBeLessThan(165);
  });

  it('separates naked exposure (at cost) from price drift of a matched pair', () => {
    const m = computeNeutrality({ fills: [f(0, 'ETH', 'buy', 1, 100), f(0, 'SOL', 'sell', 2, 50), f(60_000, 'SOL', 'sell', 0.01, 80)], fromTs: 0, toTs: 120_000 });
    // SOL's price moved from 50 to 80: the pair's Δ drifted to 100 − 2.01 × 80, yet at cost it is nearly matched.
    expect(m.maxAbsNetDeltaUsd).toBeCloseTo(60.8, 6);
    expect(m.maxNakedUsd).toBeCloseTo(0.8, 6);
  });

  it('counts nothing while flat and gives null shares for a bot that never held', () => {
    const m = computeNeutrality({ fills: [], fromTs: 0, toTs: 1_000 });
    expect(m).toMatchObject({ holdingSeconds: 0, twAbsNetDeltaUsd: 0, twAbsNetDeltaShare: null, maxAbsNetDeltaShare: null, shareAboveThreshold: null });
  });

  it('starts from the opening positions', () => {
    const m = computeNeutrality({ fills: [f(5_000, 'SOL', 'sell', 2, 50)], opening: [{ symbol: 'ETH', size: 1, price: 100 }], fromTs: 0, toTs: 10_000 });
    expect(m.maxNakedUsd).toBeCloseTo(100, 9);
    expect(m.secondsAboveThreshold).toBe(5);
  });
});
