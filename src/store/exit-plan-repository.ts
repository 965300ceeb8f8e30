import type { Db } from './database.js';

/** ExitBrain's plan for one pair position: its levels, how they were made, and ladder progress. */
export interface ExitPlan {
  readonly pairId: string;
  readonly botId: string;
  readonly status: 'active' | 'closed';
  readonly longSymbol: string;
  readonly shortSymbol: string;
  /** Leg sizes when the pair opened: harvest fractions are of these. */
  readonly longSize: number;
  readonly shortSize: number;
  /** One leg's entry notional: levels are returns on it (ruling 5). */
  readonly entryNotional: number;
  readonly leverage: number;
  readonly tp1: number;
  readonly tp2: number;
  readonly tp3: number;
  readonly sl: number;
  readonly harvestScheme: readonly [number, number, number];
  readonly schemeName: string;
  readonly lsf: number;
  readonly adjustment: number;
  readonly mode: string;
  readonly fallback: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly levelsHit: 0 | 1 | 2 | 3;
  readonly closedFraction: number;
  readonly createdTs: number;
  readonly updatedTs: number;
}

/** One entry of seed 004's level stream, with the stream's field names, plus what happened. */
export interface ExitEvent {
  readonly pairId: string;
  readonly botId: string;
  readonly kind: 'plan' | 'level_hit' | 'stop' | 'harvest_fill' | 'exit_fill';
  readonly level: string | null;
  readonly symbol: string;
  readonly leverage: number;
  readonly tp1: number;
  readonly tp2: number;
  readonly tp3: number;
  readonly sl: number;
  readonly harvest_scheme: readonly number[];
  readonly LSF: number;
  readonly adjustment: number;
  readonly avg_pnl_last_20: number | null;
  /** Seconds, as in the spec's stream. */
  readonly timestamp: number;
  readonly ts: number;
  readonly pairReturn?: number;
  readonly closeFraction?: number;
  readonly fill?: { readonly clientOrderId: string; readonly tradeId: string; readonly symbol: string; readonly side: string; readonly size: number; readonly price: number };
}

interface PlanRow {
  pair_id: string;
  bot_id: string;
  status: 'active' | 'closed';
  long_symbol: string;
  short_symbol: string;
  long_size: number;
  short_size: number;
  entry_notional: number;
  leverage: number;
  tp1: number;
  tp2: number;
  tp3: number;
  sl: number;
  harvest_scheme: string;
  scheme_name: string;
  lsf: number;
  adjustment: number;
  mode: string;
  fallback: number;
  inputs: string;
  levels_hit: 0 | 1 | 2 | 3;
  closed_fraction: number;
  created_ts: number;
  updated_ts: number;
}

/**
 * `p` as an exit plan built in one place, so that every plan shares one hidden class: the plan of
 * an open pair is read on every book (ExitManager.evaluate), and one built by a spread (`{ ...plan,
 * levelsHit }`) or another literal had a class of its own, on which V8 threw away the optimised
 * per-book code (a wrong-map deopt) and compiled it again, days into a run.
 */
export function exitPlan(p: ExitPlan): ExitPlan {
  return {
    pairId: p.pairId,
    botId: p.botId,
    status: p.status,
    longSymbol: p.longSymbol,
    shortSymbol: p.shortSymbol,
    longSize: p.longSize,
    shortSize: p.shortSize,
    entryNotional: p.entryNotional,
    leverage: p.leverage,
    tp1: p.tp1,
    tp2: p.tp2,
    tp3: p.tp3,
    sl: p.sl,
    harvestScheme: p.harvestScheme,
    schemeName: p.schemeName,
    lsf: p.lsf,
    adjustment: p.adjustment,
    mode: p.mode,
    fallback: p.fallback,
    inputs: p.inputs,
    levelsHit: p.levelsHit,
    closedFraction: p.closedFraction,
    createdTs: p.createdTs,
    updatedTs: p.updatedTs,
  };
}

