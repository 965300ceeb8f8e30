import type { Db } from './database.js';

/**
 * Sequence bumped by every operator action (halt, resume, breaker reset, phase change): a running
 * bot re-reads its controls only when it moved.
 */
export const CONTROL_VERSION = 'control-version';

export interface ManualIntervention {
  readonly botId: string;
  readonly ts: number;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * Operator controls a running bot reads from SQLite (the kill switch) and the count of manual
 * interventions (seed 003: a phase gate requires none). `*` as bot id means every bot.
 */
export class ControlRepository {
  private readonly haltedStmt;

  constructor(private readonly db: Db) {
    this.haltedStmt = db.prepare(`SELECT halted, reason FROM controls WHERE bot_id IN (?, '*') AND halted = 1 LIMIT 1`);
  }

  setHalted(botId: string, halted: boolean, reason: string, ts: number): void {
    this.db
      .prepare(
        `INSERT INTO controls (bot_id, halted, reason, updated_ts) VALUES (?, ?, ?, ?)
         ON CONFLICT (bot_id) DO UPDATE SET halted = excluded.halted, reason = excluded.reason, updated_ts = excluded.updated_ts`,
      )
      .run(botId, halted ? 1 : 0, reason, ts);
  }

  /** The halt reason when entries are stopped for this bot (or for all), else null. */
  halted(botId: string): string | null {
    const r = this.haltedStmt.get(botId) as { halted: number; reason: string | null } | undefined;
    return r ? (r.reason ?? 'halted') : null;
  }

  recordIntervention(i: ManualIntervention): void {
    this.db
      .prepare('INSERT INTO manual_interventions (bot_id, ts, action, detail) VALUES (?, ?, ?, ?)')
      .run(i.botId, i.ts, i.action, JSON.stringify(i.detail));
  }

  interventionsSince(botId: string, ts: number): number {
    return (
      this.db.prepare(`SELECT COUNT(*) AS n FROM manual_interventions WHERE bot_id IN (?, '*') AND ts >= ?`).get(botId, ts) as { n: number }
    ).n;
  }

  interventions(botId: string, limit = 50): ManualIntervention[] {
    return (
      this.db
        .prepare(`SELECT * FROM manual_interventions WHERE bot_id IN (?, '*') ORDER BY id DESC LIMIT ?`)
        .all(botId, limit) as { bot_id: string; ts: number; action: string; detail: string }[]
    ).map((r) => ({ botId: r.bot_id, ts: r.ts, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
