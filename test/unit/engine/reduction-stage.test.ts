import { describe, expect, it } from 'vitest';
import { reductionStage, type StageLeg } from '../../../src/engine/reduction-stage.js';

const eth = (held: number, total: number, weight = 1): StageLeg => ({ held, total, mark: 3_000, weight, long: true });
const sol = (held: number, total: number): StageLeg => ({ held, total, mark: 150, weight: 1, long: false });

describe('reductionStage', () => {
  it.each([
    // [case, legs, expected stage sizes]
    ['an exit of level legs: both whole', [eth(1, 1), sol(20, 20)], [1, 20]],
    ['an exit $90 long-heavy: both whole (the head start hedges the $90 first)', [eth(1, 1), sol(19.4, 19.4)], [1, 19.4]],
    ['a proportional harvest $90 long-heavy: ETH whole, SOL to the level point; its $63 tail later', [eth(1, 0.3), sol(19.4, 5.82)], [0.3, 5.4]],
    ['a proportional harvest $90 short-heavy: SOL whole, ETH to the level point; its tail later', [eth(0.97, 0.291), sol(20, 6)], [0.27, 6]],
    ['a rebalance to level legs from $90 long-heavy: the same as an exit', [eth(1, 0.5), sol(19.4, 9.4)], [0.5, 9.4]],
    ['more off than the heavy leg moves: that leg alone first', [eth(1, 0.01), sol(18, 2)], [0.01, 0]],
    ['hedged at beta 0.9: $2,700 of ETH against $2,700 of SOL is level', [eth(1, 0.5, 0.9), sol(18, 9)], [0.5, 9]],
  ] as const)('%s', (_, legs, expected) => {
    const s = reductionStage(legs as unknown as [StageLeg, StageLeg]);
    expect(s[0]).toBeCloseTo(expected[0], 9);
    expect(s[1]).toBeCloseTo(expected[1], 9);
  });

  it('never moves more than a leg has to move, and leaves the tail on one leg only', () => {
    for (const [a, b] of [[0.3, 5.82], [0.5, 1], [0.01, 19], [1, 19.4]] as const) {
      const legs: [StageLeg, StageLeg] = [eth(1, a), sol(19.4, b)];
      const s = reductionStage(legs);
      expect(s[0]).toBeLessThanOrEqual(a);
      expect(s[1]).toBeLessThanOrEqual(b);
      expect(s[0] === a || s[1] === b).toBe(true);
    }
  });
});
