import { describe, expect, it } from 'vitest';
import { comparisonRow, formatComparison, hourlyEquity } from '../../../src/metrics/run-comparison.js';

const H = 3_600_000;

const neutrality = {
  holdingSeconds: 100,
  twAbsNetDeltaUsd: 5,
  twGrossUsd: 1000,
  twAbsNetDeltaShare: 0.005,
  maxAbsNetDeltaUsd: 500,
  maxGrossUsd: 1000,
  maxAbsNetDeltaShare: 0.5,
  maxNakedUsd: 250,
  secondsAboveThreshold: 10,
  shareAboveThreshold: 0.1,
};
const costs = { feesMakerUsd: -0.5, feesTakerUsd: -0.5, takerSpreadUsd: 0, makerSpreadUsd: 0, makerAdverseUsd: 0, hedgeUsd: 0, fundingUsd: 0, marketMoveUsd: 0, netPnlUsd: -1 };

describe('run comparison', () => {
  it('keeps the last equity of each hour', () => {
    expect(hourlyEquity([{ ts: 0, equity: 1 }, { ts: H / 2, equity: 2 }, { ts: H, equity: 3 }, { ts: 3 * H, equity: 4 }])).toEqual([2, 3, 4]);
  });

  it('computes PnL from equity, the max drawdown from the hourly curve and a Sharpe that follows its sign', () => {
    const equity = [100, 110, 99, 104.5, 105].map((e, k) => ({ ts: k * H, equity: e }));
    const base = { volumeUsd: 1000, netBpsPerVolume: -2, realizedPnlUsd: 4, startingEquityUsd: 100, endingEquityUsd: 105, makerShare: 0.5, roundTrips: 3, nonNegativeRoundTripShare: 1 / 3, maxAbsNetDeltaUsd: 7, neutrality, costs };
    const row = comparisonRow({ ...base, equity });
    expect(row.pnlUsd).toBe(5);
    expect(row.maxDrawdown).toBeCloseTo(0.1, 12); // 110 → 99
    expect(row.sharpe).not.toBeNull();
    const falling = comparisonRow({ ...base, equity: [100, 99, 97, 96.5].map((e, k) => ({ ts: k * H, equity: e })) });
    expect(falling.sharpe!).toBeLessThan(0);
    expect(comparisonRow({ ...base, equity: [] }).sharpe).toBeNull();
  });

  it('marks a Sharpe annualised from under 30 days and says why under the table; not one from 30 days or more', () => {
    const base = { volumeUsd: 1000, netBpsPerVolume: -2, realizedPnlUsd: 4, startingEquityUsd: 100, endingEquityUsd: 105, makerShare: 0.5, roundTrips: 3, nonNegativeRoundTripShare: 1 / 3, maxAbsNetDeltaUsd: 7, neutrality, costs };
    const short = comparisonRow({ ...base, equity: [100, 110, 99, 104.5, 105].map((e, k) => ({ ts: k * H, equity: e })) });
    const long = comparisonRow({ ...base, equity: [100, 110, 99, 104.5, 105].map((e, k) => ({ ts: k * 10 * 24 * H, equity: e })) });
    expect(short.sharpeWindow.short).toBe(true);
    expect(long.sharpeWindow).toMatchObject({ days: 40, short: false, warning: null });
    const lines = formatComparison(short, long, ['A', 'B']);
    expect(lines.find((l) => l.startsWith('Sharpe'))).toMatch(/\d \(!\)\s+-?\d+\.\d\d$/);
    expect(lines.at(-1)).toMatch(/^\(!\) A: Sharpe annualised from 0\.17 day\(s\) of data, under 30/);
    expect(formatComparison(long, long, ['A', 'B']).some((l) => l.includes('(!)'))).toBe(false);
  });

  it('formats one line per measure with both columns', () => {
    const row = comparisonRow({ volumeUsd: 1234.5, netBpsPerVolume: -2.5, realizedPnlUsd: -1, startingEquityUsd: 100, endingEquityUsd: 99, makerShare: 0.25, roundTrips: 2, nonNegativeRoundTripShare: null, maxAbsNetDeltaUsd: 3, neutrality, costs, equity: [] });
    const lines = formatComparison(row, { ...row, volumeUsd: 99 }, ['A', 'B']);
    expect(lines[0]).toMatch(/A\s+B$/);
    expect(lines.find((l) => l.startsWith('volume'))).toMatch(/\$1,234\.50\s+\$99\.00$/);
    expect(lines.find((l) => l.startsWith('net bps'))).toMatch(/-2\.50\s+-2\.50$/);
    expect(lines.find((l) => l.startsWith('maker share'))).toMatch(/25\.0%/);
    expect(lines.find((l) => l.includes('PnL >= 0'))).toMatch(/n\/a\s+n\/a$/);
    expect(lines.find((l) => l.startsWith('|net delta| max of max gross'))).toMatch(/50\.0%\s+50\.0%$/);
    expect(lines.find((l) => l.startsWith('max naked'))).toMatch(/\$250\.00\s+\$250\.00$/);
    expect(lines.find((l) => l.startsWith('= net PnL'))).toMatch(/-\$1\.00\s+-\$1\.00$/);
  });
});
