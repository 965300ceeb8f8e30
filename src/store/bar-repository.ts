import type { Db } from './database.js';

/** 1-minute closes per symbol: the price history risk analytics run on, live and in reports. */
export class BarRepository {
  private readonly insertStmt;
  private readonly rangeStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT OR REPLACE INTO bars (venue, symbol, ts, close) VALUES (?, ?, ?, ?)');
    this.rangeStmt = db.prepare('SELECT ts, close FROM bars WHERE venue = ? AND symbol = ? AND ts >= ? ORDER BY ts DESC LIMIT ?');
  }

  record(venue: string, symbol: string, ts: number, close: number): void {
    this.insertStmt.run(venue, symbol, ts, close);
  }

  /** The last `limit` closes since `sinceTs`, oldest first. */
  closes(venue: string, symbol: string, limit: number, sinceTs = 0): { ts: number; close: number }[] {
    return (this.rangeStmt.all(venue, symbol, sinceTs, limit) as { ts: number; close: number }[]).reverse();
  }
}
