import type { Db } from './database.js';
import { emptyHour, HOUR_SLOTS, packHour, unpackHour } from './hour-closes.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * 1-minute closes per symbol: the price history risk analytics run on, live and in reports.
 *
 * Stored an hour to a row (`bar_hours`: 60 closes, NaN for a minute without one, packed when that
 * is exact: see hour-closes.ts), about a twentieth of the bytes of a row per minute on prices of a
 * few decimals. Closes stamped off the minute are kept in the per-minute `bars` table of older
 * files, which is still read; a file's per-minute rows are moved into hours when it is opened.
 *
 * While a write batch is open (`deferring`), the hour being filled is kept in memory per symbol and
 * written when it is left, before each commit (`flush`) and before any read: an hour row is
 * written a few times instead of once a minute, and every commit holds the same rows.
 */
export class BarRepository {
  private readonly hourStmt;
  private readonly putStmt;
  private readonly hoursDescStmt;
  private readonly legacyInsertStmt;
  private readonly legacyRangeStmt;
  private legacy: boolean;
  /** The hour being filled, per venue and symbol, while a batch is open. */
  private readonly open = new Map<string, Map<string, OpenHour>>();
  private dirty = false;
  /**
   * Hours written while the batch is open, since its last commit: a write inside a transaction that
   * rolls back is lost, so they are kept until the commit and written again after a rollback.
   */
  private written: { venue: string; symbol: string; h: OpenHour }[] = [];
  /** Hours to write again at the next flush (a rollback took their rows back). */
  private rewrite: { venue: string; symbol: string; h: OpenHour }[] = [];

  /** `deferring`: true while a write batch is open (see WriteBatch.deferring). */
  constructor(
    private readonly db: Db,
    private readonly deferring: () => boolean = () => false,
  ) {
    this.hourStmt = db.prepare('SELECT last_ts, closes FROM bar_hours WHERE venue = ? AND symbol = ? AND hour_ts = ?');
    this.putStmt = db.prepare('INSERT OR REPLACE INTO bar_hours (venue, symbol, hour_ts, last_ts, closes) VALUES (?, ?, ?, ?, ?)');
    this.hoursDescStmt = db.prepare('SELECT hour_ts, closes FROM bar_hours WHERE venue = ? AND symbol = ? AND hour_ts >= ? AND hour_ts <= ? ORDER BY hour_ts DESC');
    this.legacyInsertStmt = db.prepare('INSERT OR REPLACE INTO bars (venue, symbol, ts, close) VALUES (?, ?, ?, ?)');
    this.legacyRangeStmt = db.prepare('SELECT ts, close FROM bars WHERE venue = ? AND symbol = ? AND ts >= ? AND ts <= ? ORDER BY ts DESC LIMIT ?');
    this.legacy = db.prepare('SELECT 1 FROM bars LIMIT 1').get() !== undefined;
    if (this.legacy && !db.readonly) this.packLegacy();
  }

  record(venue: string, symbol: string, ts: number, close: number): void {
    if (ts % MINUTE !== 0) {
      this.legacyInsertStmt.run(venue, symbol, ts, close);
      this.legacy = true;
      return;
    }
    const hourTs = ts - (((ts % HOUR) + HOUR) % HOUR);
    if (this.deferring()) {
      this.recordDeferred(venue, symbol, hourTs, ts, close);
      return;
    }
    const old = this.hourStmt.get(venue, symbol, hourTs) as { last_ts: number; closes: Buffer } | undefined;
    const buf = old ? unpackHour(old.closes) : emptyHour();
    buf.writeDoubleLE(close, ((ts - hourTs) / MINUTE) * 8);
    this.putStmt.run(venue, symbol, hourTs, Math.max(ts, old?.last_ts ?? ts), packHour(buf));
  }

  private recordDeferred(venue: string, symbol: string, hourTs: number, ts: number, close: number): void {
    let byVenue = this.open.get(venue);
    if (!byVenue) this.open.set(venue, (byVenue = new Map()));
    let h = byVenue.get(symbol);
    if (h === undefined || h.hourTs !== hourTs) {
      if (h?.dirty) this.put(venue, symbol, h);
      const old = this.hourStmt.get(venue, symbol, hourTs) as { last_ts: number; closes: Buffer } | undefined;
      h = { hourTs, lastTs: old?.last_ts ?? ts, buf: old ? unpackHour(old.closes) : emptyHour(), dirty: false };
      byVenue.set(symbol, h);
    }
    h.buf.writeDoubleLE(close, ((ts - hourTs) / MINUTE) * 8);
    h.lastTs = Math.max(ts, h.lastTs);
    h.dirty = true;
    this.dirty = true;
  }

  private put(venue: string, symbol: string, h: OpenHour): void {
    this.putStmt.run(venue, symbol, h.hourTs, h.lastTs, packHour(h.buf));
    h.dirty = false;
    this.written.push({ venue, symbol, h });
  }

