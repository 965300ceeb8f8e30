import type { Db } from './database.js';

export interface JournalEvent {
  readonly id: number;
  readonly ts: number;
  readonly botId: string | null;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The journal of decisions: why something was done or refused. */
export class EventJournal {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT INTO events (ts, bot_id, kind, data) VALUES (?, ?, ?, ?)');
  }

  record(ts: number, botId: string | null, kind: string, data: Record<string, unknown>): void {
    this.insertStmt.run(ts, botId, kind, JSON.stringify(data));
  }

  recent(limit: number, kind?: string): JournalEvent[] {
    const rows = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM events ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM events WHERE kind = ? ORDER BY id DESC LIMIT ?').all(kind, limit)
    ) as { id: number; ts: number; bot_id: string | null; kind: string; data: string }[];
    return rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      botId: r.bot_id,
      kind: r.kind,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  /** Events after `id`, oldest first, at most `limit` (a follower reading the journal as it grows). */
  after(id: number, limit: number): JournalEvent[] {
    const rows = this.db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(id, limit) as { id: number; ts: number; bot_id: string | null; kind: string; data: string }[];
    return rows.map((r) => ({ id: r.id, ts: r.ts, botId: r.bot_id, kind: r.kind, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /** The newest event's id (0 when empty). */
  lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  count(kind: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events WHERE kind = ?').get(kind) as { n: number }).n;
  }
}
