import type { Db } from './database.js';
import { equityHourColumns, hourOf, unpackEquityHour, type EquityValues } from './equity-hours.js';

export interface EquitySnapshot {
  readonly botId: string;
  readonly ts: number;
  readonly equity: number;
  readonly collateral: number;
  readonly netDelta: number;
  readonly grossNotional: number;
}

export interface PaperAccountRecord {
  readonly collateral: number;
  readonly fundingPaid: number;
}

/** A symbol's latest mark on a venue, kept while a batch is open. */
interface MarkSlot {
  readonly venue: string;
  readonly symbol: string;
  ts: number;
  price: number;
}

/** One bot's snapshots of one hour, as `equity_hours` holds them (in time order). */
interface EquityHour {
  readonly botId: string;
  readonly hourTs: number;
  readonly rows: EquitySnapshot[];
}

type EquityHourRow = { bot_id: string; hour_ts: number; snapshots: Uint8Array };

/**
 * Equity snapshots, the paper account's collateral and last marks: what a restart resumes from.
 *
 * The last marks and the paper account are one row each, rewritten every market minute: while a
 * write batch is open (`deferring`) only their latest values are kept, and written before each
 * commit (`flush`) and before they are read, so every commit holds the same rows.
 *
 * Equity snapshots (one per bot and market minute) are stored an hour to a row in `equity_hours`,
 * packed (src/store/equity-hours.ts): ~2 bytes a flat minute instead of a ~43-byte row. The hour
 * being written is kept in memory and its row rewritten whole at each flush (once per commit while
 * a batch is open, else at each snapshot). Read them through this repository: the readers below
 * write what is pending first and unpack the hours they touch.
 */
export class SnapshotRepository {
  private readonly collateralStmt;
  private readonly markStmt;
  /** Latest values not yet written, in the order of their last write. */
  private readonly pendingMarks = new Set<MarkSlot>();
  /**
   * Each symbol's one mark slot per venue, updated in place: a minute's marks are kept without
   * building a key string or a new object per mark. A slot not pending holds what was last written.
   */
  private readonly markSlots = new Map<string, Map<string, MarkSlot>>();
  private readonly pendingPaper = new Map<string, { collateral: number; fundingPaid: number; ts: number }>();
  /** Each bot's hour last written to. */
  private readonly currentHours = new Map<string, EquityHour>();
  /** Hours changed since they were last written. */
  private readonly pendingHours = new Set<EquityHour>();
  private pending = false;
  /**
   * Values written by a `flush` since the batch's last commit: a flush inside a transaction that
   * rolls back loses its rows, so they are kept until the commit and pending again on a rollback.
   */
  private readonly writtenMarks = new Set<MarkSlot>();
  private readonly writtenPaper = new Map<string, { collateral: number; fundingPaid: number; ts: number }>();
  private readonly writtenHours = new Set<EquityHour>();
  private readonly hourStmt;
  private readonly hourReadStmt;
  private readonly rangeStmt;
  private readonly beforeStmt;

  /** `deferring`: true while a write batch is open (see WriteBatch.deferring). */
  constructor(
    private readonly db: Db,
    private readonly deferring: () => boolean = () => false,
  ) {
    // An hour's row is updated where it is (its rowid kept), not deleted and written anew under a
    // new rowid: a REPLACE moved the hour being written on every flush, and the pages it left were
    // part-filled (seed 1's simulated week: 2.091-2.095 MB with it, 2.085 without, the same rows).
    this.hourStmt = db.prepare(
      `INSERT INTO equity_hours (bot_id, hour_ts, first_ts, last_ts, peak_equity, snapshots) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (bot_id, hour_ts) DO UPDATE SET first_ts = excluded.first_ts, last_ts = excluded.last_ts, peak_equity = excluded.peak_equity,
         snapshots = excluded.snapshots`,
    );
    this.hourReadStmt = db.prepare('SELECT bot_id, hour_ts, snapshots FROM equity_hours WHERE bot_id = ? AND hour_ts = ?');
    this.rangeStmt = db.prepare(
      'SELECT bot_id, hour_ts, snapshots FROM equity_hours WHERE bot_id = ? AND hour_ts >= ? AND hour_ts <= ? AND last_ts >= ? ORDER BY hour_ts',
    );
    this.beforeStmt = db.prepare('SELECT bot_id, hour_ts, snapshots FROM equity_hours WHERE bot_id = ? AND hour_ts <= ? AND first_ts <= ? ORDER BY hour_ts DESC LIMIT 1');
    this.collateralStmt = db.prepare('INSERT OR REPLACE INTO paper_accounts (venue, collateral, funding_paid, updated_ts) VALUES (?, ?, ?, ?)');
    this.markStmt = db.prepare('INSERT OR REPLACE INTO market_marks (venue, symbol, ts, price) VALUES (?, ?, ?, ?)');
  }

