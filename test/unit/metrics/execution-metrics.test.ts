import { describe, expect, it } from 'vitest';
import { evaluatePhaseGate } from '../../../src/sizing/phase-gate.js';
import { computeExecutionMetrics, executionMetricsByDay, phaseSuccess } from '../../../src/metrics/execution-metrics.js';
import type { ExecutionInput } from '../../../src/metrics/execution-metrics.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2021, 4, 1);

/** Two days: day 1 a maker round trip that earns, day 2 a taker one that loses. */
function input(): ExecutionInput {
  return {
    fills: [
      { ts: T0 + 1_000, clientOrderId: 'a', symbol: 'ETH-PERP', side: 'buy', price: 100, size: 10, fee: 0.1, liquidity: 'maker' },
      { ts: T0 + 60_000, clientOrderId: 'b', symbol: 'ETH-PERP', side: 'sell', price: 101, size: 10, fee: 0.101, liquidity: 'maker' },
      { ts: T0 + DAY + 1_000, clientOrderId: 'c', symbol: 'ETH-PERP', side: 'buy', price: 100, size: 10, fee: 0.5, liquidity: 'taker' },
      { ts: T0 + DAY + 60_000, clientOrderId: 'd', symbol: 'ETH-PERP', side: 'sell', price: 99, size: 10, fee: 0.495, liquidity: 'taker' },
    ],
    orders: [
      { clientOrderId: 'a', tif: 'POST_ONLY', status: 'filled', createdTs: T0, size: 10, filledSize: 10, firstFillTs: T0 + 1_000 },
      { clientOrderId: 'b', tif: 'POST_ONLY', status: 'filled', createdTs: T0 + 30_000, size: 10, filledSize: 10, firstFillTs: T0 + 60_000 },
      { clientOrderId: 'c', tif: 'IOC', status: 'filled', createdTs: T0 + DAY, size: 10, filledSize: 10, firstFillTs: T0 + DAY + 1_000 },
      { clientOrderId: 'x', tif: 'POST_ONLY', status: 'rejected', createdTs: T0 + DAY, size: 10, filledSize: 0, firstFillTs: null },
      { clientOrderId: 'd', tif: 'IOC', status: 'filled', createdTs: T0 + DAY + 59_000, size: 10, filledSize: 10, firstFillTs: T0 + DAY + 60_000 },
    ],
    roundTrips: [
      { exitTs: T0 + 60_000, pnl: 10 - 0.201 },
      { exitTs: T0 + DAY + 60_000, pnl: -10 - 0.995 },
    ],
    markouts: [],
    fundingUsd: 0.5,
  };
}

describe('computeExecutionMetrics', () => {
  it('puts the run together: volume, maker share, fees, funding and net bps per volume', () => {
    const m = computeExecutionMetrics(input());
    expect(m.volumeUsd).toBe(1000 + 1010 + 1000 + 990);
    expect(m.makerShare).toBeCloseTo(2010 / 4000, 12);
    expect(m.feesUsd).toBeCloseTo(1.196, 12);
    expect(m.postOnlyRejectionRate).toBeCloseTo(1 / 3, 12);
    expect(m.avgQueueWaitMs).toBe((1_000 + 30_000) / 2);
    // Net = round trips (9.799 − 10.995) − funding 0.5 = −1.696 on 4,000 of volume.
    expect(m.netPnlUsd).toBeCloseTo(-1.696, 9);
    expect(m.netBpsPerVolume).toBeCloseTo((-1.696 / 4000) * 1e4, 9);
    expect(m.nonNegativeRoundTripShare).toBe(0.5);
    expect(m.adverseSelectionBps.s60).toBeNull();
  });

  it('splits by UTC day: each day its own fills, orders and round trips, no funding', () => {
    const days = executionMetricsByDay(input());
    expect(days.map((d) => d.day)).toEqual(['2021-05-01', '2021-05-02']);
    expect(days[0]!.metrics.makerShare).toBe(1);
    expect(days[0]!.metrics.netBpsPerVolume).toBeCloseTo((9.799 / 2010) * 1e4, 9);
    expect(days[1]!.metrics.makerShare).toBe(0);
    expect(days[1]!.metrics.postOnlyRejectionRate).toBe(1);
    expect(days[1]!.metrics.fundingUsd).toBeNull();
    expect(days[1]!.metrics.netPnlUsd).toBeCloseTo(-10.995, 9);
  });
});

describe('phaseSuccess', () => {
  it('reports seed 003’s gate and execution targets with the numbers', () => {
    const i = input();
    const total = computeExecutionMetrics(i);
    const byDay = executionMetricsByDay(i);
    const judged = evaluatePhaseGate({ phase: 1, roundTrips: i.roundTrips, dailyVolumes: byDay.map((d) => d.metrics.volumeUsd), dailyPnls: byDay.map((d) => d.metrics.netPnlUsd), manualInterventions: 0 });
    const r = phaseSuccess({ gate: judged, total });
    const gate = Object.fromEntries(r.gate.map((c) => [c.name, c]));
    expect(gate['days']!.actual).toBe(2);
    expect(gate['non_negative_pnl_share']).toMatchObject({ actual: 0.5, required: 0.95, met: false });
    expect(gate['daily_volume']!.actual).toBe(2000); // the mean of the days, not the lowest
    const ex = Object.fromEntries(r.execution.map((c) => [c.name, c]));
    expect(ex['post_only_fill_share']).toMatchObject({ actual: 0.5, required: 0.7, met: false });
    expect(ex['spread_capture_bps']).toMatchObject({ actual: null, met: false });
    expect(ex['net_bps_per_volume']!.met).toBe(false);
    expect(r.met).toBe(false);
  });

  it('meets the execution targets when the numbers do', () => {
    const total = { ...computeExecutionMetrics(input()), makerFillShare: 0.75, spreadCaptureBps: 21, netBpsPerVolume: 8 };
    const r = phaseSuccess({ gate: evaluatePhaseGate({ phase: 1, roundTrips: [], dailyVolumes: [], dailyPnls: [], manualInterventions: 0 }), total });
    expect(r.execution.every((c) => c.met)).toBe(true);
    expect(r.met).toBe(false); // the gate still needs days, round trips and volume
  });
});
