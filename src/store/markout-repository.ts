import type { Side } from '../core/types.js';
import type { Db } from './database.js';

/** Horizons of the markouts recorded after each fill, ms of market time. */
export const MARKOUT_HORIZONS_MS = [1_000, 10_000, 60_000] as const;

/** A fill with the mid prevailing when it happened and 1 s / 10 s / 60 s later (null: not observed). */
export interface FillMarkout {
  readonly venue: string;
  readonly tradeId: string;
  readonly botId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
  readonly midAtFill: number | null;
  /** Mids at ts + 1 s, + 10 s, + 60 s, in {@link MARKOUT_HORIZONS_MS} order. */
  readonly mids: readonly [number | null, number | null, number | null];
}

interface Row {
  venue: string;
  trade_id: string;
  bot_id: string;
  symbol: string;
  side: Side;
  price: number;
  size: number;
  liquidity: 'maker' | 'taker';
  ts: number;
  mid_at_fill: number | null;
  mid_1s: number | null;
  mid_10s: number | null;
  mid_60s: number | null;
}

/** Post-fill mids (migration 5), written once per fill when its last horizon is known. */
export class MarkoutRepository {
  private readonly upsert;
  private readonly rangeStmt;

  constructor(db: Db) {
    // Positional parameters: binding 13 values by name cost ~1 µs more a fill (10.2 → 9.2 µs a row).
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO fill_markouts (venue, trade_id, bot_id, symbol, side, price, size, liquidity, ts, mid_at_fill, mid_1s, mid_10s, mid_60s)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.rangeStmt = db.prepare('SELECT * FROM fill_markouts WHERE bot_id = ? AND ts >= ? AND ts < ? ORDER BY ts, trade_id');
  }

  save(m: FillMarkout): void {
    this.upsert.run(m.venue, m.tradeId, m.botId, m.symbol, m.side, m.price, m.size, m.liquidity, m.ts, m.midAtFill, m.mids[0], m.mids[1], m.mids[2]);
  }

  /** One bot's markouts with fill time in [fromTs, toTs). */
  range(botId: string, fromTs: number, toTs: number): FillMarkout[] {
    return (this.rangeStmt.all(botId, fromTs, toTs) as Row[]).map((r) => ({
      venue: r.venue,
      tradeId: r.trade_id,
      botId: r.bot_id,
      symbol: r.symbol,
      side: r.side,
      price: r.price,
      size: r.size,
      liquidity: r.liquidity,
      ts: r.ts,
      midAtFill: r.mid_at_fill,
      mids: [r.mid_1s, r.mid_10s, r.mid_60s],
    }));
  }
}
