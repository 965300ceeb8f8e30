import type { Position } from '../core/types.js';
import type { Db } from './database.js';

interface PositionRow {
  symbol: string;
  size: number;
  entry_price: number;
  realized_pnl: number;
}

/** Our position ledger per bot and venue, built from fills. */
export class PositionRepository {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.upsertStmt = db.prepare(
      `INSERT INTO positions (bot_id, venue, symbol, size, entry_price, realized_pnl, updated_ts)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bot_id, venue, symbol) DO UPDATE SET size = excluded.size, entry_price = excluded.entry_price,
         realized_pnl = excluded.realized_pnl, updated_ts = excluded.updated_ts`,
    );
    this.getStmt = db.prepare('SELECT * FROM positions WHERE bot_id = ? AND venue = ? AND symbol = ?');
    this.listStmt = db.prepare('SELECT * FROM positions WHERE bot_id = ? AND venue = ? ORDER BY symbol');
  }

  upsert(botId: string, venue: string, p: Position, ts: number): void {
    this.upsertStmt.run(botId, venue, p.symbol, p.size, p.entryPrice, p.realizedPnl, ts);
  }

  get(botId: string, venue: string, symbol: string): Position | null {
    const r = this.getStmt.get(botId, venue, symbol) as PositionRow | undefined;
    return r ? { symbol: r.symbol, size: r.size, entryPrice: r.entry_price, realizedPnl: r.realized_pnl } : null;
  }

  list(botId: string, venue: string): Position[] {
    return (this.listStmt.all(botId, venue) as PositionRow[]).map((r) => ({
      symbol: r.symbol,
      size: r.size,
      entryPrice: r.entry_price,
      realizedPnl: r.realized_pnl,
    }));
  }
}
