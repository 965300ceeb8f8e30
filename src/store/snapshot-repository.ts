import type { Db } from './database.js';

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

/** Equity rows written by one statement when a batch's rows are flushed. */
const EQUITY_CHUNK = 32;
const EQUITY_COLUMNS = '(bot_id, ts, equity, collateral, net_delta, gross_notional)';

/**
 * Equity snapshots, the paper account's collateral and last marks: what a restart resumes from.
 *
 * The last marks and the paper account are one row each, rewritten every market minute: while a
 * write batch is open (`deferring`) only their latest values are kept, and written before each
 * commit (`flush`) and before they are read, so every commit holds the same rows. Equity rows (one
 * per bot and snapshot) are kept in order while a batch is open and written then too,
 * {@link EQUITY_CHUNK} to a statement: a replayed week's ten thousand rows in a few hundred
 * statements, and the runtime's snapshot transaction writes nothing to SQLite (no savepoint).
 * Reads through this repository write them first; a raw read of `equity_snapshots` in this
 * process sees them at the batch's next commit (100 ms of wall time), as other processes do.
 */
export class SnapshotRepository {
  private readonly equityStmt;
  private readonly collateralStmt;
  private readonly markStmt;
  /**
   * Latest values not yet written, in the order of their last write: a row replaced later gets a
   * later rowid, so the rows keep the order writing each value at once gives them.
   */
  private readonly pendingMarks = new Set<MarkSlot>();
  /**
   * Each symbol's one mark slot per venue, updated in place: a minute's marks are kept without
   * building a key string or a new object per mark. A slot not pending holds what was last written.
   */
  private readonly markSlots = new Map<string, Map<string, MarkSlot>>();
  private readonly pendingPaper = new Map<string, { collateral: number; fundingPaid: number; ts: number }>();
  /** Equity rows not yet written, oldest first (a later row of the same bot and ts replaces an earlier one). */
  private pendingEquity: EquitySnapshot[] = [];
  private pending = false;
  /**
   * Values written by a `flush` since the batch's last commit: a flush inside a transaction that
   * rolls back loses its rows, so they are kept until the commit and pending again on a rollback.
   */
  private readonly writtenMarks = new Set<MarkSlot>();
  private readonly writtenPaper = new Map<string, { collateral: number; fundingPaid: number; ts: number }>();
  private writtenEquity: EquitySnapshot[] = [];
  private readonly equityChunkStmt;

  /** `deferring`: true while a write batch is open (see WriteBatch.deferring). */
  constructor(
    private readonly db: Db,
    private readonly deferring: () => boolean = () => false,
  ) {
    this.equityStmt = db.prepare(
      `INSERT OR REPLACE INTO equity_snapshots ${EQUITY_COLUMNS} VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // Rows in one statement are written in order: a later row with the same key replaces an earlier one.
    this.equityChunkStmt = db.prepare(
      `INSERT OR REPLACE INTO equity_snapshots ${EQUITY_COLUMNS} VALUES ${new Array<string>(EQUITY_CHUNK).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.collateralStmt = db.prepare('INSERT OR REPLACE INTO paper_accounts (venue, collateral, funding_paid, updated_ts) VALUES (?, ?, ?, ?)');
    this.markStmt = db.prepare('INSERT OR REPLACE INTO market_marks (venue, symbol, ts, price) VALUES (?, ?, ?, ?)');
  }

  saveEquity(s: EquitySnapshot): void {
    if (this.deferring()) {
      this.pendingEquity.push(s);
      this.pending = true;
      return;
    }
    this.equityStmt.run(s.botId, s.ts, s.equity, s.collateral, s.netDelta, s.grossNotional);
  }

  latestEquity(botId: string): EquitySnapshot | null {
    this.flush();
    const r = this.db
      .prepare('SELECT * FROM equity_snapshots WHERE bot_id = ? ORDER BY ts DESC LIMIT 1')
      .get(botId) as
      | { bot_id: string; ts: number; equity: number; collateral: number; net_delta: number; gross_notional: number }
      | undefined;
    return r
      ? { botId: r.bot_id, ts: r.ts, equity: r.equity, collateral: r.collateral, netDelta: r.net_delta, grossNotional: r.gross_notional }
      : null;
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
    if (this.pendingEquity.length > 0) {
      const rows = this.pendingEquity;
      this.pendingEquity = [];
      this.writeEquity(rows);
      for (const r of rows) this.writtenEquity.push(r);
    }
  }

  private writeEquity(rows: readonly EquitySnapshot[]): void {
    let i = 0;
    if (rows.length >= EQUITY_CHUNK) {
      const args: (string | number)[] = new Array<string | number>(EQUITY_CHUNK * 6);
      for (; i + EQUITY_CHUNK <= rows.length; i += EQUITY_CHUNK) {
        for (let j = 0; j < EQUITY_CHUNK; j++) {
          const r = rows[i + j]!;
          const k = j * 6;
          args[k] = r.botId;
          args[k + 1] = r.ts;
          args[k + 2] = r.equity;
          args[k + 3] = r.collateral;
          args[k + 4] = r.netDelta;
          args[k + 5] = r.grossNotional;
        }
        this.equityChunkStmt.run(args);
      }
    }
    for (; i < rows.length; i++) {
      const r = rows[i]!;
      this.equityStmt.run(r.botId, r.ts, r.equity, r.collateral, r.netDelta, r.grossNotional);
    }
  }

  /** The batch committed what was flushed: nothing to write again. */
  settle(): void {
    this.writtenMarks.clear();
    this.writtenPaper.clear();
    this.writtenEquity = [];
  }

  /** A transaction rolled back: what was flushed since the last commit may be gone, so it is pending again. */
  restore(): void {
    // A written slot not pending again still holds the values written.
    for (const m of this.writtenMarks) this.pendingMarks.add(m);
    for (const [venue, p] of this.writtenPaper) if (!this.pendingPaper.has(venue)) this.pendingPaper.set(venue, p);
    // Written before the ones still pending: they go first again.
    if (this.writtenEquity.length > 0) this.pendingEquity = this.writtenEquity.concat(this.pendingEquity);
    if (this.pendingMarks.size > 0 || this.pendingPaper.size > 0 || this.pendingEquity.length > 0) this.pending = true;
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
    return (this.db.prepare('SELECT MAX(equity) AS e FROM equity_snapshots WHERE bot_id = ?').get(botId) as { e: number | null }).e;
  }

  /** Start-of-period value if one was recorded (read-only: for reports). */
  periodEquityIfKnown(botId: string, period: string): number | null {
    const r = this.db.prepare('SELECT equity FROM period_equity WHERE bot_id = ? AND period = ?').get(botId, period) as { equity: number } | undefined;
    return r?.equity ?? null;
  }
}
