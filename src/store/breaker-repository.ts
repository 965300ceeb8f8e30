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

  /** Records a trip; a breaker already present for the same scope and period (even reset) is left alone. */
  trip(b: Omit<Breaker, 'status' | 'resetTs' | 'resetBy'>): boolean {
    const res = this.db
      .prepare(
        `INSERT OR IGNORE INTO circuit_breakers (bot_id, scope, key, period, status, tripped_ts, loss, limit_value, reason)
         VALUES (?, ?, ?, ?, 'tripped', ?, ?, ?, ?)`,
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
