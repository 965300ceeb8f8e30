import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import {
  DEFAULT_STRESS_SCENARIOS,
  defaultStressScenarios,
  frozenStressScenarios,
  stressScenarios,
  worstStressHealth,
  type StressResult,
} from '../../../src/risk/liquidation-stress.js';
import { errorCode } from '../error-code.js';

// E = 5,000; long 10 ETH @ 2,000 (20,000), short 200 SOL @ 100 (20,000), MMR 5%: MM 2,000, health 250%.
const book = [
  { symbol: 'ETH-PERP', size: 10, mark: 2_000, maintenanceMarginRatio: 0.05 },
  { symbol: 'SOL-PERP', size: -200, mark: 100, maintenanceMarginRatio: 0.05 },
];

describe('stressScenarios', () => {
  const results = stressScenarios({ equity: 5_000, positions: book });
  const byName = new Map<string, StressResult>(results.map((r) => [r.name, r]));
  const get = (name: string): StressResult => {
    const r = byName.get(name);
    if (r === undefined) throw new Error(`no scenario ${name}`);
    return r;
  };

  it('the default list: each leg and both ±10/±20%, and correlation breaks both ways', () => {
    expect(DEFAULT_STRESS_SCENARIOS).toHaveLength(16);
    expect(DEFAULT_STRESS_SCENARIOS.map((s) => s.name)).toEqual(
      expect.arrayContaining(['eth_down_10', 'eth_down_20', 'sol_down_10', 'sol_down_20', 'both_down_10', 'break_eth_down_10_sol_up_10', 'break_eth_up_10_sol_down_10']),
    );
    expect(defaultStressScenarios('BTC-PERP', 'ETH-PERP')[0]).toEqual({ name: 'btc_down_10', shocks: { 'BTC-PERP': -0.1 } });
  });

  it.each([
    // name, pnl, equity, MM, health
    // ETH −10%: pnl 10·2,000·−0.1 = −2,000; MM = 10·1,800·0.05 + 1,000 = 1,900; 3,000 / 1,900 = 157.89%
    ['eth_down_10', -2_000, 3_000, 1_900, (3_000 / 1_900) * 100],
    // SOL +10%: pnl −200·100·0.1 = −2,000; MM = 1,000 + 200·110·0.05 = 2,100; 3,000 / 2,100 = 142.86%
    ['sol_up_10', -2_000, 3_000, 2_100, (3_000 / 2_100) * 100],
    // both −10%: pnl −2,000 + 2,000 = 0; MM = 900 + 900 = 1,800; 5,000 / 1,800 = 277.78%
    ['both_down_10', 0, 5_000, 1_800, (5_000 / 1_800) * 100],
    // ETH −10%, SOL +10%: pnl −4,000; MM = 900 + 1,100 = 2,000; 1,000 / 2,000 = 50%
    ['break_eth_down_10_sol_up_10', -4_000, 1_000, 2_000, 50],
    // ETH +10%, SOL −10%: pnl +4,000; MM 2,000; 9,000 / 2,000 = 450%
    ['break_eth_up_10_sol_down_10', 4_000, 9_000, 2_000, 450],
    // ETH −20%, SOL +20%: pnl −8,000; MM = 800 + 1,200 = 2,000; −3,000 / 2,000 = −150%
    ['break_eth_down_20_sol_up_20', -8_000, -3_000, 2_000, -150],
  ])('%s → pnl %s, equity %s, MM %s, health %s', (name, pnl, equity, mm, health) => {
    const r = get(name);
    expect(r.pnl).toBeCloseTo(pnl, 9);
    expect(r.equity).toBeCloseTo(equity, 9);
    expect(r.collateral).toBeCloseTo(equity, 9);
    expect(r.maintenanceMargin).toBeCloseTo(mm, 9);
    expect(r.healthRatio).toBeCloseTo(health, 9);
  });

  it('worst health is the 20% correlation break', () => {
    expect(worstStressHealth(results)).toBeCloseTo(-150, 9);
    expect(worstStressHealth([])).toBeNull();
  });

  it('collateral moves with the PnL; unknown symbols in shocks are ignored', () => {
    const [r] = stressScenarios({ equity: 5_000, collateral: 4_000, positions: book, scenarios: [{ name: 'x', shocks: { 'ETH-PERP': -0.1, 'DOGE-PERP': 0.5 } }] });
    expect(r?.collateral).toBeCloseTo(2_000, 9);
    expect(r?.healthRatio).toBeCloseTo((2_000 / 1_900) * 100, 9);
  });

  it('no positions: health null in every scenario', () => {
    expect(stressScenarios({ equity: 1_000, positions: [] }).every((r) => r.healthRatio === null && r.pnl === 0)).toBe(true);
  });

  it.each([
    ['shock of −100%', [{ name: 'x', shocks: { 'ETH-PERP': -1 } }]],
    ['NaN shock', [{ name: 'x', shocks: { 'ETH-PERP': Number.NaN } }]],
    ['duplicate names', [{ name: 'x', shocks: {} }, { name: 'x', shocks: {} }]],
  ])('%s → InputError', (_name, scenarios) => {
    expect(errorCode(() => stressScenarios({ equity: 5_000, positions: book, scenarios }))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => frozenStressScenarios(scenarios))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('a list checked and frozen once gives what an unchecked copy gives, bit for bit; the default list is frozen to its shocks', () => {
    const copy = defaultStressScenarios();
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true }), (equity, size, mark) => {
        const positions = [
          { symbol: 'ETH-PERP', size, mark, maintenanceMarginRatio: 0.05 },
          { symbol: 'SOL-PERP', size: -size * 3, mark: mark / 7, maintenanceMarginRatio: 0.1 },
        ];
        const want = stressScenarios({ equity, positions, scenarios: copy });
        for (const got of [stressScenarios({ equity, positions }), stressScenarios({ equity, positions, scenarios: frozenStressScenarios(copy) })]) {
          expect(got).toHaveLength(want.length);
          got.forEach((r, k) => {
            const w = want[k]!;
            expect(r.name).toBe(w.name);
            for (const f of ['pnl', 'equity', 'collateral', 'maintenanceMargin', 'healthRatio'] as const) expect(Object.is(r[f], w[f])).toBe(true);
          });
        }
      }),
    );
    expect(DEFAULT_STRESS_SCENARIOS.every((s) => Object.isFrozen(s) && Object.isFrozen(s.shocks))).toBe(true);
    expect(Object.isFrozen(DEFAULT_STRESS_SCENARIOS)).toBe(true);
  });

  it('NaN equity → InputError', () => {
    expect(errorCode(() => stressScenarios({ equity: Number.NaN, positions: book }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
