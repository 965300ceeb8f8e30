import type { Db } from './database.js';

export interface BotRecord {
  readonly id: string;
  readonly strategy: string;
  readonly venue: string;
  readonly status: string;
  readonly createdTs: number;
  readonly updatedTs: number;
  readonly lastMarketTs: number | null;
  readonly currentRiskMultiplier: number;
  readonly lastRiskCalculation: number | null;
  readonly last50TradesPnl: number | null;
}

interface Row {
  id: string;
  strategy: string;
  venue: string;
  status: string;
  created_ts: number;
  updated_ts: number;
  last_market_ts: number | null;
  current_risk_multiplier: number;
  last_risk_calculation: number | null;
  last_50_trades_pnl: number | null;
}

function toBot(r: Row): BotRecord {
  return {
    id: r.id,
    strategy: r.strategy,
    venue: r.venue,
    status: r.status,
    createdTs: r.created_ts,
    updatedTs: r.updated_ts,
    lastMarketTs: r.last_market_ts,
    currentRiskMultiplier: r.current_risk_multiplier,
    lastRiskCalculation: r.last_risk_calculation,
    last50TradesPnl: r.last_50_trades_pnl,
  };
}

export class BotRepository {
  private readonly lastTsStmt;
  /** Last market time per bot not yet written: while a write batch is open only the latest is kept. */
  private readonly pendingLastTs = new Map<string, number>();
  /** Written by a `flush` since the batch's last commit (pending again if a transaction rolls back). */
  private readonly writtenLastTs = new Map<string, number>();

  /** `deferring`: true while a write batch is open (see WriteBatch.deferring). */
  constructor(
    private readonly db: Db,
    private readonly deferring: () => boolean = () => false,
  ) {
    this.lastTsStmt = db.prepare('UPDATE bots SET last_market_ts = ? WHERE id = ?');
  }

  /** Creates the bot row on first start; later starts only update its status. */
  ensure(id: string, strategy: string, venue: string, ts: number): BotRecord {
    this.db
      .prepare(
        `INSERT INTO bots (id, strategy, venue, status, created_ts, updated_ts) VALUES (?, ?, ?, 'starting', ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = 'starting', updated_ts = excluded.updated_ts`,
      )
      .run(id, strategy, venue, ts, ts);
    return this.get(id)!;
  }

  get(id: string): BotRecord | null {
    this.flush();
    const r = this.db.prepare('SELECT * FROM bots WHERE id = ?').get(id) as Row | undefined;
    return r ? toBot(r) : null;
  }

  list(): BotRecord[] {
    this.flush();
    return (this.db.prepare('SELECT * FROM bots ORDER BY id').all() as Row[]).map(toBot);
  }

  setStatus(id: string, status: string, ts: number): void {
    this.db.prepare('UPDATE bots SET status = ?, updated_ts = ? WHERE id = ?').run(status, ts, id);
  }

  /** The market time a bot has seen (written every market minute; kept in memory while a batch is open, see {@link flush}). */
  setLastMarketTs(id: string, ts: number): void {
    if (this.deferring()) this.pendingLastTs.set(id, ts);
    else this.lastTsStmt.run(ts, id);
  }

  /** Writes the last market times kept in memory (before each commit and before a read). */
  flush(): void {
    if (this.pendingLastTs.size === 0) return;
    for (const [id, ts] of this.pendingLastTs) {
      this.lastTsStmt.run(ts, id);
      this.writtenLastTs.set(id, ts);
    }
    this.pendingLastTs.clear();
  }

  /** The batch committed what was flushed. */
  settle(): void {
    this.writtenLastTs.clear();
  }

  /** A transaction rolled back: what was flushed since the last commit may be gone, so it is pending again. */
  restore(): void {
    for (const [id, ts] of this.writtenLastTs) if (!this.pendingLastTs.has(id)) this.pendingLastTs.set(id, ts);
    this.writtenLastTs.clear();
  }
}
