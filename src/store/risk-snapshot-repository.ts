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

/**
 * The portfolio risk evaluations the running bot recorded: level, action and health in columns, the
 * full report on a change of level, a compact one on routine rows.
 */
export class RiskSnapshotRepository {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT INTO risk_snapshots (ts, venue, risk_level, action, health_ratio, var_1d_95, report) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  record(s: RiskSnapshot): void {
    this.insertStmt.run(s.ts, s.venue, s.riskLevel, s.action, s.healthRatio, s.var1d95, JSON.stringify(s.report));
  }

  latest(venue: string): RiskSnapshot | null {
    const r = this.db.prepare('SELECT * FROM risk_snapshots WHERE venue = ? ORDER BY id DESC LIMIT 1').get(venue) as
      | { ts: number; venue: string; risk_level: string; action: string; health_ratio: number | null; var_1d_95: number | null; report: string }
      | undefined;
    if (!r) return null;
    // A routine row's report leaves out what its columns hold.
    const report = { healthRatio: r.health_ratio, riskLevel: r.risk_level, ...(JSON.parse(r.report) as Record<string, unknown>) };
    return { ts: r.ts, venue: r.venue, riskLevel: r.risk_level, action: r.action, healthRatio: r.health_ratio, var1d95: r.var_1d_95, report };
  }

  levels(venue: string): Record<string, number> {
    const rows = this.db.prepare('SELECT risk_level, COUNT(*) AS n FROM risk_snapshots WHERE venue = ? GROUP BY risk_level').all(venue) as { risk_level: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.risk_level, r.n]));
  }
}
