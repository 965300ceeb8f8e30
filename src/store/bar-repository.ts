import type { Db } from './database.js';

/** 1-minute closes per symbol: the price history risk analytics run on, live and in reports. */
export class BarRepository {
  private readonly insertStmt;
  private readonly rangeStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT OR REPLACE INTO bars (venue, symbol, ts, close) VALUES (?, ?, ?, ?)');
    this.rangeStmt = db.prepare('SELECT ts, close FROM bars WHERE venue = ? AND symbol = ? AND ts >= ? ORDER BY ts DESC LIMIT ?');
  }

  record(venue: string, symbol: string, ts: number, close: number): void {
    this.insertStmt.run(venue, symbol, ts, close);
  }

  /** Symbols with recorded closes on a venue. */
  symbols(venue: string): string[] {
    return (this.db.prepare('SELECT DISTINCT symbol FROM bars WHERE venue = ? ORDER BY symbol').all(venue) as { symbol: string }[]).map((r) => r.symbol);
  }

  /** The last `limit` closes since `sinceTs`, oldest first. */
  closes(venue: string, symbol: string, limit: number, sinceTs = 0): { ts: number; close: number }[] {
    return (this.rangeStmt.all(venue, symbol, sinceTs, limit) as { ts: number; close: number }[]).reverse();
  }
}
