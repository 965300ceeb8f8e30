import type { Position } from '../core/types.js';
import type { Db } from './database.js';

interface PositionRow {
  symbol: string;
  size: number;
  entry_price: number;
  realized_pnl: number;
}

/** Any UTF-16 surrogate (SQLite's UTF-8 turns a lone one into U+FFFD: two keys may name one row) or a NUL (the key separator). */
const UNSAFE_KEY = /[\uD800-\uDFFF\0]/;

/** True when SQLite gives `p`'s numbers back as they were bound: finite, and not -0 (stored as 0). */
function storedAsBound(p: Position): boolean {
  return asBound(p.size) && asBound(p.entryPrice) && asBound(p.realizedPnl);
}

function asBound(v: number): boolean {
  return Number.isFinite(v) && !Object.is(v, -0);
}

/** Our position ledger per bot and venue, built from fills. */
export class PositionRepository {
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly listStmt;
  /**
   * The positions this repository wrote, as SQLite stores them, by bot, venue and symbol; null
   * until {@link keepWrittenRows}. A fill reads its symbol's position back before booking the
   * next one: from here, ~0.2 µs instead of a ~6 µs SQLite read (229 fills a simulated day).
   */
  private kept: Map<string, Position> | null = null;

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

  /**
   * Keeps the positions this repository writes from now on, so `get` answers them from memory.
   * Valid because every write to `positions` goes through this repository (no other process
   * writes them: the writer lock), and `onRollback` is given the listener that must run whenever a
   * transaction on this connection rolls back (what was written inside may be gone). Idempotent.
   */
  keepWrittenRows(onRollback: (forget: () => void) => void): void {
    if (this.kept !== null) return;
    this.kept = new Map();
    onRollback(() => {
      this.kept = new Map();
    });
  }

  upsert(botId: string, venue: string, p: Position, ts: number): void {
    this.upsertStmt.run(botId, venue, p.symbol, p.size, p.entryPrice, p.realizedPnl, ts);
    if (this.kept === null) return;
    if (UNSAFE_KEY.test(botId) || UNSAFE_KEY.test(venue) || UNSAFE_KEY.test(p.symbol)) {
      // This row may be one a kept key names differently: forget them all.
      this.kept = new Map();
      return;
    }
    const key = `${botId}\0${venue}\0${p.symbol}`;
    if (storedAsBound(p)) this.kept.set(key, { symbol: p.symbol, size: p.size, entryPrice: p.entryPrice, realizedPnl: p.realizedPnl });
    else this.kept.delete(key);
  }

  get(botId: string, venue: string, symbol: string): Position | null {
    const k = this.kept?.get(`${botId}\0${venue}\0${symbol}`);
    if (k !== undefined) return { symbol: k.symbol, size: k.size, entryPrice: k.entryPrice, realizedPnl: k.realizedPnl };
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
