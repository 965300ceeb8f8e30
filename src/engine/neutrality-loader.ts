import type { OrderPurpose, Side } from '../core/types.js';
import { computeCostBreakdown, type CostBreakdown, type CostFill } from '../metrics/cost-breakdown.js';
import { computeNeutrality, type NeutralityMetrics, type OpeningPosition, type PhaseSpan } from '../metrics/neutrality.js';
import type { Store } from '../store/store.js';

export interface NeutralityQuery {
  /** One bot, or every bot on `venue` together (the portfolio). */
  readonly botId: string | null;
  readonly venue?: string;
  /** Market time, inclusive. */
  readonly fromTs: number;
  /** Market time, exclusive. */
  readonly toTs: number;
  /** Funding paid over the range (positive = paid), when the caller knows it. */
  readonly fundingUsd?: number | null;
  /**
   * Marks at the end of the range (the venue's, what equity is valued at). Without them a symbol
   * is valued at the latest mid its markouts saw, else its latest fill price.
   */
  readonly endMark?: (symbol: string) => number | undefined;
}

interface Row {
  readonly ts: number;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly fee: number;
  readonly liquidity: 'maker' | 'taker';
  readonly purpose: OrderPurpose;
  readonly midAtFill: number | null;
  readonly mid60: number | null;
}

/**
 * Reads one bot's fills (with their orders' purpose and their markouts) and computes how neutral
 * it was and where its money went over [fromTs, toTs). Positions held at `fromTs` come from the
 * fills before it, valued at their last fill price.
 */
export function loadNeutralityAndCosts(store: Store, q: NeutralityQuery): { neutrality: NeutralityMetrics; costs: CostBreakdown } {
  const db = store.db;
  // The owner filter: one bot, or all of a venue's bots.
  const owner = q.botId !== null ? 'o.bot_id = ?' : 'o.venue = ?';
  const who = q.botId ?? q.venue ?? '';
  const rows = db
    .prepare(
      `SELECT f.ts AS ts, f.symbol AS symbol, f.side AS side, f.price AS price, f.size AS size, f.fee AS fee, f.liquidity AS liquidity, o.purpose AS purpose,
              f.mid_at_fill AS midAtFill, f.mid_60s AS mid60
       FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE ${owner} AND f.ts >= ? AND f.ts < ? ORDER BY f.ts, f.rowid`,
    )
    .all(who, q.fromTs, q.toTs) as Row[];
  const before = db
    .prepare(
      `SELECT f.symbol AS symbol, SUM(CASE f.side WHEN 'buy' THEN f.size ELSE -f.size END) AS size,
              (SELECT f2.price FROM fills f2 JOIN orders o2 ON o2.client_order_id = f2.client_order_id
               WHERE ${owner.replace('o.', 'o2.')} AND f2.symbol = f.symbol AND f2.ts < ? ORDER BY f2.ts DESC, f2.rowid DESC LIMIT 1) AS price
       FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE ${owner} AND f.ts < ? GROUP BY f.symbol`,
    )
    .all(who, q.fromTs, who, q.fromTs) as { symbol: string; size: number; price: number }[];
  const opening: OpeningPosition[] = before.filter((p) => Math.abs(p.size) > 1e-12);
  const lastSeen = new Map<string, number>();
  for (const p of opening) lastSeen.set(p.symbol, p.price);
  for (const r of rows) lastSeen.set(r.symbol, r.mid60 ?? r.midAtFill ?? r.price);
  const endMark = (s: string): number | undefined => q.endMark?.(s) ?? lastSeen.get(s);
  const fills: CostFill[] = rows.map((r) => ({ ...r, midAfter: r.mid60 }));
  return {
    neutrality: computeNeutrality({ fills: rows, opening, fromTs: q.fromTs, toTs: q.toTs, ...(q.botId !== null ? { phases: pairPhases(store, q.botId, q.toTs) } : {}) }),
    costs: computeCostBreakdown({ fills, opening, endMark, fundingPaidUsd: q.fundingUsd ?? 0 }),
  };
}

/**
 * One bot's pairs as phase spans: entering from the entry to the open (or to the cancel), holding
 * until the exit starts (`pair_exiting`; harvests count as holding), exiting until closed. A pair
 * still active runs to `toTs`. Portfolio queries (several bots) are not split.
 */
function pairPhases(store: Store, botId: string, toTs: number): PhaseSpan[] {
  const db = store.db;
  const pairs = db.prepare(`SELECT id, entry_ts AS entryTs, open_ts AS openTs, exit_ts AS exitTs FROM round_trips WHERE bot_id = ? ORDER BY entry_ts`).all(botId) as { id: string; entryTs: number; openTs: number | null; exitTs: number | null }[];
  const exiting = new Map<string, number>();
  for (const e of db.prepare(`SELECT ts, json_extract(data, '$.pairId') AS pairId FROM events WHERE bot_id = ? AND kind = 'pair_exiting' ORDER BY id`).all(botId) as { ts: number; pairId: string }[]) {
    if (!exiting.has(e.pairId)) exiting.set(e.pairId, e.ts);
  }
  const spans: PhaseSpan[] = [];
  const push = (fromTs: number, to: number, phase: PhaseSpan['phase']): void => {
    if (to > fromTs) spans.push({ fromTs, toTs: to, phase });
  };
  for (const p of pairs) {
    const end = p.exitTs ?? toTs;
    if (p.openTs === null) {
      push(p.entryTs, end, 'entering');
      continue;
    }
    push(p.entryTs, p.openTs, 'entering');
    const x = exiting.get(p.id);
    const exitFrom = x !== undefined && x >= p.openTs ? Math.min(x, end) : end;
    push(p.openTs, exitFrom, 'holding');
    push(exitFrom, end, 'exiting');
  }
  return spans;
}
