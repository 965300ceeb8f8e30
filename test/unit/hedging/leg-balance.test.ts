import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planLegBalance, type BalanceInput, type BalanceLeg, type BalanceOrder } from '../../../src/hedging/leg-balance.js';

const leg = (p: Partial<BalanceLeg>): BalanceLeg => ({ side: 'buy', total: 1, done: 0, working: [], touch: 100, mark: 100, lotSize: 0.001, tickSize: 0.01, minSize: 0.001, minNotional: 1, ...p });
const input = (p: Partial<BalanceInput>): BalanceInput => ({
  legs: [leg({}), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01 })],
  now: 1_000,
  nakedSince: null,
  sliceEnd: 0,
  allowNewSlice: true,
  config: { sliceUsd: 25, nakedMaxUsd: 25, nakedMaxMs: 10_000 },
  ...p,
});
const order = (p: Partial<BalanceOrder>): BalanceOrder => ({ id: 'x', remaining: 0.25, price: 100, postOnly: true, settling: false, ...p });

describe('planLegBalance', () => {
  it('starts with one slice on each leg, post-only at the touch', () => {
    const p = planLegBalance(input({}));
    expect(p.sliceEnd).toBeCloseTo(0.25, 9);
    expect(p.actions).toEqual([
      { kind: 'post', leg: 0, size: 0.25, price: 100, why: 'slice to 25% of the leg' },
      { kind: 'post', leg: 1, size: 1, price: 25.01, why: 'slice to 25% of the leg' },
    ]);
  });

  it('hedges a fill on one leg with the other at the touch, resized to the filled notional', () => {
    // Leg 0 filled its whole slice; leg 1's slice order rests off the touch: cancel, then post what is missing.
    const base = { sliceEnd: 0.25, nakedSince: null };
    const off = planLegBalance(input({ ...base, legs: [leg({ done: 0.25 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.0, working: [order({ id: 'b', remaining: 1, price: 25.05 })] })] }));
    expect(off.actions).toEqual([{ kind: 'cancel', leg: 1, id: 'b', why: 'hedge resized or repriced to the touch' }]);
    expect(off.nakedSince).toBe(1_000);
    expect(off.nakedUsd).toBeCloseTo(25, 9);
    const gone = planLegBalance(input({ ...base, nakedSince: 1_000, now: 1_050, legs: [leg({ done: 0.1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.0 })] }));
    expect(gone.actions).toEqual([{ kind: 'post', leg: 1, size: 0.4, price: 25, why: 'hedge on fill: $10.00 behind' }]);
  });

  it('keeps a hedge order that is at the touch and between the need and the rest of its slice', () => {
    const p = planLegBalance(input({ sliceEnd: 0.25, legs: [leg({ done: 0.1, working: [order({ remaining: 0.15 })] }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01, working: [order({ id: 'b', remaining: 1, price: 25.01 })] })] }));
    expect(p.actions).toEqual([]);
  });

  it('crosses by IOC for exactly the missing size once the naked notional is too old or too large', () => {
    const old = planLegBalance(input({ sliceEnd: 0.25, nakedSince: 0, now: 10_000, legs: [leg({ done: 0.1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01, working: [order({ id: 'b', remaining: 1, price: 25.01 })] })] }));
    expect(old.actions).toEqual([{ kind: 'cancel', leg: 1, id: 'b', why: 'naked too long or too large: crossing instead' }]);
    const cancelled = planLegBalance(input({ sliceEnd: 0.25, nakedSince: 0, now: 10_050, legs: [leg({ done: 0.1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01 })] }));
    expect(cancelled.actions).toEqual([{ kind: 'cross', leg: 1, size: 0.4, nakedUsd: 10, why: 'hedge $10.00 naked for 10050 ms' }]);
    const large = planLegBalance(input({ config: { sliceUsd: 25, nakedMaxUsd: 5, nakedMaxMs: 10_000 }, sliceEnd: 0.25, legs: [leg({ done: 0.1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01 })] }));
    expect(large.actions.map((a) => a.kind)).toEqual(['cross']);
  });

  it('sends nothing on a leg whose order is settling, and waits for an IOC in flight', () => {
    const legs = (w: BalanceOrder): BalanceInput['legs'] => [leg({ done: 0.1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01, working: [w] })];
    expect(planLegBalance(input({ sliceEnd: 0.25, nakedSince: 0, now: 20_000, legs: legs(order({ settling: true })) })).actions).toEqual([]);
    expect(planLegBalance(input({ sliceEnd: 0.25, nakedSince: 0, now: 20_000, legs: legs(order({ postOnly: false, price: 25.2, remaining: 0.4 })) })).actions).toEqual([]);
  });

  it('starts the next slice only when both legs finished the last, and completes', () => {
    const mid = planLegBalance(input({ sliceEnd: 0.25, legs: [leg({ done: 0.25 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01, done: 1 })] }));
    expect(mid.sliceEnd).toBeCloseTo(0.5, 9);
    expect(mid.actions.map((a) => a.kind === 'post' && a.size)).toEqual([0.25, 1]);
    const done = planLegBalance(input({ sliceEnd: 1, legs: [leg({ done: 1 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01, done: 4 })] }));
    expect(done.complete).toBe(true);
  });

  it('in crossing mode, sends each slice by IOC on both legs together and crosses a leg left behind at once', () => {
    const first = planLegBalance(input({ cross: true }));
    expect(first.sliceEnd).toBeCloseTo(0.25, 9);
    expect(first.actions).toEqual([
      { kind: 'take', leg: 0, size: 0.25, why: 'slice to 25% of the leg' },
      { kind: 'take', leg: 1, size: 1, why: 'slice to 25% of the leg' },
    ]);
    // One IOC filled, the other missed: the lagging leg crosses the missing size, nothing waits.
    const behind = planLegBalance(input({ cross: true, sliceEnd: 0.25, legs: [leg({ done: 0.25 }), leg({ side: 'sell', total: 4, mark: 25, touch: 25.01 })] }));
    expect(behind.actions).toEqual([{ kind: 'cross', leg: 1, size: 1, nakedUsd: 25, why: 'hedge $25.00 naked for 0 ms' }]);
    // Never a whole leg at once, however large the leg.
    const big = planLegBalance(input({ cross: true, legs: [leg({ total: 100 }), leg({ side: 'sell', total: 400, mark: 25, touch: 25.01 })] }));
    for (const a of big.actions) expect(a.kind === 'take' && a.size * (a.leg === 0 ? 100 : 25)).toBeCloseTo(25, 6);
  });

  it('cuts a leg into equal slices of at most sliceUsd, never a full slice plus a small remainder', () => {
    // $110 a leg in $100 slices: two of $55, not $100 and then $10 (nor $110 at once).
    const p = planLegBalance(input({ config: { sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000 }, legs: [leg({ total: 1.1 }), leg({ side: 'sell', total: 4.4, mark: 25, touch: 25 })] }));
    expect(p.sliceEnd).toBeCloseTo(0.5, 9);
    expect(p.actions.map((a) => (a.kind === 'post' ? a.size : null))).toEqual([0.55, 2.2]);
  });

  /**
   * A two-leg market that fills resting orders at random (one leg all, the other nothing, or any
   * mix), acknowledges posts and cancels one step late (a settling order may still fill), and fills
   * IOCs partly at random, in resting or crossing mode: whatever happens, one leg is never ahead of the other by more than one
   * slice (plus a lot), no leg ever has more committed than its total, and no order is sent twice.
   */
  it('never lets a leg run more than one slice ahead and never over-commits (property)', () => {
    type Live = { id: string; leg: 0 | 1; remaining: number; price: number; postOnly: boolean; settling: 'ack' | 'cancel' | null };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.integer({ min: 2, max: 400 }),
        fc.double({ min: 5, max: 200, noNaN: true }),
        fc.boolean(),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 30_000 })), { minLength: 5, maxLength: 80 }),
        (lotsA, lotsB, sliceUsd, cross, steps) => {
          const lot = 0.01;
          const totals = [lotsA * lot, lotsB * lot] as const;
          const marks = [100, 100 * (lotsA / lotsB)] as const;
          const done = [0, 0];
          let live: Live[] = [];
          let now = 0;
          let nakedSince: number | null = null;
          let sliceEnd = 0;
          let seq = 0;
          const notional = Math.max(totals[0] * marks[0], totals[1] * marks[1]);
          const sliceFrac = Math.min(1, sliceUsd / notional);
          for (const [fa, fb, dt] of steps) {
            now += dt;
            // The market: resting (and settling) orders fill by a random share; IOCs fill partly and die.
            for (const o of live) {
              const share = o.postOnly ? (o.leg === 0 ? fa : fb) : Math.max(fa, fb);
              const fill = Math.floor((o.remaining * share) / lot + 1e-9) * lot;
              o.remaining -= fill;
              done[o.leg]! += fill;
            }
            live = live.filter((o) => o.remaining > lot / 2 && o.postOnly && o.settling !== 'cancel');
            for (const o of live) o.settling = null;
            const view = (k: 0 | 1): BalanceLeg =>
              leg({
                side: k === 0 ? 'buy' : 'sell',
                total: totals[k],
                done: Math.min(done[k]!, totals[k]),
                mark: marks[k],
                touch: marks[k],
                lotSize: lot,
                minSize: lot,
                minNotional: 0,
                working: live.filter((o) => o.leg === k).map((o) => ({ id: o.id, remaining: o.remaining, price: o.price, postOnly: o.postOnly, settling: o.settling !== null })),
              });
            const plan = planLegBalance({ legs: [view(0), view(1)], now, nakedSince, sliceEnd, allowNewSlice: true, cross, config: { sliceUsd, nakedMaxUsd: sliceUsd / 2, nakedMaxMs: 10_000 } });
            nakedSince = plan.nakedSince;
            sliceEnd = plan.sliceEnd;
            for (const a of plan.actions) {
              if (a.kind === 'cancel') {
                const o = live.find((x) => x.id === a.id)!;
                expect(o.settling).toBeNull();
                o.settling = 'cancel';
              } else {
                live.push({ id: `o${seq++}`, leg: a.leg, remaining: a.size, price: a.kind === 'post' ? a.price : marks[a.leg], postOnly: a.kind === 'post', settling: 'ack' });
              }
            }
            for (const k of [0, 1] as const) {
              const committed = done[k]! + live.filter((o) => o.leg === k).reduce((s, o) => s + o.remaining, 0);
              expect(committed).toBeLessThanOrEqual(totals[k] + 1e-9);
            }
            const gap = Math.abs(done[0]! / totals[0] - done[1]! / totals[1]);
            expect(gap).toBeLessThanOrEqual(sliceFrac + lot / Math.min(totals[0], totals[1]) + 1e-9);
          }
        },
      ),
    );
  });
});
