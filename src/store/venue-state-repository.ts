import type { VenueStateStore } from '../core/venue.js';
import type { Db } from './database.js';

/** Key-value state per venue adapter (e.g. Drift's user order id ring), durable across restarts. */
export class VenueStateRepository {
  private readonly getStmt;
  private readonly setStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM venue_state WHERE venue = ? AND key = ?');
    this.setStmt = db.prepare(
      `INSERT INTO venue_state (venue, key, value, updated_ts) VALUES (?, ?, ?, ?)
       ON CONFLICT (venue, key) DO UPDATE SET value = excluded.value, updated_ts = excluded.updated_ts`,
    );
    this.listStmt = db.prepare("SELECT key, value FROM venue_state WHERE venue = ? AND key LIKE ? ESCAPE '\\' ORDER BY key");
  }

  get(venue: string, key: string): string | null {
    return (this.getStmt.get(venue, key) as { value: string } | undefined)?.value ?? null;
  }

  set(venue: string, key: string, value: string, ts: number): void {
    this.setStmt.run(venue, key, value, ts);
  }

  /** Entries whose key starts with `prefix`. */
  list(venue: string, prefix: string): { key: string; value: string }[] {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.listStmt.all(venue, `${escaped}%`) as { key: string; value: string }[];
  }

  /** The port handed to one venue adapter. */
  scoped(venue: string, now: () => number): VenueStateStore {
    return {
      get: (key) => this.get(venue, key),
      set: (key, value) => this.set(venue, key, value, now()),
      list: (prefix) => this.list(venue, prefix),
    };
  }
}
