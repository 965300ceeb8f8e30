import type { Db } from './database.js';

export type RoundTripStatus = 'entering' | 'open' | 'exiting' | 'closed' | 'canceled';

/** One pair trade, from entry intent to flat. */
export interface RoundTrip {
  readonly id: string;
  readonly botId: string;
  readonly status: RoundTripStatus;
  readonly longSymbol: string;
  readonly shortSymbol: string;
  readonly targetNotional: number;
  readonly entryTs: number;
  readonly openTs: number | null;
  readonly exitTs: number | null;
  readonly exitReason: string | null;
  readonly realizedPnl: number | null;
  readonly fees: number | null;
  readonly signal: Readonly<Record<string, number>>;
  readonly updatedTs: number;
}

interface Row {
  id: string;
  bot_id: string;
  status: RoundTripStatus;
  long_symbol: string;
  short_symbol: string;
  target_notional: number;
  entry_ts: number;
  open_ts: number | null;
  exit_ts: number | null;
  exit_reason: string | null;
  realized_pnl: number | null;
  fees: number | null;
  signal: string;
  updated_ts: number;
}

/**
 * `r` as a round trip built in one place, so that every round trip shares one hidden class. A pair's
 * row is read on every book while it is open (its status, its symbols): built as a spread of the
 * last one (`{ ...rt, status }`) or by another literal, it had a second and third class, and V8
 * threw away the optimised per-book code on the new one (a wrong-map deopt) and compiled it again,
 * on the first and later days of a run.
 */
export function roundTrip(r: RoundTrip): RoundTrip {
  return {
    id: r.id,
    botId: r.botId,
    status: r.status,
    longSymbol: r.longSymbol,
    shortSymbol: r.shortSymbol,
    targetNotional: r.targetNotional,
    entryTs: r.entryTs,
    openTs: r.openTs,
    exitTs: r.exitTs,
    exitReason: r.exitReason,
    realizedPnl: r.realizedPnl,
    fees: r.fees,
    signal: r.signal,
    updatedTs: r.updatedTs,
  };
}

function toRoundTrip(r: Row): RoundTrip {
  return roundTrip({
    id: r.id,
    botId: r.bot_id,
    status: r.status,
    longSymbol: r.long_symbol,
    shortSymbol: r.short_symbol,
    targetNotional: r.target_notional,
    entryTs: r.entry_ts,
    openTs: r.open_ts,
    exitTs: r.exit_ts,
    exitReason: r.exit_reason,
    realizedPnl: r.realized_pnl,
    fees: r.fees,
    signal: JSON.parse(r.signal) as Record<string, number>,
    updatedTs: r.updated_ts,
  });
}

export class RoundTripRepository {
  private readonly upsertStmt;
  private readonly recentStmt;
  private readonly recentSinceStmt;
  /**
   * `recentPnls` answers by bot and count, kept while batches are open and forgotten on this
   * repository's own writes, on a rollback, and when another process committed (SQLite's
   * `data_version` moved, looked at once per batch snapshot): a bot asks before every entry
   * attempt, and the answer moves only when a round trip is saved. Kept across the batch's own
   * commits (every 100 ms of wall time), which change nothing in it.
   */
  private readonly pnls = new Map<string, { readonly n: number; readonly values: readonly number[] }>();
  private readonly dataVersionStmt;
  /** The batch snapshot `pnls` was last checked against other processes' commits in. */
  private checkedIn: number | null = null;
  private dataVersion = -1;