const toPlan = (r: PlanRow): ExitPlan =>
  exitPlan({
    pairId: r.pair_id,
    botId: r.bot_id,
    status: r.status,
    longSymbol: r.long_symbol,
    shortSymbol: r.short_symbol,
    longSize: r.long_size,
    shortSize: r.short_size,
    entryNotional: r.entry_notional,
    leverage: r.leverage,
    tp1: r.tp1,
    tp2: r.tp2,
    tp3: r.tp3,
    sl: r.sl,
    harvestScheme: JSON.parse(r.harvest_scheme) as [number, number, number],
    schemeName: r.scheme_name,
    lsf: r.lsf,
    adjustment: r.adjustment,
    mode: r.mode,
    fallback: r.fallback === 1,
    inputs: JSON.parse(r.inputs) as Record<string, unknown>,
    levelsHit: r.levels_hit,
    closedFraction: r.closed_fraction,
    createdTs: r.created_ts,
    updatedTs: r.updated_ts,
  });

/** The columns of a plan its exit events repeat. */
type PlanLevels = Pick<PlanRow, 'long_symbol' | 'short_symbol' | 'leverage' | 'tp1' | 'tp2' | 'tp3' | 'sl' | 'harvest_scheme' | 'lsf' | 'adjustment'>;

/**
 * `exit_plans` and `exit_events` (seed 004's Redis stream, in SQLite: the view `exit_stream`
 * reads each event whole, its plan's levels filled in).
 */
export class ExitPlanRepository {
  private readonly createStmt;
  private readonly closeStmt;
  private readonly getStmt;
  private readonly progressStmt;
  private readonly recordStmt;
  private readonly planLevelsStmt;
  private readonly countAfterStmt;
  private tally: { readonly n: number; readonly last: number } | null = null;

