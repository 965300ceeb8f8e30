import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/api/metrics-registry.js';
import type { ApiHandlers } from '../../src/api/api-server.js';
import { apiHandlers, metricsOfBots, statusDocument } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import type { DnbotConfig } from '../../src/cli/config-schema.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { loadExecutionMetrics } from '../../src/engine/execution-metrics-loader.js';
import { LedgerTotals, type LedgerTotalsReader } from '../../src/engine/ledger-totals.js';
import { ledgerFullScan } from '../support/ledger-full-scan.js';
import { tempDir } from './cli-harness.js';

/** The per-bot series of `/metrics` (process metrics and the wall-clock lag left out). */
const botLines = (text: string): string[] => text.split('\n').filter((l) => /^dnbot_(fills_total|order_rejections_total|orders|realised_pnl_usd|fees_usd|volume_today_usd|open_pairs|phase|halted|breakers_tripped|risk_multiplier|position_size|position_notional_usd)\{/.test(l));

describe('running totals against full-history queries on a finished simulated run', () => {
  let c: Composed;
  let config: DnbotConfig;
  let h: ApiHandlers;
  const fullScan: LedgerTotalsReader = { bot: (id) => ledgerFullScan(c.store, id) };

  beforeAll(async () => {
    config = parseConfig({ db: join(tempDir(), 'totals.db'), seed: 5, run: { speed: 'max', durationMs: 6 * 3_600_000 } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    // As `dnbot run` does: the handlers (and their totals) exist before the first event.
    h = apiHandlers(c, config);
    await c.runtime.run();
  });

  afterAll(() => {
    h.close?.();
    c.store.close();
  });

  it('the totals kept while the run wrote equal one query over every row, and a rebuild from the file', () => {
    const rebuilt = LedgerTotals.scan(c.store.db);
    for (const b of c.bots) {
      const want = ledgerFullScan(c.store, b.id);
      expect(want.closedPairs).toBeGreaterThan(0);
      expect(Object.keys(want.fillsBySymbol).length).toBeGreaterThan(0);
      const doc = h.status!() as { bots: { id: string; closedPairs: number; costs: { feesUsd: number; realizedGrossUsd: number } }[] };
      const got = doc.bots.find((x) => x.id === b.id)!;
      expect(got.closedPairs).toBe(want.closedPairs);
      expect(got.costs.feesUsd).toBe(want.daily.feesUsd);
      expect(got.costs.realizedGrossUsd).toBe(want.daily.realizedPnlUsd);
      expect(rebuilt.bot(b.id)).toEqual(want);
    }
  });

  it('/metrics prints the same per-bot series as the full-history queries', async () => {
    const reference = createMetricsRegistry({
      venue: c.venueName,
      version: 'test',
      bots: () => metricsOfBots(c, fullScan),
      limiterQueueDepth: () => 0,
      eventsProcessed: () => 0,
      droppedEvents: () => 0,
      streamLagSeconds: () => 0,
      equityUsd: () => 0,
      netDeltaUsd: () => 0,
      grossNotionalUsd: () => 0,
      riskLevel: () => null,
    });
    const got = botLines(await h.metrics!());
    expect(got.some((l) => l.startsWith('dnbot_fills_total{'))).toBe(true);
    expect(got.some((l) => l.startsWith('dnbot_orders{'))).toBe(true);
    expect(got).toEqual(botLines(await reference.metrics()));
  });

  it('/status is the document the full-history reads give: closed pairs, costs, open orders, the day\'s trades and execution', () => {
    type Doc = { live: Record<string, unknown>; bots: { id: string; venue: string; day: string; openOrders: unknown[]; dailyLimits: { trades: number }; execution: { today: unknown } }[] };
    const got = h.status!() as Doc;
    const want = statusDocument(c, config, fullScan) as unknown as Doc;
    // Wall seconds since the last event: the one figure that moves between two reads.
    delete got.live['stream_lag_seconds'];
    delete want.live['stream_lag_seconds'];
    expect(got).toEqual(want);
    for (const b of got.bots) {
      // What these read before they came from bounded reads (every order of the venue, the day's
      // trades over every order of the bot, the full execution report).
      expect(b.openOrders).toEqual(c.store.orders.active(b.venue).filter((o) => o.botId === b.id));
      const from = Date.parse(`${b.day}T00:00:00Z`);
      const keys = c.store.db
        .prepare(`SELECT DISTINCT CASE WHEN o.pair_id IS NULL THEN o.client_order_id ELSE o.pair_id || '|' || o.symbol || '|' || o.side END AS k FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = ? AND f.ts >= ? AND f.ts < ?`)
        .all(b.id, from, from + 86_400_000);
      expect(b.dailyLimits.trades).toBe(keys.length);
      expect(b.dailyLimits.trades).toBeGreaterThan(0);
      expect(b.execution.today).toEqual(loadExecutionMetrics(c.store, { botId: b.id, fromTs: from, toTs: from + 86_400_000 }).total);
    }
  });
});
