import type { Db } from './database.js';

export interface RiskSnapshot {
  readonly ts: number;
  readonly venue: string;
  readonly riskLevel: string;
  readonly action: string;
  readonly healthRatio: number | null;
  readonly var1d95: number | null;
  readonly report: Readonly<Record<string, unknown>>;
}

/** A snapshot's column values, in the insert statement's order (the report already JSON). */
type RiskRow = readonly [ts: number, venue: string, riskLevel: string, action: string, healthRatio: number | null, var1d95: number | null, report: string];

/**
 * The portfolio risk evaluations the running bot recorded: level, action and health in columns, the
 * full report on a change of level, a compact one on routine rows.
 *
 * While a write batch is open (`deferring`), a snapshot recorded outside any transaction is kept in
 * memory and written, in order, before the batch's next commit (`flush`) or before a read here: a
 * simulated day's 96 rows go in with the commit's other rows instead of each paying for its own
 * trip into SQLite between market events (~40 µs each there, against ~2 µs at a commit). One
 * recorded inside a transaction is written at once, after the kept ones (same ids, same order), so
 * it is rolled back with that transaction. Durability is unchanged: a row of an open batch is
 * durable at its commit either way.
 */
export class RiskSnapshotRepository {
  private readonly insertStmt;
  /** Rows not yet written, oldest first. */
  private pending: RiskRow[] = [];
  /**
   * Written by a `flush` since the batch's last commit, with their ids: a flush inside a
   * transaction that rolls back loses its rows, which are then pending again (see {@link restore}).
   */
  private written: { readonly row: RiskRow; readonly id: number | bigint }[] = [];
  private readonly existsStmt;

  /** `deferring`: a write batch is open; `inRun`: inside a transaction (see WriteBatch). */
  constructor(
    private readonly db: Db,
    private readonly deferring: () => boolean = () => false,
    private readonly inRun: () => boolean = () => false,
  ) {
    this.insertStmt = db.prepare('INSERT INTO risk_snapshots (ts, venue, risk_level, action, health_ratio, var_1d_95, report) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.existsStmt = db.prepare('SELECT 1 FROM risk_snapshots WHERE id = ?').pluck();
  }

  record(s: RiskSnapshot): void {
    const row: RiskRow = [s.ts, s.venue, s.riskLevel, s.action, s.healthRatio, s.var1d95, JSON.stringify(s.report)];
    if (this.deferring() && !this.inRun()) {
      this.pending.push(row);
      return;
    }
    this.flush();
    this.insertStmt.run(...row);
  }

  /** Writes the rows kept in memory, oldest first. */
  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    for (const row of rows) this.written.push({ row, id: this.insertStmt.run(...row).lastInsertRowid });
  }

  /** The batch committed what was flushed. */
  settle(): void {
    this.written = [];
  }

  /**
   * A transaction rolled back: the rows flushed since the last commit that it took back (those
   * flushed inside it) are pending again, before the ones still pending; the others stay written.
   * Rare (an error path), so each row is looked up.
   */
  restore(): void {
    if (this.written.length === 0) return;
    const gone = this.written.filter((w) => this.existsStmt.get(w.id) === undefined);
    if (gone.length === 0) return;
    this.written = this.written.filter((w) => !gone.includes(w));
    this.pending = gone.map((w) => w.row).concat(this.pending);
  }

  latest(venue: string): RiskSnapshot | null {
    this.flush();
    const r = this.db.prepare('SELECT * FROM risk_snapshots WHERE venue = ? ORDER BY id DESC LIMIT 1').get(venue) as
      | { ts: number; venue: string; risk_level: string; action: string; health_ratio: number | null; var_1d_95: number | null; report: string }
      | undefined;
    if (!r) return null;
    // A routine row's report leaves out what its columns hold.
    const report = { healthRatio: r.health_ratio, riskLevel: r.risk_level, ...(JSON.parse(r.report) as Record<string, unknown>) };
    return { ts: r.ts, venue: r.venue, riskLevel: r.risk_level, action: r.action, healthRatio: r.health_ratio, var1d95: r.var_1d_95, report };
  }

  levels(venue: string): Record<string, number> {
    this.flush();
    const rows = this.db.prepare('SELECT risk_level, COUNT(*) AS n FROM risk_snapshots WHERE venue = ? GROUP BY risk_level').all(venue) as { risk_level: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.risk_level, r.n]));
  }
}
