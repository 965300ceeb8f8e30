import type { AccountState } from '../core/types.js';
import type { Store } from '../store/store.js';
import type { Phases } from '../sizing/phases.js';
import { loadExecutionMetrics, type ExecutionMetricsReport } from './execution-metrics-loader.js';
import type { RunStats } from './run-stats.js';
import type { CostBreakdown } from '../metrics/cost-breakdown.js';
import type { NeutralityMetrics } from '../metrics/neutrality.js';
import { loadNeutralityAndCosts } from './neutrality-loader.js';

/** The `--json` summary: exactly these keys, numbers rounded to cents where money. */
export interface RunSummary {
  readonly orders: number;
  readonly fills: number;
  readonly roundTrips: number;
  readonly volumeUsd: number;
  readonly feesUsd: number;
  /** Realised trading PnL net of fees (funding is in equity). */
  readonly realizedPnlUsd: number;
  readonly fundingUsd: number;
  readonly startingEquityUsd: number;
  readonly endingEquityUsd: number;
  /** Largest |net delta| at marks after any market event. */
  readonly maxAbsNetDeltaUsd: number;
  readonly maxGrossNotionalUsd: number;
  /** How neutral all the venue's bots together were, from their fills at event resolution. */
  readonly neutrality: NeutralityMetrics;
  /** Where the money went (all bots); the terms sum to `costs.netPnlUsd`, the change in equity. */
  readonly costs: CostBreakdown;
  /** Execution metrics per bot over the run: total, per UTC day, seed 003's criteria. */
  readonly execution: readonly ExecutionMetricsReport[];
  readonly eventsProcessed: number;
  readonly droppedEvents: number;
  readonly marketStart: string | null;
  readonly marketEnd: string | null;
  readonly wallSeconds: number;
}

const cents = (v: number): number => Math.round(v * 100) / 100;

/** Summarises this run: orders and fills created at or after `sinceTs` (market time) on `venue`. */
export function summarizeRun(p: {
  store: Store;
  venue: string;
  sinceTs: number;
  stats: RunStats;
  droppedEvents: number;
  startingEquity: number;
  account: AccountState;
  fundingUsd: number;
  wallSeconds: number;
  phases?: Phases;
  /** The venue's marks at the end (open positions in the cost breakdown). */
  endMark?: (symbol: string) => number | undefined;
}): RunSummary {
  const db = p.store.db;
  const orders = (db.prepare('SELECT COUNT(*) AS n FROM orders WHERE venue = ? AND created_ts >= ?').get(p.venue, p.sinceTs) as { n: number }).n;
  const f = db
    .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(price * size), 0) AS vol, COALESCE(SUM(fee), 0) AS fees FROM fills WHERE venue = ? AND ts >= ?')
    .get(p.venue, p.sinceTs) as { n: number; vol: number; fees: number };
  const rt = db
    .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(realized_pnl), 0) AS pnl FROM round_trips WHERE status = 'closed' AND exit_ts >= ?`)
    .get(p.sinceTs) as { n: number; pnl: number };
  // Realised PnL from the ledger's cash flows would double count open legs; closed pairs are exact.
  const bots = p.store.bots.list().filter((b) => b.venue === p.venue);
  const toTs = (p.stats.lastTs ?? p.sinceTs) + 1;
  // Funding is the paper account's total: it belongs to a bot only when there is one.
  const execution = bots.map((b) =>
    loadExecutionMetrics(p.store, { botId: b.id, fromTs: p.sinceTs, toTs, fundingUsd: bots.length === 1 ? p.fundingUsd : null, ...(p.phases ? { phases: p.phases } : {}), ...(p.endMark ? { endMark: p.endMark } : {}) }),
  );
  return {
    orders,
    fills: f.n,
    roundTrips: rt.n,
    volumeUsd: cents(f.vol),
    feesUsd: cents(f.fees),
    realizedPnlUsd: cents(rt.pnl),
    fundingUsd: cents(p.fundingUsd),
    startingEquityUsd: cents(p.startingEquity),
    endingEquityUsd: cents(p.account.equity),
    maxAbsNetDeltaUsd: cents(p.stats.maxAbsNetDeltaUsd),
    maxGrossNotionalUsd: cents(p.stats.maxGrossNotionalUsd),
    ...loadNeutralityAndCosts(p.store, { botId: null, venue: p.venue, fromTs: p.sinceTs, toTs, fundingUsd: p.fundingUsd, ...(p.endMark ? { endMark: p.endMark } : {}) }),
    execution,
    eventsProcessed: p.stats.eventsProcessed,
    droppedEvents: p.droppedEvents,
    marketStart: p.stats.firstTs === null ? null : new Date(p.stats.firstTs).toISOString(),
    marketEnd: p.stats.lastTs === null ? null : new Date(p.stats.lastTs).toISOString(),
    wallSeconds: Math.round(p.wallSeconds * 1000) / 1000,
  };
}
