import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDriftRebalance, type DriftInput, type DriftLeg } from '../../../src/hedging/drift-rebalance.js';

// ETH-like long leg (lot 0.001 at 3,000 = $3) and SOL-like short leg (lot 0.01 at 40 = $0.40), $10 minimum.
const eth = (size: number, mark = 3_000): DriftLeg => ({ size, mark, lotSize: 0.001, minSize: 0.001, minNotional: 10 });
const sol = (size: number, mark = 40): DriftLeg => ({ size, mark, lotSize: 0.01, minSize: 0.01, minNotional: 10 });
const input = (p: Partial<DriftInput>): DriftInput => ({ long: eth(0.2), short: sol(15), hedgeRatio: 1, share: 0.01, targetGrossUsd: 1_200, ...p });

describe('planDriftRebalance', () => {
  it.each([
    // [case, long ETH size, short SOL size, target gross, expected]
    ['matched legs: nothing', 0.2, 15, 1_200, null],
    ['$11.60 apart on $1,188 gross (0.98%): inside 1%, nothing', 0.2, 14.71, 1_200, null],
    ['$20 apart below the target gross: add $20 to the light short leg', 0.2, 14.5, 1_200, { leg: 'short', side: 'sell', size: 0.5, reduceOnly: false }],
    ['$20 apart at the target gross: trim $20 off the heavy long leg', 0.2, 14.5, 1_150, { leg: 'long', side: 'sell', size: 0.007, reduceOnly: true }],
    ['short heavy by $30 below the target: buy $30 of the light long leg', 0.2, 15.75, 1_300, { leg: 'long', side: 'buy', size: 0.01, reduceOnly: false }],
    ['short heavy by $30 at the target: buy back $30 of the heavy short leg', 0.2, 15.75, 1_200, { leg: 'short', side: 'buy', size: 0.75, reduceOnly: true }],
  ] as const)('%s', (_, longSize, shortSize, targetGrossUsd, expected) => {
    const t = planDriftRebalance(input({ long: eth(longSize), short: sol(shortSize), targetGrossUsd }));
    if (expected === null) expect(t).toBeNull();
    else {
      expect(t).toMatchObject({ leg: expected.leg, side: expected.side, reduceOnly: expected.reduceOnly });
      expect(t!.size).toBeCloseTo(expected.size, 9);
    }
  });

  it('acts on drift from prices alone: the same sizes are out of balance once the coins diverge', () => {
    expect(planDriftRebalance(input({ long: eth(0.2, 3_000), short: sol(15, 40) }))).toBeNull();
    // ETH +3% against SOL: the long leg is now $18 heavier.
    const t = planDriftRebalance(input({ long: eth(0.2, 3_090), short: sol(15, 40), targetGrossUsd: 1_000 }));
    expect(t).toMatchObject({ leg: 'long', side: 'sell', reduceOnly: true });
    expect(t!.size).toBeCloseTo(0.006, 9);
    expect(t!.deltaUsd).toBeCloseTo(18, 6);
  });

  it('weights the long leg by the hedge ratio', () => {
    // 0.2 ETH at 3,000 with beta 0.9 hedges $540 of SOL: 13.5 SOL is neutral, 15 is $60 short-heavy.
    expect(planDriftRebalance(input({ short: sol(13.5), hedgeRatio: 0.9 }))).toBeNull();
    const t = planDriftRebalance(input({ hedgeRatio: 0.9, targetGrossUsd: 2_000 }));
    expect(t).toMatchObject({ leg: 'long', side: 'buy', reduceOnly: false });
    expect(t!.size).toBeCloseTo(0.022, 9);
  });

  it('uses the other leg when the preferred one cannot carry the trade, and nothing when neither can', () => {
    // $6 apart above 1% of a $200 gross: below the $10 minimum on both legs.
    expect(planDriftRebalance(input({ long: eth(0.035), short: sol(2.475) }))).toBeNull();
    // $10 long-heavy at the target: a trim of 3 ETH lots is $9, below the minimum; the light short leg takes $10 instead.
    const t = planDriftRebalance(input({ long: eth(0.004), short: sol(0.05), targetGrossUsd: 0 }));
    expect(t).toMatchObject({ leg: 'short', side: 'sell', reduceOnly: false });
  });

  it('never trims a whole leg and always leaves the pair closer to neutral (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 1_000, max: 5_000, noNaN: true }), fc.double({ min: 10, max: 200, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 10_000, noNaN: true }), (lots, solLots, ethPx, solPx, share, targetGrossUsd) => {
        const long = eth(lots * 0.001, ethPx);
        const short = sol(solLots * 0.01, solPx);
        const before = long.size * long.mark - short.size * short.mark;
        const t = planDriftRebalance({ long, short, hedgeRatio: 1, share, targetGrossUsd });
        if (t === null) return;
        expect(Math.abs(before)).toBeGreaterThan(share * (long.size * long.mark + short.size * short.mark));
        const l = t.leg === 'long' ? long : short;
        if (t.reduceOnly) expect(t.size).toBeLessThan(l.size);
        const signed = (t.side === 'buy' ? 1 : -1) * t.size * l.mark;
        const after = before + signed;
        expect(Math.abs(after)).toBeLessThan(Math.abs(before));
        expect(Math.abs(after)).toBeLessThanOrEqual(l.lotSize * l.mark / 2 + 1e-6);
      }),
    );
  });
});
