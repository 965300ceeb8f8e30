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

/**
 * Post-fill mids, written once per fill when its last horizon is known, on the fill's own row
 * (migration 18: the fill's symbol, side, price, size, liquidity and time are the markout's, its
 * order's bot is the markout's bot).
 */
export class MarkoutRepository {
  private readonly update;
  private readonly rangeStmt;

  constructor(db: Db) {
    this.update = db.prepare('UPDATE fills SET markout_saved = 1, mid_at_fill = ?, mid_1s = ?, mid_10s = ?, mid_60s = ? WHERE venue = ? AND trade_id = ?');
    // Fills first (by time, through fills_ts), each joined to its order: not every order of the bot.
    this.rangeStmt = db.prepare(
      `SELECT f.venue, f.trade_id, f.symbol, f.side, f.price, f.size, f.liquidity, f.ts, f.mid_at_fill, f.mid_1s, f.mid_10s, f.mid_60s
       FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE f.ts >= ? AND f.ts < ? AND o.bot_id = ? AND f.markout_saved = 1 ORDER BY f.ts, f.trade_id`,
    );
  }

  /**
   * Records `m` on its fill. False when no fill is stored under its venue and trade id (nothing is
   * written then): a bot is handed only stored fills, so only when a legacy-id claim renamed the
   * fill in the minute its markout waited (a fill delivered again under a venue's new id form).
   */
  save(m: FillMarkout): boolean {
    return this.update.run(m.midAtFill, m.mids[0], m.mids[1], m.mids[2], m.venue, m.tradeId).changes === 1;
  }

  /** One bot's markouts with fill time in [fromTs, toTs). */
  range(botId: string, fromTs: number, toTs: number): FillMarkout[] {
    return (this.rangeStmt.all(fromTs, toTs, botId) as Row[]).map((r) => ({
      venue: r.venue,
      tradeId: r.trade_id,
      botId,
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