  /** `snapshot`: the open batch's snapshot number, or null (see WriteBatch.snapshot). */
  constructor(
    private readonly db: Db,
    private readonly snapshot: () => number | null = () => null,
  ) {
    this.dataVersionStmt = db.prepare('PRAGMA data_version').pluck();
    this.recentStmt = db.prepare(
      `SELECT realized_pnl AS p FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts DESC, id DESC LIMIT ?`,
    );
    this.recentSinceStmt = db.prepare(
      `SELECT realized_pnl AS p FROM round_trips WHERE bot_id = ? AND status = 'closed' AND exit_ts > ? ORDER BY exit_ts DESC, id DESC LIMIT ?`,
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO round_trips (id, bot_id, status, long_symbol, short_symbol, target_notional, entry_ts, open_ts,
         exit_ts, exit_reason, realized_pnl, fees, signal, updated_ts)
       VALUES (@id, @bot_id, @status, @long_symbol, @short_symbol, @target_notional, @entry_ts, @open_ts,
         @exit_ts, @exit_reason, @realized_pnl, @fees, @signal, @updated_ts)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, open_ts = excluded.open_ts, exit_ts = excluded.exit_ts,
         exit_reason = excluded.exit_reason, realized_pnl = excluded.realized_pnl, fees = excluded.fees,
         updated_ts = excluded.updated_ts`,
    );
  }

  save(rt: RoundTrip): void {
    this.pnls.clear();
    this.upsertStmt.run({
      id: rt.id,
      bot_id: rt.botId,
      status: rt.status,
      long_symbol: rt.longSymbol,
      short_symbol: rt.shortSymbol,
      target_notional: rt.targetNotional,
      entry_ts: rt.entryTs,
      open_ts: rt.openTs,
      exit_ts: rt.exitTs,
      exit_reason: rt.exitReason,
      realized_pnl: rt.realizedPnl,
      fees: rt.fees,
      signal: JSON.stringify(rt.signal),
      updated_ts: rt.updatedTs,
    });
  }

  /** Pairs not yet closed or canceled, oldest first. */
  active(botId: string): RoundTrip[] {
    return (
      this.db
        .prepare(`SELECT * FROM round_trips WHERE bot_id = ? AND status IN ('entering','open','exiting') ORDER BY entry_ts, id`)
        .all(botId) as Row[]
    ).map(toRoundTrip);
  }

  closed(botId?: string): RoundTrip[] {
    const rows = (
      botId === undefined
        ? this.db.prepare(`SELECT * FROM round_trips WHERE status = 'closed' ORDER BY exit_ts, id`).all()
        : this.db.prepare(`SELECT * FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts, id`).all(botId)
    ) as Row[];
    return rows.map(toRoundTrip);
  }

  /** The last `n` closed round trips, newest first (from the end of the bot/status/exit-time index). */
  recentClosed(botId: string, n: number): RoundTrip[] {
    return (
      this.db.prepare(`SELECT * FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts DESC, id DESC LIMIT ?`).all(botId, n) as Row[]
    ).map(toRoundTrip);
  }

  count(botId?: string): Record<string, number> {
    const rows = (
      botId === undefined
        ? this.db.prepare('SELECT status, COUNT(*) AS n FROM round_trips GROUP BY status').all()
        : this.db.prepare('SELECT status, COUNT(*) AS n FROM round_trips WHERE bot_id = ? GROUP BY status').all(botId)
    ) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** PnL of the last `n` closed round trips, oldest first. */
  recentPnls(botId: string, n: number): number[] {
    const snapshot = this.snapshot();
    if (snapshot === null) return this.readPnls(botId, n);
    if (snapshot !== this.checkedIn) {
      this.checkedIn = snapshot;
      const version = this.dataVersionStmt.get() as number;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        this.pnls.clear();
      }
    }
    const known = this.pnls.get(botId);
    if (known !== undefined && known.n === n) return known.values.slice();
    const values = this.readPnls(botId, n);
    this.pnls.set(botId, { n, values: values.slice() });
    return values;
  }

  private readPnls(botId: string, n: number): number[] {
    const rows = this.recentStmt.all(botId, n) as { p: number }[];
    return rows.map((r) => r.p).reverse();
  }

  /** Forgets the answers kept in memory (a transaction was rolled back). */
  forget(): void {
    this.pnls.clear();
  }

  /**
   * PnL of the last `n` closed round trips with `exit_ts` strictly after `ts`, oldest first. Reads
   * at most `n` rows from the end of the (bot, status, exit time) index, however long the history.
   */
  recentPnlsSince(botId: string, ts: number, n: number): number[] {
    const rows = this.recentSinceStmt.all(botId, ts, n) as { p: number | null }[];
    const out = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) out[rows.length - 1 - i] = rows[i]!.p ?? 0;
    return out;
  }

  /** Closed round trips with `exit_ts` strictly after `ts`, oldest first. */
  closedSince(botId: string, ts: number): RoundTrip[] {
    return (
      this.db.prepare(`SELECT * FROM round_trips WHERE bot_id = ? AND status = 'closed' AND exit_ts > ? ORDER BY exit_ts, id`).all(botId, ts) as Row[]
    ).map(toRoundTrip);
  }

  /** Return (PnL ÷ target notional) of the last `n` closed round trips, oldest first, and the lifetime count. */
  recentReturns(botId: string, n: number): { returns: number[]; total: number } {
    const rows = this.db
      .prepare(`SELECT realized_pnl AS p, target_notional AS t FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts DESC, id DESC LIMIT ?`)
      .all(botId, n) as { p: number | null; t: number }[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM round_trips WHERE bot_id = ? AND status = 'closed'`).get(botId) as { n: number }).n;
    return { returns: rows.map((r) => (r.t > 0 ? (r.p ?? 0) / r.t : 0)).reverse(), total };
  }
}