  /** Records a snapshot; a later one of the same bot and time replaces it. */
  saveEquity(s: EquitySnapshot): void {
    const hour = this.hourToWrite(s.botId, hourOf(s.ts));
    const rows = hour.rows;
    const last = rows.at(-1);
    if (last === undefined || last.ts < s.ts) rows.push(s);
    else {
      let i = rows.length - 1;
      while (i > 0 && rows[i - 1]!.ts >= s.ts) i--;
      if (rows[i]!.ts === s.ts) rows[i] = s;
      else rows.splice(i, 0, s);
    }
    if (this.deferring()) {
      this.pendingHours.add(hour);
      this.pending = true;
      return;
    }
    this.writeHour(hour);
  }

  /** The hour `hourTs` of `botId`, from memory if it is being written, else as stored (or empty). */
  private hourToWrite(botId: string, hourTs: number): EquityHour {
    const current = this.currentHours.get(botId);
    if (current !== undefined && current.hourTs === hourTs) return current;
    // An hour left with rows not yet written, or written since the last commit, is taken up again:
    // one object per hour until the commit, else a rollback would write the hour's older object
    // again after the newer one. Any other is read as stored.
    let hour: EquityHour | undefined;
    for (const set of [this.pendingHours, this.writtenHours]) {
      for (const h of set) if (h.botId === botId && h.hourTs === hourTs) hour = h;
    }
    if (hour === undefined) {
      const stored = this.hourReadStmt.get(botId, hourTs) as EquityHourRow | undefined;
      hour = { botId, hourTs, rows: stored === undefined ? [] : unpackRows(stored) };
    }
    this.currentHours.set(botId, hour);
    return hour;
  }

  private writeHour(hour: EquityHour): void {
    const c = equityHourColumns(hour.hourTs, hour.rows);
    this.hourStmt.run(hour.botId, hour.hourTs, c.firstTs, c.lastTs, c.peak, c.snapshots);
  }

  /** The bot's latest snapshot, or null before the first. */
  latestEquity(botId: string): EquitySnapshot | null {
    return this.equityAtOrBefore(botId, Number.MAX_SAFE_INTEGER);
  }