  /** Writes the hours kept in memory and forgets them (the next batch reads them again). */
  flush(): void {
    if (this.rewrite.length > 0) {
      const again = this.rewrite;
      this.rewrite = [];
      for (const w of again) this.put(w.venue, w.symbol, w.h);
    }
    if (this.open.size === 0) return;
    if (this.dirty) for (const [venue, byVenue] of this.open) for (const [symbol, h] of byVenue) if (h.dirty) this.put(venue, symbol, h);
    this.dirty = false;
    this.open.clear();
  }

  /** The batch committed what was written. */
  settle(): void {
    this.written = [];
  }

  /**
   * A transaction rolled back: an hour written since the last commit may be gone. Each such hour
   * is filled in memory again (the latest write of an hour holds every close of the earlier ones),
   * unless the hour being filled now is the same hour (it holds them too: it was read back after
   * them); an older hour is written again at the next flush.
   */
  restore(): void {
    const restored = new Set<OpenHour>();
    for (const { venue, symbol, h } of this.written) {
      let byVenue = this.open.get(venue);
      if (!byVenue) this.open.set(venue, (byVenue = new Map()));
      const current = byVenue.get(symbol);
      if (current === undefined || (restored.has(current) && current.hourTs === h.hourTs)) {
        h.dirty = true;
        byVenue.set(symbol, h);
        restored.add(h);
      } else if (current.hourTs === h.hourTs) {
        current.dirty = true;
      } else if (restored.has(current)) {
        this.rewrite.push({ venue, symbol, h: current });
        h.dirty = true;
        byVenue.set(symbol, h);
        restored.add(h);
      } else {
        this.rewrite.push({ venue, symbol, h });
      }
      this.dirty = true;
    }
    this.written = [];
  }

  /** Symbols with recorded closes on a venue. */
  symbols(venue: string): string[] {
    this.flush();
    const sql = this.legacy
      ? 'SELECT symbol FROM bar_hours WHERE venue = ? UNION SELECT symbol FROM bars WHERE venue = ? ORDER BY symbol'
      : 'SELECT DISTINCT symbol FROM bar_hours WHERE venue = ? ORDER BY symbol';
    const args = this.legacy ? [venue, venue] : [venue];
    return (this.db.prepare(sql).all(...args) as { symbol: string }[]).map((r) => r.symbol);
  }

  /** The last `limit` closes since `sinceTs`, oldest first. */
  closes(venue: string, symbol: string, limit: number, sinceTs = 0): { ts: number; close: number }[] {
    return this.closesBetween(venue, symbol, sinceTs, Number.MAX_SAFE_INTEGER, limit);
  }

  /** The last `limit` closes stamped in [fromTs, toTs], oldest first. */
  closesBetween(venue: string, symbol: string, fromTs: number, toTs: number, limit: number): { ts: number; close: number }[] {
    this.flush();
    const newest: { ts: number; close: number }[] = [];
    if (limit <= 0) return newest;
    for (const row of this.hoursDescStmt.iterate(venue, symbol, fromTs - HOUR + 1, toTs) as Iterable<{ hour_ts: number; closes: Buffer }>) {
      const closes = unpackHour(row.closes);
      for (let slot = HOUR_SLOTS - 1; slot >= 0 && newest.length < limit; slot--) {
        const ts = row.hour_ts + slot * MINUTE;
        if (ts < fromTs || ts > toTs) continue;
        const close = closes.readDoubleLE(slot * 8);
        if (!Number.isNaN(close)) newest.push({ ts, close });
      }
      if (newest.length >= limit) break;
    }
    if (this.legacy) {
      const older = this.legacyRangeStmt.all(venue, symbol, fromTs, toTs, limit) as { ts: number; close: number }[];
      const packed = new Set(newest.map((b) => b.ts));
      for (const b of older) if (!packed.has(b.ts)) newest.push(b);
      newest.sort((a, b) => b.ts - a.ts);
      newest.length = Math.min(newest.length, limit);
    }
    return newest.reverse();
  }

  /** Moves an older file's per-minute rows into hours (once, when the file is opened). */
  private packLegacy(): void {
    this.db.transaction(() => {
      const rows = this.db.prepare('SELECT venue, symbol, ts, close FROM bars WHERE ts % 60000 = 0 ORDER BY venue, symbol, ts').all() as { venue: string; symbol: string; ts: number; close: number }[];
      for (const r of rows) this.record(r.venue, r.symbol, r.ts, r.close);
      this.db.prepare('DELETE FROM bars WHERE ts % 60000 = 0').run();
    })();
    this.legacy = this.db.prepare('SELECT 1 FROM bars LIMIT 1').get() !== undefined;
  }
}

interface OpenHour {
  readonly hourTs: number;
  lastTs: number;
  /** This repository's own copy (a row read from SQLite is a fresh Buffer). */
  readonly buf: Buffer;
  dirty: boolean;
}

