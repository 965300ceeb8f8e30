import type { Fill } from '../core/types.js';
import type { Db } from './database.js';

interface FillRow {
  venue: string;
  trade_id: string;
  client_order_id: string;
  venue_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  size: number;
  fee: number;
  liquidity: 'maker' | 'taker';
  ts: number;
}

function toFill(r: FillRow): Fill {
  return {
    tradeId: r.trade_id,
    clientOrderId: r.client_order_id,
    venueOrderId: r.venue_order_id,
    symbol: r.symbol,
    side: r.side,
    price: r.price,
    size: r.size,
    fee: r.fee,
    liquidity: r.liquidity,
    ts: r.ts,
  };
}

/** A stored fill under a legacy id is the same fill when its size and price agree this closely (relative). */
const LEGACY_MATCH_TOLERANCE = 1e-9;

/**
 * Fills, idempotent on (venue, trade id). A fill carrying `legacyTradeId` (its id before the
 * venue's id form changed) also matches one stored fill under that id, for the same order, size and
 * price: that row is renamed to the new id (with its markout), so a database written before the
 * change neither books the fill twice nor lets a second fill claim the same row.
 */
export class FillRepository {
  private readonly insertStmt;
  private readonly lastTsStmt;
  private readonly claimStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO fills (venue, trade_id, client_order_id, venue_order_id, symbol, side, price, size, fee, liquidity, ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.lastTsStmt = db.prepare('SELECT MAX(ts) AS ts FROM fills WHERE venue = ?');
    this.claimStmt = db.prepare(
      `UPDATE fills SET trade_id = @trade_id
       WHERE venue = @venue AND trade_id = @legacy AND venue_order_id = @venue_order_id
         AND ABS(size - @size) <= @tol * @size AND ABS(price - @price) <= @tol * @price
         AND NOT EXISTS (SELECT 1 FROM fills WHERE venue = @venue AND trade_id = @trade_id)`,
    );
  }

  /**
   * Returns false when this trade id was already recorded (a duplicate delivery), or when the fill
   * was recorded under its `legacyTradeId` (the row then takes the new id, and keeps its markout).
   */
  insert(venue: string, f: Fill): boolean {
    if (f.legacyTradeId !== undefined && f.legacyTradeId !== f.tradeId) {
      const claim = {
        venue, trade_id: f.tradeId, legacy: f.legacyTradeId, venue_order_id: f.venueOrderId,
        size: f.size, price: f.price, tol: LEGACY_MATCH_TOLERANCE,
      };
      if (this.claimStmt.run(claim).changes === 1) return false;
    }
    const res = this.insertStmt.run(venue, f.tradeId, f.clientOrderId, f.venueOrderId, f.symbol, f.side, f.price, f.size, f.fee, f.liquidity, f.ts);
    return res.changes === 1;
  }

  /**
   * A bot's latest `n` fills, newest first, with the purpose and pair of the order each filled.
   * Walks the fills from the newest insert back and stops after `n` of this bot's: cheap however
   * long the history (the status API asks for it on every push). CROSS JOIN keeps fills the outer
   * loop (SQLite's planner would otherwise start from every order of the bot and sort them all).
   */
  recentForBot(botId: string, n: number): (Fill & { readonly purpose: string; readonly pairId: string | null })[] {
    const rows = this.db
      .prepare(
        `SELECT f.*, o.purpose AS purpose, o.pair_id AS pair_id FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id
         WHERE o.bot_id = ? ORDER BY f.rowid DESC LIMIT ?`,
      )
      .all(botId, n) as (FillRow & { purpose: string; pair_id: string | null })[];
    return rows.map((r) => ({ ...toFill(r), purpose: r.purpose, pairId: r.pair_id }));
  }

  lastTs(venue: string): number | null {
    return (this.lastTsStmt.get(venue) as { ts: number | null }).ts;
  }

  forOrder(clientOrderId: string): Fill[] {
    return (
      this.db.prepare('SELECT * FROM fills WHERE client_order_id = ? ORDER BY ts, rowid').all(clientOrderId) as FillRow[]
    ).map(toFill);
  }

  all(venue?: string): Fill[] {
    const rows = (
      venue === undefined
        ? this.db.prepare('SELECT * FROM fills ORDER BY ts, rowid').all()
        : this.db.prepare('SELECT * FROM fills WHERE venue = ? ORDER BY ts, rowid').all(venue)
    ) as FillRow[];
    return rows.map(toFill);
  }

  /** Fees paid per symbol by one bot's orders on a venue. */
  feesBySymbol(botId: string, venue: string): Map<string, number> {
    const rows = this.db
      .prepare(
        `SELECT f.symbol AS symbol, SUM(f.fee) AS fees FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id
         WHERE o.bot_id = ? AND f.venue = ? GROUP BY f.symbol`,
      )
      .all(botId, venue) as { symbol: string; fees: number }[];
    return new Map(rows.map((r) => [r.symbol, r.fees]));
  }
}
