import type { Db } from './database.js';

export interface DailyVolume {
  readonly day: string;
  readonly volumeUsd: number;
  readonly feesUsd: number;
  readonly fills: number;
  readonly realizedPnl: number;
}

/** Per-bot counters per UTC day; they survive restarts. */
export class DailyVolumeRepository {
  private readonly addStmt;
  private readonly getStmt;

  constructor(private readonly db: Db) {
    this.addStmt = db.prepare(
      `INSERT INTO daily_volume (bot_id, day, volume_usd, fees_usd, fills, realized_pnl) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (bot_id, day) DO UPDATE SET volume_usd = volume_usd + excluded.volume_usd,
         fees_usd = fees_usd + excluded.fees_usd, fills = fills + 1, realized_pnl = realized_pnl + excluded.realized_pnl`,
    );
    this.getStmt = db.prepare('SELECT * FROM daily_volume WHERE bot_id = ? AND day = ?');
  }

  addFill(botId: string, day: string, notionalUsd: number, feeUsd: number, realizedPnl: number): void {
    this.addStmt.run(botId, day, notionalUsd, feeUsd, realizedPnl);
  }

  /**
   * The trades that filled on a UTC day (`YYYY-MM-DD`): one key per pair leg and side (pair id,
   * symbol, side), or per order outside a pair, as DailyVolumeTracker counts them. Read from the
   * day's range of the fills' time index (fills first: the CROSS JOIN keeps SQLite from walking
   * every order of the bot), so the cost is the day's fills.
   */
  tradeKeys(botId: string, day: string): string[] {
    const from = Date.parse(`${day}T00:00:00.000Z`);
    const rows = this.db
      .prepare(
        `SELECT DISTINCT CASE WHEN o.pair_id IS NULL THEN o.client_order_id ELSE o.pair_id || '|' || o.symbol || '|' || o.side END AS k
         FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = ? AND f.ts >= ? AND f.ts < ?`,
      )
      .all(botId, from, from + 86_400_000) as { k: string }[];
    return rows.map((r) => r.k);
  }

  get(botId: string, day: string): DailyVolume {
    const r = this.getStmt.get(botId, day) as
      | { day: string; volume_usd: number; fees_usd: number; fills: number; realized_pnl: number }
      | undefined;
    return r
      ? { day: r.day, volumeUsd: r.volume_usd, feesUsd: r.fees_usd, fills: r.fills, realizedPnl: r.realized_pnl }
      : { day, volumeUsd: 0, feesUsd: 0, fills: 0, realizedPnl: 0 };
  }

  /** The bot's days in order, from `fromDay` (`YYYY-MM-DD`, inclusive; all by default), by primary key. */
  history(botId: string, fromDay = ''): DailyVolume[] {
    return (
      this.db.prepare('SELECT * FROM daily_volume WHERE bot_id = ? AND day >= ? ORDER BY day').all(botId, fromDay) as {
        day: string;
        volume_usd: number;
        fees_usd: number;
        fills: number;
        realized_pnl: number;
      }[]
    ).map((r) => ({ day: r.day, volumeUsd: r.volume_usd, feesUsd: r.fees_usd, fills: r.fills, realizedPnl: r.realized_pnl }));
  }
}
