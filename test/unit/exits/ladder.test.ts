import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes, InputError } from '../../../src/core/errors.js';
import {
  INITIAL_LADDER_STATE,
  applyLadderAction,
  effectiveStop,
  ladderActions,
  nextLadderAction,
  type LadderPlan,
  type LadderState,
} from '../../../src/exits/ladder.js';

/** Seed 004 Example 1's rounded levels and the conservative scheme. */
const plan: LadderPlan = {
  tp1: 0.01252,
  tp2: 0.01886,
  tp3: 0.02624,
  sl: 0.0094,
  harvestScheme: { fractions: [0.3, 0.3, 0.4] },
};

/** Feeds returns one at a time, applying every action, as a runtime would. */
function run(returns: readonly number[], start: LadderState = INITIAL_LADDER_STATE) {
  let state = start;
  const fired: string[] = [];
  const closes: number[] = [];
  const stops: number[] = [effectiveStop(plan, state)];
  for (const r of returns) {
    const step = ladderActions(plan, state, r);
    for (const a of step.actions) {
      fired.push(a.kind === 'harvest' ? a.level : 'stop');
      closes.push(a.closeFraction);
    }
    state = step.state;
    stops.push(effectiveStop(plan, state));
  }
  return { state, fired, closes, stops };
}

describe('harvest ladder', () => {
  it('fires TP1, TP2, TP3 in order, once each, closing 30%, 30%, then the remaining 40%', () => {
    const r = run([0.005, 0.013, 0.014, 0.012, 0.019, 0.02, 0.027, 0.03]);
    expect(r.fired).toEqual(['tp1', 'tp2', 'tp3']);
    expect(r.closes[0]).toBe(0.3);
    expect(r.closes[1]).toBe(0.3);
    expect(r.closes[2]).toBeCloseTo(0.4, 12);
    expect(r.state).toEqual({ levelsHit: 3, closedFraction: 1 });
  });

  it('fires a level at exactly its return', () => {
    expect(nextLadderAction(plan, INITIAL_LADDER_STATE, plan.tp1)).toEqual({ kind: 'harvest', level: 'tp1', closeFraction: 0.3 });
  });

  it('a jump past TP2 gives TP1 first (one action per call), and both from ladderActions', () => {
    expect(nextLadderAction(plan, INITIAL_LADDER_STATE, 0.02)).toEqual({ kind: 'harvest', level: 'tp1', closeFraction: 0.3 });
    const step = ladderActions(plan, INITIAL_LADDER_STATE, 0.02);
    expect(step.actions).toEqual([
      { kind: 'harvest', level: 'tp1', closeFraction: 0.3 },
      { kind: 'harvest', level: 'tp2', closeFraction: 0.3 },
    ]);
    expect(step.state).toEqual({ levelsHit: 2, closedFraction: 0.6 });
  });

  it('a jump past TP3 harvests all three levels and closes the position', () => {
    const step = ladderActions(plan, INITIAL_LADDER_STATE, 0.05);
    expect(step.actions.map((a) => (a.kind === 'harvest' ? a.level : a.kind))).toEqual(['tp1', 'tp2', 'tp3']);
    expect(step.state.closedFraction).toBe(1);
  });

  it('replaying the same state and return fires nothing new', () => {
    const after = ladderActions(plan, INITIAL_LADDER_STATE, 0.02).state;
    expect(nextLadderAction(plan, after, 0.02)).toBeNull();
    expect(ladderActions(plan, after, 0.02).actions).toEqual([]);
    const done = ladderActions(plan, after, 0.03).state;
    for (const r of [-0.05, 0, 0.01, 0.03]) expect(nextLadderAction(plan, done, r)).toBeNull();
  });

  it('stops the whole position at −SL before TP1', () => {
    expect(effectiveStop(plan, INITIAL_LADDER_STATE)).toBe(-0.0094);
    expect(nextLadderAction(plan, INITIAL_LADDER_STATE, -0.0093)).toBeNull();
    expect(nextLadderAction(plan, INITIAL_LADDER_STATE, -0.0094)).toEqual({ kind: 'stop', closeFraction: 1, stopReturn: -0.0094 });
  });

  it('after TP1 the stop ratchets to break-even and closes what remains', () => {
    const s1 = applyLadderAction(INITIAL_LADDER_STATE, { kind: 'harvest', level: 'tp1', closeFraction: 0.3 });
    expect(effectiveStop(plan, s1)).toBe(0);
    expect(nextLadderAction(plan, s1, 0.0001)).toBeNull();
    const stop = nextLadderAction(plan, s1, -0.001);
    expect(stop).toEqual({ kind: 'stop', closeFraction: 0.7, stopReturn: 0 });
    if (stop === null) throw new Error('stop expected');
    expect(applyLadderAction(s1, stop)).toEqual({ levelsHit: 1, closedFraction: 1 });
  });

  it('a tight plan never loosens: after TP1 the stop is max(−SL, break-even)', () => {
    expect(effectiveStop({ sl: 0.02 }, { levelsHit: 2 })).toBe(0);
    expect(effectiveStop({ sl: 0.02 }, { levelsHit: 0 })).toBe(-0.02);
  });

  it('never closes more than remains', () => {
    const almost: LadderState = { levelsHit: 0, closedFraction: 0.9 };
    const a = nextLadderAction(plan, almost, 0.013);
    expect(a).toMatchObject({ kind: 'harvest', level: 'tp1' });
    expect(a?.closeFraction).toBeCloseTo(0.1, 12);
    expect(ladderActions(plan, almost, 0.05).actions).toHaveLength(1);
  });

  it.each([
    ['pairReturn', plan, INITIAL_LADDER_STATE, Number.NaN],
    ['plan', { ...plan, tp2: 0.001 }, INITIAL_LADDER_STATE, 0],
    ['plan.sl', { ...plan, sl: 0 }, INITIAL_LADDER_STATE, 0],
    ['state.levelsHit', plan, { levelsHit: 4, closedFraction: 0 } as unknown as LadderState, 0],
    ['state.closedFraction', plan, { levelsHit: 0, closedFraction: 1.5 } as LadderState, 0],
  ])('rejects a bad %s with E_INPUT_INVALID', (field, p, s, r) => {
    let caught: unknown;
    try {
      nextLadderAction(p, s, r);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe(ErrorCodes.INPUT_INVALID);
    expect((caught as InputError).field).toBe(field);
  });

  it('refuses to apply a level out of order', () => {
    expect(() => applyLadderAction(INITIAL_LADDER_STATE, { kind: 'harvest', level: 'tp2', closeFraction: 0.3 })).toThrow(InputError);
  });

  it('over any return path: levels once and in order, stop never loosens, closes ≤ 1 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.03, max: 0.04, noNaN: true }), { maxLength: 80 }), (returns) => {
        const r = run(returns);
        const harvests = r.fired.filter((f) => f !== 'stop');
        expect(harvests).toEqual(['tp1', 'tp2', 'tp3'].slice(0, harvests.length));
        expect(r.fired.filter((f) => f === 'stop').length).toBeLessThanOrEqual(1);
        if (r.fired.includes('stop')) expect(r.fired.at(-1)).toBe('stop');
        for (let i = 1; i < r.stops.length; i++) expect(r.stops[i]).toBeGreaterThanOrEqual(r.stops[i - 1] ?? -Infinity);
        const closed = r.closes.reduce((a, b) => a + b, 0);
        expect(closed).toBeLessThanOrEqual(1 + 1e-12);
        expect(r.state.closedFraction).toBeCloseTo(Math.min(1, closed), 12);
        // Replaying the final state at every return seen fires nothing already fired.
        for (const x of returns) {
          const a = nextLadderAction(plan, r.state, x);
          if (a?.kind === 'harvest') expect(harvests).not.toContain(a.level);
        }
      }),
    );
  });
});
