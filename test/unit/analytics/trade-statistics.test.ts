import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tradeStatistics } from '../../../src/analytics/trade-statistics.js';
import { analyticsErrorCode, finiteOrAnalyticsError } from './analytics-error-code.js';

describe('tradeStatistics over round-trip PnLs', () => {
  it('worked example: [10, −5, 0, 20, −15, 5]', () => {
    // Wins 10, 20, 5 (gross 35); losses −5, −15 (gross 20); one breakeven; 6 trades, net 15.
    const s = tradeStatistics([10, -5, 0, 20, -15, 5]);
    expect(s).toEqual({
      totalTrades: 6,
      winningTrades: 3,
      losingTrades: 2,
      breakevenTrades: 1,
      winRate: 0.5,
      grossProfit: 35,
      grossLoss: 20,
      profitFactor: 1.75,
      netPnl: 15,
      averagePnl: 2.5,
      averageWin: 35 / 3,
      averageLoss: -10,
      largestWin: 20,
      largestLoss: -15,
    });
  });

  it('no trades yet: counts 0, ratios null (not an error)', () => {
    const s = tradeStatistics([]);
    expect(s.totalTrades).toBe(0);
    expect(s.winRate).toBeNull();
    expect(s.profitFactor).toBeNull();
    expect(s.averagePnl).toBeNull();
    expect(s.averageWin).toBeNull();
    expect(s.largestLoss).toBeNull();
  });

  it('no losing trade: profit factor null (undefined, not ∞)', () => {
    const s = tradeStatistics([1, 2]);
    expect(s.profitFactor).toBeNull();
    expect(s.averageLoss).toBeNull();
    expect(s.winRate).toBe(1);
  });

  it('a breakeven tolerance moves fee-sized PnLs out of wins and losses', () => {
    const s = tradeStatistics([0.3, -0.2, 1, -3], { breakevenTolerance: 0.5 });
    expect([s.winningTrades, s.losingTrades, s.breakevenTrades]).toEqual([1, 1, 2]);
    expect(s.netPnl).toBeCloseTo(-1.9, 14);
  });

  it('degenerate input', () => {
    expect(analyticsErrorCode(() => tradeStatistics([1, Number.NaN]))).toBe('E_ANALYTICS_INPUT');
    expect(analyticsErrorCode(() => tradeStatistics([1], { breakevenTolerance: -1 }))).toBe('E_ANALYTICS_INPUT');
  });

  it('counts add up, rates are in range, nothing non-finite (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 100 }), (pnls) => {
        const s = tradeStatistics(pnls);
        expect(s.winningTrades + s.losingTrades + s.breakevenTrades).toBe(s.totalTrades);
        if (s.winRate !== null) {
          expect(s.winRate).toBeGreaterThanOrEqual(0);
          expect(s.winRate).toBeLessThanOrEqual(1);
        }
        if (s.profitFactor !== null) expect(s.profitFactor).toBeGreaterThanOrEqual(0);
        finiteOrAnalyticsError(() => s);
      }),
    );
    fc.assert(fc.property(fc.array(fc.double(), { maxLength: 30 }), (pnls) => finiteOrAnalyticsError(() => tradeStatistics(pnls))));
  });
});