  /** The bot's latest snapshot at or before `ts`, or null. */
  equityAtOrBefore(botId: string, ts: number): EquitySnapshot | null {
    this.flush();
    const r = this.beforeStmt.get(botId, ts, ts) as EquityHourRow | undefined;
    if (r === undefined) return null;
    const rows = unpackRows(r);
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.ts <= ts) return rows[i]!;
    return null;
  }

  /** The bot's first snapshot, or null before it. */
  firstEquity(botId: string): EquitySnapshot | null {
    return this.equityHistory(botId, 1)[0] ?? null;
  }

  /** The bot's snapshots from the first, in time order; at most `limit`. */
  equityHistory(botId: string, limit = Number.POSITIVE_INFINITY): EquitySnapshot[] {
    return this.equityRange(botId, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, limit);
  }

  /** The bot's first snapshot in [from, to], or null. */
  equityAtOrAfter(botId: string, from: number, to: number): EquitySnapshot | null {
    return this.equityRange(botId, from, to, 1)[0] ?? null;
  }

  /**
   * The bot's snapshots in [from, to] (market ms), in time order; at most `limit`. Reads the
   * hours that hold them, so a bounded read costs what its rows do, not the history.
   */
  equityRange(botId: string, from: number, to: number, limit = Number.POSITIVE_INFINITY): EquitySnapshot[] {
    this.flush();
    const out: EquitySnapshot[] = [];
    if (limit <= 0 || from > to) return out;
    const hours = this.rangeStmt.iterate(botId, hourOf(from), to, from) as IterableIterator<EquityHourRow>;
    for (const h of hours) {
      for (const r of unpackRows(h)) {
        if (r.ts < from) continue;
        if (r.ts > to || out.length >= limit) {
          hours.return?.();
          return out;
        }
        out.push(r);
      }
    }
    return out;
  }

  /** Times of the bot's first and last snapshots, or null before the first. */
  equitySpan(botId: string): { readonly first: number; readonly last: number } | null {
    this.flush();
    const first = this.db.prepare('SELECT first_ts AS t FROM equity_hours WHERE bot_id = ? ORDER BY hour_ts LIMIT 1').get(botId) as { t: number } | undefined;
    const last = this.db.prepare('SELECT last_ts AS t FROM equity_hours WHERE bot_id = ? ORDER BY hour_ts DESC LIMIT 1').get(botId) as { t: number } | undefined;
    return first === undefined || last === undefined ? null : { first: first.t, last: last.t };
  }

  /** The paper account's collateral and the funding it paid over all runs (negative: received). */
  savePaperAccount(venue: string, a: PaperAccountRecord, ts: number): void {
    if (this.deferring()) {
      this.pendingPaper.delete(venue);
      this.pendingPaper.set(venue, { collateral: a.collateral, fundingPaid: a.fundingPaid, ts });
      this.pending = true;
      return;
    }
    this.collateralStmt.run(venue, a.collateral, a.fundingPaid, ts);
  }

  paperAccount(venue: string): PaperAccountRecord | null {
    this.flush();
    const r = this.db.prepare('SELECT collateral, funding_paid FROM paper_accounts WHERE venue = ?').get(venue) as
      | { collateral: number; funding_paid: number }
      | undefined;
    return r ? { collateral: r.collateral, fundingPaid: r.funding_paid } : null;
  }

  saveMark(venue: string, symbol: string, ts: number, price: number): void {
    if (this.deferring()) {
      let bySymbol = this.markSlots.get(venue);
      if (bySymbol === undefined) this.markSlots.set(venue, (bySymbol = new Map()));
      let slot = bySymbol.get(symbol);
      if (slot === undefined) bySymbol.set(symbol, (slot = { venue, symbol, ts, price }));
      else {
        slot.ts = ts;
        slot.price = price;
      }
      // Re-added last: the order of last writes, as the rows' order needs.
      this.pendingMarks.delete(slot);
      this.pendingMarks.add(slot);
      this.pending = true;
      return;
    }
    this.markStmt.run(venue, symbol, ts, price);
  }

  /** Writes the marks and paper accounts kept in memory. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    for (const m of this.pendingMarks) {
      this.markStmt.run(m.venue, m.symbol, m.ts, m.price);
      this.writtenMarks.add(m);
    }
    for (const [venue, p] of this.pendingPaper) {
      this.collateralStmt.run(venue, p.collateral, p.fundingPaid, p.ts);
      this.writtenPaper.set(venue, p);
    }
    this.pendingMarks.clear();
    this.pendingPaper.clear();
    for (const hour of this.pendingHours) {
      this.writeHour(hour);
      this.writtenHours.add(hour);
    }
    this.pendingHours.clear();
  }

  /** The batch committed what was flushed: nothing to write again. */
  settle(): void {
    this.writtenMarks.clear();
    this.writtenPaper.clear();
    this.writtenHours.clear();
  }

  /** A transaction rolled back: what was flushed since the last commit may be gone, so it is pending again. */
  restore(): void {
    // A written slot not pending again still holds the values written.
    for (const m of this.writtenMarks) this.pendingMarks.add(m);
    for (const [venue, p] of this.writtenPaper) if (!this.pendingPaper.has(venue)) this.pendingPaper.set(venue, p);
    // An hour holds all its rows in memory: written again whole.
    for (const hour of this.writtenHours) this.pendingHours.add(hour);
    if (this.pendingMarks.size > 0 || this.pendingPaper.size > 0 || this.pendingHours.size > 0) this.pending = true;
    this.settle();
  }

  marks(venue: string): { symbol: string; ts: number; price: number }[] {
    this.flush();
    return this.db.prepare('SELECT symbol, ts, price FROM market_marks WHERE venue = ? ORDER BY symbol').all(venue) as {
      symbol: string;
      ts: number;
      price: number;
    }[];
  }

  /**
   * Equity at the start of a period (`YYYY-MM-DD` or `YYYY-MM`), the base of the loss limits.
   * The first value recorded for a period wins; later calls return it.
   */
  periodStartEquity(botId: string, period: string, equityNow: number, ts: number): number {
    this.db.prepare('INSERT OR IGNORE INTO period_equity (bot_id, period, equity, ts) VALUES (?, ?, ?, ?)').run(botId, period, equityNow, ts);
    return (this.db.prepare('SELECT equity FROM period_equity WHERE bot_id = ? AND period = ?').get(botId, period) as { equity: number }).equity;
  }

  /** Highest equity snapshot of a bot, or null before the first. */
  peakEquity(botId: string): number | null {
    this.flush();
    return (this.db.prepare('SELECT MAX(peak_equity) AS e FROM equity_hours WHERE bot_id = ?').get(botId) as { e: number | null }).e;
  }

  /** Start-of-period value if one was recorded (read-only: for reports). */
  periodEquityIfKnown(botId: string, period: string): number | null {
    const r = this.db.prepare('SELECT equity FROM period_equity WHERE bot_id = ? AND period = ?').get(botId, period) as { equity: number } | undefined;
    return r?.equity ?? null;
  }
}

/** A stored hour's snapshots, each named by its bot. */
function unpackRows(h: EquityHourRow): EquitySnapshot[] {
  return unpackEquityHour(h.hour_ts, h.snapshots).map((v: EquityValues) => ({ botId: h.bot_id, ...v }));
}
