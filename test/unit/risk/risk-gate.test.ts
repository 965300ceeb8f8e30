import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OrderPurpose } from '../../../src/core/types.js';
import { RISK_CHECKS, evaluateRisk, type ProposedOrder, type RiskContext } from '../../../src/risk/risk-gate.js';

const ALL_PURPOSES: readonly OrderPurpose[] = ['entry', 'exit', 'hedge', 'harvest', 'stop', 'manual', 'liquidation'];
const NON_ENTRY = ALL_PURPOSES.filter((p) => p !== 'entry');

/** Seed 003's account: $2,000 × 10 × 0.8 → $8,000 per leg. */
function ctx(over: Partial<RiskContext> = {}): RiskContext {
  return {
    collateral: 2000,
    maxLeverage: 10,
    safetyFactor: 0.8,
    positionNotional: new Map(),
    restingEntryNotional: new Map(),
    volumeGate: { allowed: true, reason: 'below daily volume target' },
    halted: false,
    ...over,
  };
}

function order(over: Partial<ProposedOrder> = {}): ProposedOrder {
  return { symbol: 'ETH-PERP', side: 'buy', size: 0.5, price: 3000, purpose: 'entry', reduceOnly: false, ...over };
}

const BLOCKERS: ReadonlyArray<readonly [string, string, Partial<RiskContext>]> = [
  ['halted', 'halt', { halted: true }],
  ['over the per-leg leverage limit', 'leverage', { positionNotional: new Map([['ETH-PERP', -7_000]]) }],
  ['resting entries use the room', 'leverage', { restingEntryNotional: new Map([['ETH-PERP', 7_000]]) }],
  ['no collateral', 'leverage', { collateral: 0 }],
  ['daily volume target reached', 'daily_volume', { volumeGate: { allowed: false, reason: 'daily volume target reached' } }],
  // Seed 001, LEARNING at 5×: this bot's margin $400 + $300 ≤ 25% of $10,000, but all bots' $3,300 + $300 > 35%.
  [
    "all bots' margin over the total leveraged-asset limit",
    'total_leveraged',
    { allocation: { tier: 'LEARNING', limit: 0.25, totalLimit: 0.35, equity: 10_000, marginInUse: 400, accountMarginInUse: 3_300, initialMarginRatio: 0.2 } },
  ],
];

describe('evaluateRisk', () => {
  it('allows a sound entry within limits', () => {
    expect(evaluateRisk(order(), ctx())).toEqual({ allowed: true, check: 'all', reason: 'passed' });
  });

  it('allows an entry exactly at the $8,000 per-leg limit and refuses one dollar over', () => {
    expect(evaluateRisk(order({ size: 1, price: 8_000 }), ctx()).allowed).toBe(true);
    const r = evaluateRisk(order({ size: 1, price: 8_001 }), ctx());
    expect(r).toMatchObject({ allowed: false, check: 'leverage' });
    expect(r.reason).toBe('Position $8,001 exceeds safe limit $8,000 (collateral: $2,000, leverage: 10×, safety: 0.8)');
  });

  it.each(BLOCKERS)('blocks an entry when %s (check %s)', (_name, check, over) => {
    expect(evaluateRisk(order(), ctx(over))).toMatchObject({ allowed: false, check });
  });

  it.each(NON_ENTRY.flatMap((purpose) => BLOCKERS.map(([name, , over]) => [purpose, name, over] as const)))(
    'never blocks a %s order because %s',
    (purpose, _name, over) => {
      expect(evaluateRisk(order({ purpose, side: 'sell', reduceOnly: true }), ctx(over)).allowed).toBe(true);
    },
  );

  it('never blocks a non-entry even with every entry gate closed at once', () => {
    const everything = ctx({ halted: true, collateral: 0, volumeGate: { allowed: false, reason: 'target' } });
    for (const purpose of NON_ENTRY) expect(evaluateRisk(order({ purpose, size: 1_000 }), everything).allowed).toBe(true);
  });

  const insane: ReadonlyArray<readonly [string, Partial<ProposedOrder>]> = [
    ['NaN size', { size: Number.NaN }],
    ['zero size', { size: 0 }],
    ['negative size', { size: -1 }],
    ['infinite size', { size: Number.POSITIVE_INFINITY }],
    ['NaN price', { price: Number.NaN }],
    ['zero price', { price: 0 }],
    ['negative price', { price: -3000 }],
    ['infinite price', { price: Number.POSITIVE_INFINITY }],
  ];

  it.each(ALL_PURPOSES.flatMap((purpose) => insane.map(([name, over]) => [purpose, name, over] as const)))(
    'refuses a %s order with %s (sanity)',
    (purpose, _name, over) => {
      expect(evaluateRisk(order({ purpose, ...over }), ctx())).toMatchObject({ allowed: false, check: 'sanity' });
    },
  );

  it('reports the first refusal in check order (sanity before halt before leverage before volume)', () => {
    expect(RISK_CHECKS.map(([name]) => name)).toEqual(['sanity', 'halt', 'circuit_breaker', 'leverage', 'allocation_tier', 'total_leveraged', 'risk_limits', 'daily_volume']);
    const all = ctx({ halted: true, collateral: 0, volumeGate: { allowed: false, reason: 'target' } });
    expect(evaluateRisk(order({ size: 0 }), all).check).toBe('sanity');
    expect(evaluateRisk(order(), all).check).toBe('halt');
    expect(evaluateRisk(order(), { ...all, halted: false }).check).toBe('leverage');
    expect(evaluateRisk(order(), { ...all, halted: false, collateral: 2000 }).check).toBe('daily_volume');
  });

  it('fails closed when collateral is unknown (NaN)', () => {
    expect(evaluateRisk(order(), ctx({ collateral: Number.NaN }))).toMatchObject({ allowed: false, check: 'leverage' });
  });

  it('allowed entries never take a leg past collateral × leverage × safety / 2 (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-4, max: 1e3, noNaN: true }),
        fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        (collateral, maxLeverage, safetyFactor, held, resting, size, price) => {
          const c = ctx({
            collateral,
            maxLeverage,
            safetyFactor,
            positionNotional: new Map([['ETH-PERP', held]]),
            restingEntryNotional: new Map([['ETH-PERP', resting]]),
          });
          const d = evaluateRisk(order({ size, price }), c);
          const total = Math.abs(held) + resting + size * price;
          expect(d.allowed).toBe(total <= (collateral * maxLeverage * safetyFactor) / 2);
        },
      ),
    );
  });
});
