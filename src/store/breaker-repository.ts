import type { Db } from './database.js';

export type BreakerScope = 'asset' | 'portfolio_day' | 'portfolio_month';

/** A loss-limit circuit breaker for one scope and period (UTC day or month). */
export interface Breaker {
  readonly botId: string;
  readonly scope: BreakerScope;
  /** Symbol for `asset`, else `portfolio`. */
  readonly key: string;
  /** `YYYY-MM-DD` or `YYYY-MM`: the breaker ends when this period rolls over. */
  readonly period: string;
  readonly status: 'tripped' | 'reset';
  readonly trippedTs: number;
  readonly loss: number;
  readonly limitValue: number;
  readonly reason: string;
  readonly resetTs: number | null;
  readonly resetBy: string | null;
}

interface Row {
  bot_id: string;
  scope: BreakerScope;
  key: string;
  period: string;
  status: 'tripped' | 'reset';
  tripped_ts: number;
  loss: number;
  limit_value: number;
  reason: string;
  reset_ts: number | null;
  reset_by: string | null;
}

const toBreaker = (r: Row): Breaker => ({
  botId: r.bot_id,
  scope: r.scope,
  key: r.key,
  period: r.period,
  status: r.status,
  trippedTs: r.tripped_ts,
  loss: r.loss,
  limitValue: r.limit_value,
  reason: r.reason,
  resetTs: r.reset_ts,
  resetBy: r.reset_by,
});

/** Persistent circuit breakers: they survive restarts until their period rolls over or an operator resets them. */
export class BreakerRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records a trip; returns whether this call tripped it. A breaker already tripped for the same
   * scope and period is left alone. One an operator reset re-arms: it trips again in the same
   * period once the loss has grown by another full limit beyond the loss it tripped at, so a reset
   * buys one more limit's worth of loss, never an unlimited one. (Each trip and reset stays in `events`.)
   */
  trip(b: Omit<Breaker, 'status' | 'resetTs' | 'resetBy'>): boolean {
    const res = this.db
      .prepare(
        `INSERT INTO circuit_breakers (bot_id, scope, key, period, status, tripped_ts, loss, limit_value, reason)
         VALUES (?, ?, ?, ?, 'tripped', ?, ?, ?, ?)
         ON CONFLICT (bot_id, scope, key, period) DO UPDATE SET
           status = 'tripped', tripped_ts = excluded.tripped_ts, loss = excluded.loss, limit_value = excluded.limit_value,
           reason = excluded.reason, reset_ts = NULL, reset_by = NULL
         WHERE circuit_breakers.status = 'reset' AND excluded.loss >= circuit_breakers.loss + circuit_breakers.limit_value`,
      )
      .run(b.botId, b.scope, b.key, b.period, b.trippedTs, b.loss, b.limitValue, b.reason);
    return res.changes === 1;
  }

  /** Tripped breakers whose period is still current. */
  active(botId: string, periods: readonly string[]): Breaker[] {
    if (periods.length === 0) return [];
    const marks = periods.map(() => '?').join(',');
    return (
      this.db
        .prepare(`SELECT * FROM circuit_breakers WHERE bot_id = ? AND status = 'tripped' AND period IN (${marks}) ORDER BY tripped_ts`)
        .all(botId, ...periods) as Row[]
    ).map(toBreaker);
  }

  /** Operator reset of every tripped breaker of a bot; returns how many. */
  resetAll(botId: string, ts: number, by: string): number {
    return this.db
      .prepare(`UPDATE circuit_breakers SET status = 'reset', reset_ts = ?, reset_by = ? WHERE status = 'tripped' AND (bot_id = ? OR ? = '*')`)
      .run(ts, by, botId, botId).changes;
  }

  history(botId: string, limit = 50): Breaker[] {
    return (this.db.prepare('SELECT * FROM circuit_breakers WHERE bot_id = ? ORDER BY tripped_ts DESC LIMIT ?').all(botId, limit) as Row[]).map(toBreaker);
  }
}
