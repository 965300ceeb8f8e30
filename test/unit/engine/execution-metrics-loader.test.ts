import { describe, expect, it } from 'vitest';
import { formatExecutionMetrics, formatPhaseSuccess, loadExecutionMetrics } from '../../../src/engine/execution-metrics-loader.js';
import { Store } from '../../../src/store/store.js';

const T0 = Date.UTC(2021, 4, 1);
const DAY = 86_400_000;

function order(store: Store, id: string, bot: string, tif: string, status: string, ts: number, size: number, filled: number): void {
  store.db
    .prepare(
      `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status, filled_size, sizing_trace, created_ts, updated_ts)
       VALUES (?, ?, 'replay', 'ETH-PERP', 'buy', 'limit', ?, 100, ?, 0, 'entry', 'p', ?, ?, '[]', ?, ?)`,
    )
    .run(id, bot, tif, size, status, filled, ts, ts);
}

function fill(store: Store, id: string, ts: number, price: number, size: number, fee: number, liquidity: 'maker' | 'taker'): void {
  store.fills.insert('replay', { tradeId: `t-${id}-${ts}`, clientOrderId: id, venueOrderId: 'v', symbol: 'ETH-PERP', side: 'buy', price, size, fee, liquidity, ts });
}

describe('loadExecutionMetrics', () => {
  it('reads one bot’s fills, orders, round trips and markouts for a range from SQLite', () => {
    const store = Store.open(':memory:');
    try {
      store.bots.ensure('a', 'dn-pair', 'replay', T0);
      order(store, 'a1', 'a', 'POST_ONLY', 'filled', T0, 1, 1);
      fill(store, 'a1', T0 + 5_000, 100, 1, 0.01, 'maker');
      order(store, 'a2', 'a', 'POST_ONLY', 'rejected', T0 + 10, 1, 0);
      order(store, 'a3', 'a', 'IOC', 'filled', T0 + DAY, 3, 3);
      fill(store, 'a3', T0 + DAY + 50, 100, 3, 0.15, 'taker');
      // Another bot and a fill outside the range: ignored.
      order(store, 'b1', 'b', 'IOC', 'filled', T0, 9, 9);
      fill(store, 'b1', T0 + 60, 100, 9, 1, 'taker');
      order(store, 'a4', 'a', 'IOC', 'filled', T0 + 3 * DAY, 5, 5);
      fill(store, 'a4', T0 + 3 * DAY, 100, 5, 1, 'taker');
      store.db
        .prepare(`INSERT INTO round_trips (id, bot_id, status, long_symbol, short_symbol, target_notional, entry_ts, exit_ts, realized_pnl, fees, signal, updated_ts) VALUES (?, 'a', 'closed', 'ETH-PERP', 'SOL-PERP', 100, ?, ?, ?, 0, '{}', ?)`)
        .run('rt1', T0, T0 + DAY + 100, -0.2, T0);
      store.markouts.save({ venue: 'replay', tradeId: `t-a1-${T0 + 5_000}`, botId: 'a', symbol: 'ETH-PERP', side: 'buy', price: 100, size: 1, liquidity: 'maker', ts: T0 + 5_000, midAtFill: 100.1, mids: [100.1, 100, 99.9] });

      const r = loadExecutionMetrics(store, { botId: 'a', fromTs: T0, toTs: T0 + 2 * DAY, fundingUsd: 0.1 });
      expect(r.total.fills).toBe(2);
      expect(r.total.volumeUsd).toBe(400);
      expect(r.total.makerShare).toBeCloseTo(0.25, 12);
      expect(r.total.postOnlyRejectionRate).toBe(0.5);
      expect(r.total.avgQueueWaitMs).toBe(5_000);
      expect(r.total.netPnlUsd).toBeCloseTo(-0.3, 12);
      expect(r.total.netBpsPerVolume).toBeCloseTo((-0.3 / 400) * 1e4, 9);
      expect(r.total.adverseSelectionBps.s60).toBeCloseTo((0.2 / 100.1) * 1e4, 9);
      expect(r.total.spreadCaptureBps).toBeCloseTo((0.1 / 100.1) * 1e4, 9);
      expect(r.days.map((d) => d.day)).toEqual(['2021-05-01', '2021-05-02']);
      expect(r.phase?.phase).toBe(1);
      expect(r.phase?.gate.find((c) => c.name === 'round_trips')?.actual).toBe(1);
      const text = formatExecutionMetrics('run', r.total).join('\n');
      expect(text).toContain('maker 25% of volume');
      expect(text).toContain('post-only rejected 50%');
      const criteria = formatPhaseSuccess(r.phase!);
      expect(criteria).toContain('not met');
      expect(criteria).toContain('round_trips 1 >= 100 ✗');
      expect(criteria).toContain('manual_interventions 0 <= 0 ✓');
    } finally {
      store.close();
    }
  });
});
