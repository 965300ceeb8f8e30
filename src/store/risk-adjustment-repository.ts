import type { Db } from './database.js';

/** One recalculation of a bot's risk multiplier, with everything it was computed from. */
export interface RiskAdjustment {
  readonly botId: string;
  readonly ts: number;
  readonly previousMultiplier: number;
  readonly multiplier: number;
  readonly signalStrength: number;
  readonly confidence: number;
  readonly avgPnlLast50: number | null;
  readonly tradesInWindow: number;
  readonly trigger: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Seed 000's log of adjustments, plus the bot row's current multiplier fields. */
export class RiskAdjustmentRepository {
  private readonly insertStmt;
  private readonly botStmt;
  private readonly write;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO risk_adjustments (bot_id, ts, previous_multiplier, multiplier, signal_strength, confidence,
         avg_pnl_last_50, trades_in_window, trigger, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.botStmt = db.prepare('UPDATE bots SET current_risk_multiplier = ?, last_risk_calculation = ?, last_50_trades_pnl = ? WHERE id = ?');
    // Prepared once: a recalculation follows every closed round trip.
    this.write = db.transaction((a: RiskAdjustment) => {
      this.insertStmt.run(a.botId, a.ts, a.previousMultiplier, a.multiplier, a.signalStrength, a.confidence, a.avgPnlLast50, a.tradesInWindow, a.trigger, JSON.stringify(a.inputs));
      this.botStmt.run(a.multiplier, a.ts, a.avgPnlLast50, a.botId);
    });
  }

  /** Stores the recalculation and updates the bot row atomically. */
  record(a: RiskAdjustment): void {
    this.write(a);
  }

  recent(botId: string, limit = 20): RiskAdjustment[] {
    return (
      this.db.prepare('SELECT * FROM risk_adjustments WHERE bot_id = ? ORDER BY id DESC LIMIT ?').all(botId, limit) as {
        bot_id: string;
        ts: number;
        previous_multiplier: number;
        multiplier: number;
        signal_strength: number;
        confidence: number;
        avg_pnl_last_50: number | null;
        trades_in_window: number;
        trigger: string;
        inputs: string;
      }[]
    ).map((r) => ({
      botId: r.bot_id,
      ts: r.ts,
      previousMultiplier: r.previous_multiplier,
      multiplier: r.multiplier,
      signalStrength: r.signal_strength,
      confidence: r.confidence,
      avgPnlLast50: r.avg_pnl_last_50,
      tradesInWindow: r.trades_in_window,
      trigger: r.trigger,
      inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    }));
  }
}
