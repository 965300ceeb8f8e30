import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDnbotError } from '../../../src/core/errors.js';
import { parseRebalanceTargets, planRebalance } from '../../../src/hedging/rebalance-plan.js';

const inst = { lotSize: 0.01, minSize: 0.01, minNotional: 10 };
const limits = { maxPositionSizePercent: 0.3, maxPositionSizeUsd: 50_000, maxPortfolioLeverage: 5 };
const fieldOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return isDnbotError(e) ? String(e.details['field']) : 'not a DnbotError';
  }
};

describe('planRebalance: seed 002 rebalance_portfolio', () => {
  it('by hand: ETH 1 @ 3,000 to 10% of $10,000 sells 0.67 ETH reduce-only (to 0.33); SOL flat to −10% sells 6.66 SOL opening', () => {
    const p = planRebalance(
      [
        { symbol: 'ETH-PERP', size: 1, mark: 3_000, instrument: inst },
        { symbol: 'SOL-PERP', size: 0, mark: 150, instrument: inst },
        { symbol: 'BTC-PERP', size: 0.1, mark: 60_000, instrument: inst },
      ],
      new Map([['ETH-PERP', 0.1], ['SOL-PERP', -0.1]]),
      10_000,
    );
    expect(p.trades).toEqual([
      { market: 'ETH-PERP', side: 'sell', size: 0.67, reduceOnly: true, fromNotionalUsd: 3_000, toNotionalUsd: expect.closeTo(990, 6) as number, notionalUsd: expect.closeTo(2_010, 6) as number },
      { market: 'SOL-PERP', side: 'sell', size: 6.66, reduceOnly: false, fromNotionalUsd: 0, toNotionalUsd: expect.closeTo(-999, 6) as number, notionalUsd: expect.closeTo(999, 6) as number },
    ]);
    expect(p.grossAfterUsd).toBeCloseTo(990 + 999 + 6_000, 6); // BTC untouched
  });

  it('a target across zero is a reduce-only close then an opening trade; a target already held is skipped', () => {
    const p = planRebalance([{ symbol: 'SOL-PERP', size: 2, mark: 100, instrument: inst }], new Map([['SOL-PERP', -0.05]]), 10_000);
    expect(p.trades.map((t) => [t.side, t.size, t.reduceOnly])).toEqual([['sell', 2, true], ['sell', 5, false]]);
    const same = planRebalance([{ symbol: 'SOL-PERP', size: 5, mark: 100, instrument: inst }], new Map([['SOL-PERP', 0.05]]), 10_000);
    expect(same.trades).toEqual([]);
    expect(same.skipped).toEqual([{ market: 'SOL-PERP', reason: 'already at target' }]);
  });

  it('property: after the trades each targeted market is within one lot (or the minimum) of its target, never past it', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: 1, max: 5_000, noNaN: true }), (held, f, mark) => {
        const size = Math.round(held * 100) / 100;
        const p = planRebalance([{ symbol: 'X', size, mark, instrument: inst }], new Map([['X', f]]), 10_000);
        const after = p.trades.reduce((a, t) => a + (t.side === 'buy' ? t.size : -t.size), size);
        const target = (f * 10_000) / mark;
        const slack = Math.max(inst.lotSize, inst.minSize, inst.minNotional / mark) * 2 + 1e-9;
        expect(Math.abs(after - target)).toBeLessThanOrEqual(Math.max(slack, Math.abs(size - target)));
        for (const t of p.trades) if (t.reduceOnly) expect(t.size).toBeLessThanOrEqual(Math.abs(size) + 1e-9);
      }),
    );
  });
});

describe('parseRebalanceTargets: bad input names the field', () => {
  const known = new Set(['ETH-PERP', 'SOL-PERP']);
  it.each([
    ['ETH-PERP', '--target'],
    ['ETH-PERP=abc', '--target'],
    ['DOGE-PERP=0.1', '--target.DOGE-PERP'],
    ['ETH-PERP=0.1,ETH-PERP=0.2', '--target.ETH-PERP'],
    ['ETH-PERP=0.5', '--target.ETH-PERP'],
    ['', '--target'],
  ])('%s → %s', (text, field) => {
    expect(fieldOf(() => parseRebalanceTargets(text, known, 10_000, limits))).toBe(field);
  });

  it('a gross over maxPortfolioLeverage names --target; a dollar cap names the market', () => {
    expect(fieldOf(() => parseRebalanceTargets('ETH-PERP=0.3,SOL-PERP=-0.3', known, 10_000, { ...limits, maxPortfolioLeverage: 0.5 }))).toBe('--target');
    expect(fieldOf(() => parseRebalanceTargets('ETH-PERP=0.3', known, 1e6, limits))).toBe('--target.ETH-PERP');
    expect([...parseRebalanceTargets('ETH-PERP=0.1, SOL-PERP=-0.1', known, 10_000, limits)]).toEqual([['ETH-PERP', 0.1], ['SOL-PERP', -0.1]]);
  });
});
