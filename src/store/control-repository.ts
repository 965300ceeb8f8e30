import { REBALANCE_TTL_MS, type RebalanceRequest, type RebalanceStatus } from '../hedging/rebalance-request.js';
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

  /** Whether this row (the bot's own, or `*`'s) halts entries: what a halt or resume would change. */
  haltedRow(botId: string): boolean {
    const r = this.db.prepare('SELECT halted FROM controls WHERE bot_id = ?').get(botId) as { halted: number } | undefined;
    return r?.halted === 1;
  }

  /**
   * Manual interventions on this bot (or on all bots) in [sinceTs, untilTs) that changed something
   * (seed 003 counts interventions; a click that changed nothing is not one). Actions recorded
   * before no-ops were skipped are judged from the log itself: a halt of an already halted row, a
   * resume of a running one, a breaker reset of no breaker and a cancel-all of no order do not count.
   */
  interventionsSince(botId: string, sinceTs: number, untilTs = Number.POSITIVE_INFINITY): number {
    const rows = this.db.prepare(`SELECT bot_id, ts, action, detail FROM manual_interventions WHERE bot_id IN (?, '*') ORDER BY id`).all(botId) as {
      bot_id: string;
      ts: number;
      action: string;
      detail: string;
    }[];
    const halted = new Map<string, boolean>();
    let n = 0;
    for (const r of rows) {
      let changed = true;
      if (r.action === 'halt' || r.action === 'resume') {
        const to = r.action === 'halt';
        changed = (halted.get(r.bot_id) ?? false) !== to;
        halted.set(r.bot_id, to);
      } else if (r.action === 'breaker_reset') {
        const count = (JSON.parse(r.detail) as { count?: unknown }).count;
        changed = typeof count !== 'number' || count > 0;
      } else if (r.action === 'cancel_all') {
        const orders = (JSON.parse(r.detail) as { orders?: unknown }).orders;
        changed = typeof orders !== 'number' || orders > 0;
      }
      if (changed && r.ts >= sinceTs && r.ts < untilTs) n += 1;
    }
    return n;
  }

  interventions(botId: string, limit = 50): ManualIntervention[] {
    return (
      this.db
        .prepare(`SELECT * FROM manual_interventions WHERE bot_id IN (?, '*') ORDER BY id DESC LIMIT ?`)
        .all(botId, limit) as { bot_id: string; ts: number; action: string; detail: string }[]
    ).map((r) => ({ botId: r.bot_id, ts: r.ts, action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /** Queues an operator's rebalance for the running bot; returns its id. */
  queueRebalance(r: { botId: string; ts: number; ttlMs?: number; targets: Readonly<Record<string, number>>; plan: Readonly<Record<string, unknown>> }): number {
    const res = this.db
      .prepare(`INSERT INTO rebalance_requests (bot_id, ts, status, targets, plan, updated_ts, ttl_ms) VALUES (?, ?, 'pending', ?, ?, ?, ?)`)
      .run(r.botId, r.ts, JSON.stringify(r.targets), JSON.stringify(r.plan), r.ts, r.ttlMs ?? REBALANCE_TTL_MS);
    return Number(res.lastInsertRowid);
  }

  /** The bot's rebalances not finished yet (pending or being worked), oldest first. */
  openRebalances(botId: string): RebalanceRequest[] {
    return (this.db.prepare(`SELECT * FROM rebalance_requests WHERE bot_id = ? AND status IN ('pending', 'executing') ORDER BY id`).all(botId) as RebalanceRow[]).map(toRebalance);
  }

  /**
   * Moves a rebalance on (claimed, done, refused, failed); only from the status the caller saw, so a
   * request is claimed once. Returns false when it had moved already.
   */
  moveRebalance(id: number, from: RebalanceStatus, to: RebalanceStatus, ts: number, change: { pairId?: string; outcome?: string }): boolean {
    const res = this.db
      .prepare(`UPDATE rebalance_requests SET status = ?, updated_ts = ?, pair_id = COALESCE(?, pair_id), outcome = COALESCE(?, outcome) WHERE id = ? AND status = ?`)
      .run(to, ts, change.pairId ?? null, change.outcome ?? null, id, from);
    return res.changes === 1;
  }

  /** The latest rebalances on this bot, newest first. */
  rebalances(botId: string, limit = 5): RebalanceRequest[] {
    return (this.db.prepare(`SELECT * FROM rebalance_requests WHERE bot_id = ? ORDER BY id DESC LIMIT ?`).all(botId, limit) as RebalanceRow[]).map(toRebalance);
  }
}

interface RebalanceRow {
  id: number;
  bot_id: string;
  ts: number;
  status: RebalanceStatus;
  targets: string;
  plan: string;
  pair_id: string | null;
  outcome: string | null;
  updated_ts: number;
  ttl_ms: number | null;
}

function toRebalance(r: RebalanceRow): RebalanceRequest {
  return {
    id: r.id,
    botId: r.bot_id,
    ts: r.ts,
    ttlMs: r.ttl_ms ?? REBALANCE_TTL_MS,
    status: r.status,
    targets: JSON.parse(r.targets) as Record<string, number>,
    plan: JSON.parse(r.plan) as Record<string, unknown>,
    pairId: r.pair_id,
    outcome: r.outcome,
    updatedTs: r.updated_ts,
  };
}
