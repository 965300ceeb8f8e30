import type { Db } from '../../src/store/database.js';
import { packEquityHour, unpackEquityHour } from '../../src/store/equity-hours.js';
import { type EquitySnapshot, SnapshotRepository } from '../../src/store/snapshot-repository.js';

/** Every equity snapshot in `db`, by bot then time, as the repository reads them. */
export function equityRows(db: Db): EquitySnapshot[] {
  const bots = (db.prepare('SELECT DISTINCT bot_id AS b FROM equity_hours ORDER BY bot_id').all() as { b: string }[]).map((r) => r.b);
  const repo = new SnapshotRepository(db);
  return bots.flatMap((b) => repo.equityRange(b, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
}

/** Deletes every equity snapshot after `ts` (what a process killed at `ts` would not have written). */
export function dropEquityAfter(db: Db, ts: number): void {
  const hours = db.prepare('SELECT bot_id, hour_ts, snapshots FROM equity_hours WHERE last_ts > ?').all(ts) as { bot_id: string; hour_ts: number; snapshots: Buffer }[];
  for (const h of hours) {
    const kept = unpackEquityHour(h.hour_ts, h.snapshots).filter((r) => r.ts <= ts);
    if (kept.length === 0) db.prepare('DELETE FROM equity_hours WHERE bot_id = ? AND hour_ts = ?').run(h.bot_id, h.hour_ts);
    else {
      db.prepare('UPDATE equity_hours SET last_ts = ?, snapshots = ? WHERE bot_id = ? AND hour_ts = ?').run(kept.at(-1)!.ts, packEquityHour(h.hour_ts, kept), h.bot_id, h.hour_ts);
    }
  }
}
