import { describe, expect, it } from 'vitest';
import { reductionHeadStart } from '../../../src/engine/pair-balancer.js';

describe('reductionHeadStart', () => {
  it.each([
    // [case, [total, mark, weight] × 2, expected head start in base units]
    ['level legs: nothing credited', [0.2, 3_000, 1], [15, 40, 1], [0, 0]],
    ['ETH has $100 less left (its slice filled, SOL not): ETH is credited $100', [0.1667, 3_000, 1], [15, 40, 1], [(600 - 500.1) / 3_000, 0]],
    ['SOL has $100 less left: SOL is credited 2.5 SOL', [0.2, 3_000, 1], [12.5, 40, 1], [0, 2.5]],
    ['hedged at beta 0.9: $540 of ETH against $540 of SOL is level', [0.2, 3_000, 0.9], [13.5, 40, 1], [0, 0]],
  ] as const)('%s', (_, a, b, expected) => {
    const h = reductionHeadStart([
      { total: a[0], mark: a[1], weight: a[2] },
      { total: b[0], mark: b[1], weight: b[2] },
    ]);
    expect(h[0]).toBeCloseTo(expected[0], 9);
    expect(h[1]).toBeCloseTo(expected[1], 9);
  });

  it('leaves both legs with the same weighted notional to move', () => {
    const legs = [
      { total: 0.137, mark: 2_950, weight: 0.85 },
      { total: 9.3, mark: 41.2, weight: 1 },
    ] as const;
    const h = reductionHeadStart(legs);
    const usd = legs.map((l, k) => (l.total + h[k]!) * l.mark * l.weight);
    expect(usd[0]).toBeCloseTo(usd[1]!, 9);
    expect(Math.min(h[0], h[1])).toBe(0);
  });
});
