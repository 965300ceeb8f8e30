import type { Db } from './database.js';

export interface PhaseState {
  readonly botId: string;
  readonly phase: 1 | 2 | 3 | 4;
  readonly sinceTs: number;
  /** Collateral when the bot started phase 1: the base of the progressive sizer's growth factor. */
  readonly initialCollateral: number;
}

export interface PhaseChange {
  readonly botId: string;
  readonly ts: number;
  readonly fromPhase: number;
  readonly toPhase: number;
  readonly kind: 'approve' | 'rollback' | 'auto_rollback';
  readonly reason: string;
  readonly criteria: unknown;
}

/** Seed 003's phases: the current phase per bot and every change (operator approval or rollback). */
export class PhaseRepository {
  private readonly getStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM phase_state WHERE bot_id = ?');
  }

  /** The bot's phase, created at phase 1 on first use. */
  ensure(botId: string, initialCollateral: number, ts: number): PhaseState {
    this.db
      .prepare('INSERT OR IGNORE INTO phase_state (bot_id, phase, since_ts, initial_collateral, updated_ts) VALUES (?, 1, ?, ?, ?)')
      .run(botId, ts, initialCollateral, ts);
    return this.get(botId)!;
  }

  get(botId: string): PhaseState | null {
    const r = this.getStmt.get(botId) as
      | { bot_id: string; phase: 1 | 2 | 3 | 4; since_ts: number; initial_collateral: number }
      | undefined;
    return r ? { botId: r.bot_id, phase: r.phase, sinceTs: r.since_ts, initialCollateral: r.initial_collateral } : null;
  }

  /** Moves the bot to `change.toPhase` and records why, atomically. */
  change(change: PhaseChange): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE phase_state SET phase = ?, since_ts = ?, updated_ts = ? WHERE bot_id = ?').run(change.toPhase, change.ts, change.ts, change.botId);
      this.db
        .prepare('INSERT INTO phase_changes (bot_id, ts, from_phase, to_phase, kind, reason, criteria) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(change.botId, change.ts, change.fromPhase, change.toPhase, change.kind, change.reason, JSON.stringify(change.criteria));
    })();
  }

  changes(botId: string, limit = 20): PhaseChange[] {
    return (
      this.db.prepare('SELECT * FROM phase_changes WHERE bot_id = ? ORDER BY id DESC LIMIT ?').all(botId, limit) as {
        bot_id: string;
        ts: number;
        from_phase: number;
        to_phase: number;
        kind: PhaseChange['kind'];
        reason: string;
        criteria: string;
      }[]
    ).map((r) => ({ botId: r.bot_id, ts: r.ts, fromPhase: r.from_phase, toPhase: r.to_phase, kind: r.kind, reason: r.reason, criteria: JSON.parse(r.criteria) as unknown }));
  }
}