  constructor(private readonly db: Db) {
    this.countAfterStmt = db.prepare('SELECT COUNT(*) AS n, MAX(id) AS last FROM exit_events WHERE id > ?');
    this.createStmt = db.prepare(
      `INSERT INTO exit_plans (pair_id, bot_id, status, long_symbol, short_symbol, long_size, short_size, entry_notional, leverage,
         tp1, tp2, tp3, sl, harvest_scheme, scheme_name, lsf, adjustment, mode, fallback, inputs, levels_hit, closed_fraction, created_ts, updated_ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.closeStmt = db.prepare(`UPDATE exit_plans SET status = 'closed', updated_ts = ? WHERE pair_id = ?`);
    this.getStmt = db.prepare('SELECT * FROM exit_plans WHERE pair_id = ?');
    this.progressStmt = db.prepare('UPDATE exit_plans SET levels_hit = ?, closed_fraction = ?, updated_ts = ? WHERE pair_id = ?');
    this.planLevelsStmt = db.prepare('SELECT long_symbol, short_symbol, leverage, tp1, tp2, tp3, sl, harvest_scheme, lsf, adjustment FROM exit_plans WHERE pair_id = ?');
    this.recordStmt = db.prepare(
      `INSERT INTO exit_events (pair_id, bot_id, kind, level, symbol, leverage, tp1, tp2, tp3, sl, harvest_scheme, lsf, adjustment,
         avg_pnl_last_20, timestamp, ts, pair_return, close_fraction, client_order_id, trade_id, fill_symbol, fill_side, fill_size, fill_price)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  create(p: ExitPlan): void {
    this.createStmt.run(p.pairId, p.botId, p.status, p.longSymbol, p.shortSymbol, p.longSize, p.shortSize, p.entryNotional, p.leverage, p.tp1, p.tp2, p.tp3, p.sl,
        JSON.stringify(p.harvestScheme), p.schemeName, p.lsf, p.adjustment, p.mode, p.fallback ? 1 : 0, JSON.stringify(p.inputs), p.levelsHit, p.closedFraction, p.createdTs, p.updatedTs);
  }

  /** Records ladder progress; written before the orders it implies are sent. */
  progress(pairId: string, levelsHit: number, closedFraction: number, ts: number): void {
    this.progressStmt.run(levelsHit, closedFraction, ts, pairId);
  }

  close(pairId: string, ts: number): void {
    this.closeStmt.run(ts, pairId);
  }

  get(pairId: string): ExitPlan | null {
    const r = this.getStmt.get(pairId) as PlanRow | undefined;
    return r ? toPlan(r) : null;
  }

  active(botId: string): ExitPlan[] {
    return (this.db.prepare(`SELECT * FROM exit_plans WHERE bot_id = ? AND status = 'active' ORDER BY created_ts`).all(botId) as PlanRow[]).map(toPlan);
  }

  /**
   * Appends `e` to the stream. Its plan's levels and its time in seconds are stored as NULL where
   * they are its plan's (the seconds: ts's), and `exit_stream` reads them back (migration 19).
   * @throws RangeError naming the field when a level or the time is NaN (the stream refused it).
   */
  record(e: ExitEvent): void {
    const p = this.planLevelsStmt.get(e.pairId) as PlanLevels | undefined;
    const scheme = JSON.stringify(e.harvest_scheme);
    const own = <T>(field: string, value: T, planValue: T | undefined): T | null => {
      if (typeof value === 'number' && Number.isNaN(value)) throw new RangeError(`exit event ${field} is NaN`);
      return p !== undefined && value === planValue ? null : value;
    };
    const secondsOfTs = Number.isSafeInteger(e.ts) && e.ts >= 0 ? Math.floor(e.ts / 1000) : undefined;
    if (Number.isNaN(e.timestamp)) throw new RangeError('exit event timestamp is NaN');
    this.recordStmt.run(e.pairId, e.botId, e.kind, e.level, own('symbol', e.symbol, p && `${p.long_symbol}/${p.short_symbol}`), own('leverage', e.leverage, p?.leverage),
        own('tp1', e.tp1, p?.tp1), own('tp2', e.tp2, p?.tp2), own('tp3', e.tp3, p?.tp3), own('sl', e.sl, p?.sl), own('harvest_scheme', scheme, p?.harvest_scheme),
        own('LSF', e.LSF, p?.lsf), own('adjustment', e.adjustment, p?.adjustment), e.avg_pnl_last_20, e.timestamp === secondsOfTs ? null : e.timestamp, e.ts,
        e.pairReturn ?? null, e.closeFraction ?? null, e.fill?.clientOrderId ?? null, e.fill?.tradeId ?? null,
        e.fill?.symbol ?? null, e.fill?.side ?? null, e.fill?.size ?? null, e.fill?.price ?? null);
  }

  events(pairId: string): { kind: string; level: string | null; ts: number; pairReturn: number | null; fillSymbol: string | null; fillSize: number | null; fillPrice: number | null; tradeId: string | null }[] {
    return (
      this.db.prepare('SELECT * FROM exit_events WHERE pair_id = ? ORDER BY id').all(pairId) as {
        kind: string; level: string | null; ts: number; pair_return: number | null; fill_symbol: string | null; fill_size: number | null; fill_price: number | null; trade_id: string | null;
      }[]
    ).map((r) => ({ kind: r.kind, level: r.level, ts: r.ts, pairReturn: r.pair_return, fillSymbol: r.fill_symbol, fillSize: r.fill_size, fillPrice: r.fill_price, tradeId: r.trade_id }));
  }

  /**
   * Rows in `exit_events`. Counted once, then only the rows after the last id seen (ids only grow:
   * AUTOINCREMENT, and rows are never deleted), so `/health` does not count the whole stream each time.
   */
  count(): number {
    if (!this.tally) {
      const r = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM exit_events').get() as { n: number; last: number };
      this.tally = { n: r.n, last: r.last };
    } else {
      const r = this.countAfterStmt.get(this.tally.last) as { n: number; last: number | null };
      if (r.last !== null) this.tally = { n: this.tally.n + r.n, last: r.last };
    }
    return this.tally.n;
  }
}
