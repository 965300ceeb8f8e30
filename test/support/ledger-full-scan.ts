import type { BotLedgerTotals } from '../../src/engine/ledger-totals.js';
import type { Store } from '../../src/store/store.js';

/**
 * A bot's all-time figures as `/metrics` and the status API read them before they were kept as
 * running totals: one query over every row. The reference the running totals must equal.
 */
export function ledgerFullScan(store: Store, botId: string): BotLedgerTotals {
  const db = store.db;
  const pnl = db.prepare(`SELECT COALESCE(SUM(realized_pnl), 0) AS pnl FROM round_trips WHERE bot_id = ? AND status = 'closed'`).get(botId) as { pnl: number };
  const fills = db.prepare('SELECT f.symbol AS symbol, COUNT(*) AS n, COALESCE(SUM(f.fee), 0) AS fees FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = ? GROUP BY f.symbol').all(botId) as { symbol: string; n: number; fees: number }[];
  const rejections = db.prepare(`SELECT COALESCE(reject_reason, 'unknown') AS r, COUNT(*) AS n FROM orders WHERE bot_id = ? AND status = 'rejected' GROUP BY r`).all(botId) as { r: string; n: number }[];
  const sums = db.prepare('SELECT COALESCE(SUM(realized_pnl), 0) AS pnl, COALESCE(SUM(fees_usd), 0) AS fees FROM daily_volume WHERE bot_id = ?').get(botId) as { pnl: number; fees: number };
  return {
    closedPairs: store.roundTrips.count(botId)['closed'] ?? 0,
    realisedPnlUsd: pnl.pnl,
    fillsBySymbol: Object.fromEntries(fills.map((f) => [f.symbol, f.n])),
    feesUsd: fills.reduce((a, f) => a + f.fees, 0),
    ordersByStatus: store.orders.countByStatus(botId),
    rejectionsByReason: Object.fromEntries(rejections.map((r) => [r.r, r.n])),
    daily: { feesUsd: sums.fees, realizedPnlUsd: sums.pnl },
  };
}
