import { CompensatedSum } from '../core/compensated-sum.js';
import type { Db } from '../store/database.js';

/** One bot's all-time figures, as the full-history queries they replace would read them. */
export interface BotLedgerTotals {
  /** Closed round trips (`status = 'closed'`). */
  readonly closedPairs: number;
  /** `SUM(realized_pnl)` of the closed round trips: net of fees. */
  readonly realisedPnlUsd: number;
  /** Fills booked per symbol, symbols in SQLite's order. */
  readonly fillsBySymbol: Readonly<Record<string, number>>;
  /** Every fill's fee: each symbol's `SUM(fee)`, added up in symbol order. */
  readonly feesUsd: number;
  /** Orders by their current status, statuses in SQLite's order. */
  readonly ordersByStatus: Readonly<Record<string, number>>;
  /** Rejected orders by reason (`unknown` without one), reasons in SQLite's order. */
  readonly rejectionsByReason: Readonly<Record<string, number>>;
  /** `SUM(fees_usd)` and `SUM(realized_pnl)` over the bot's daily rows. */
  readonly daily: { readonly feesUsd: number; readonly realizedPnlUsd: number };
}

/** Where the all-time figures come from: the running {@link LedgerTotals}, or one query each. */
export interface LedgerTotalsReader {
  bot(botId: string): BotLedgerTotals;
}

interface FillTotal {
  n: number;
  readonly fees: CompensatedSum;
}

interface ClosedTotal {
  n: number;
  pnl: CompensatedSum;
  /** The last closed trip's place in the index the sum is read in: (exit_ts, id). */
  last: { readonly exitTs: number; readonly id: string } | null;
}

interface DailyTotal {
  /** Days before `from`, folded in day order. */
  fees: CompensatedSum;
  pnl: CompensatedSum;
  from: string;
}

interface BotState {
  readonly orders: Map<string, number>;
  readonly rejections: Map<string, number>;
  readonly fills: Map<string, FillTotal>;
  closed: ClosedTotal | null;
  daily: DailyTotal | null;
}

/** SQLite's BINARY collation: UTF-8 bytes. */
const binary = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const sortedRecord = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => binary(a[0], b[0])));
const bump = (m: Map<string, number>, k: string, by: number): void => {
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k);
  else m.set(k, n);
};

let instances = 0;

/**
 * All-time totals of the ledger for `/metrics` and the status API, kept in memory instead of
 * summed over every order, fill and round trip on each read. Built once from SQLite, then kept
 * current by TEMP triggers on this connection (they live and die with it; the file's schema is
 * untouched) calling back into JavaScript as orders, fills, round trips and daily rows are
 * written, whoever writes them. Each figure is exactly what its full-history query reads: counts
 * are counts, and sums replay SQLite's own summation in the index order the query reads
 * ({@link CompensatedSum}); a change that lands out of that order (a closed trip changed, a late
 * fill on a past day) marks the bot's sum stale, and it is read again from its index once.
 *
 * A transaction rolled back after a trigger fired is not undone here (the writers roll back only
 * on errors that stop the run).
 */
export class LedgerTotals implements LedgerTotalsReader {
  private readonly bots = new Map<string, BotState>();
  private readonly triggers: string[] = [];
  private readonly readClosed;
  private readonly readDays;

  private constructor(private readonly db: Db) {
    this.readClosed = db.prepare(`SELECT exit_ts AS exitTs, id, realized_pnl AS pnl FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts, id`);
    this.readDays = db.prepare('SELECT day, fees_usd AS fees, realized_pnl AS pnl FROM daily_volume WHERE bot_id = ? AND day >= ? ORDER BY day');
  }

  /** Totals read once from the database (a process that only reads: `dnbot status`). */
  static scan(db: Db): LedgerTotals {
    const t = new LedgerTotals(db);
    t.rebuild();
    return t;
  }

  /** Totals read once, then kept current as this connection writes (call {@link detach} when done). */
  static attach(db: Db): LedgerTotals {
    const t = new LedgerTotals(db);
    // Built and wired in one synchronous step: no write can fall between the two.
    t.rebuild();
    t.wire();
    return t;
  }

  /** Drops the triggers; the totals stop following the database. */
  detach(): void {
    for (const name of this.triggers.splice(0)) this.db.exec(`DROP TRIGGER IF EXISTS temp.${name}`);
  }

  /** One bot's totals now (a bot with no rows: zeros and empty maps). */
  bot(botId: string): BotLedgerTotals {
    const s = this.state(botId);
    const closed = (s.closed ??= this.closedFromIndex(botId));
    const fills = [...s.fills].sort((a, b) => binary(a[0], b[0]));
    return {
      closedPairs: closed.n,
      realisedPnlUsd: closed.pnl.value(),
      fillsBySymbol: Object.fromEntries(fills.map(([symbol, f]) => [symbol, f.n])),
      feesUsd: fills.reduce((a, [, f]) => a + f.fees.value(), 0),
      ordersByStatus: sortedRecord(s.orders),
      rejectionsByReason: sortedRecord(s.rejections),
      daily: this.daily(botId, s),
    };
  }

  private state(botId: string): BotState {
    let s = this.bots.get(botId);
    if (!s) {
      s = { orders: new Map(), rejections: new Map(), fills: new Map(), closed: null, daily: null };
      this.bots.set(botId, s);
    }
    return s;
  }

  private rebuild(): void {
    const orders = this.db.prepare('SELECT bot_id AS bot, status, reject_reason AS reason, COUNT(*) AS n FROM orders GROUP BY bot_id, status, reject_reason').all() as { bot: string; status: string; reason: string | null; n: number }[];
    for (const r of orders) {
      const s = this.state(r.bot);
      bump(s.orders, r.status, r.n);
      if (r.status === 'rejected') bump(s.rejections, r.reason ?? 'unknown', r.n);
    }
    // In the order the fills were booked: the order the triggers add them in after this.
    const fills = this.db.prepare('SELECT o.bot_id AS bot, f.symbol AS symbol, f.fee AS fee FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id ORDER BY f.rowid').iterate() as Iterable<{ bot: string; symbol: string; fee: number }>;
    for (const r of fills) this.addFill(r.bot, r.symbol, r.fee);
    // Closed trips and daily rows per bot, from their index (a bot not in \`bots\` yet: when first asked for).
    for (const { id } of this.db.prepare('SELECT id FROM bots').all() as { id: string }[]) {
      const s = this.state(id);
      s.closed = this.closedFromIndex(id);
      this.daily(id, s);
    }
  }

  private addFill(bot: string, symbol: string, fee: number): void {
    const s = this.state(bot);
    let f = s.fills.get(symbol);
    if (!f) {
      f = { n: 0, fees: new CompensatedSum() };
      s.fills.set(symbol, f);
    }
    f.n++;
    f.fees.add(fee);
  }

  private closedFromIndex(botId: string): ClosedTotal {
    const c: ClosedTotal = { n: 0, pnl: new CompensatedSum(), last: null };
    for (const r of this.readClosed.iterate(botId) as Iterable<{ exitTs: number; id: string; pnl: number | null }>) {
      c.n++;
      c.pnl.add(r.pnl);
      c.last = { exitTs: r.exitTs, id: r.id };
    }
    return c;
  }

  private onClosed(bot: string, exitTs: number, id: string, pnl: number | null): void {
    const c = this.state(bot).closed;
    if (!c) return; // read from the index when first asked for
    const last = c.last;
    if (last && (exitTs < last.exitTs || (exitTs === last.exitTs && binary(id, last.id) < 0))) {
      this.state(bot).closed = null; // not at the end of the index: read the sum again in its order
      return;
    }
    c.n++;
    c.pnl.add(pnl);
    c.last = { exitTs, id };
  }

  /**
   * The daily sums: days before the newest one folded once, the rest read by primary key
   * (usually today's row alone). A row before the fold changing marks it stale.
   */
  private daily(botId: string, s: BotState): BotLedgerTotals['daily'] {
    const d = (s.daily ??= { fees: new CompensatedSum(), pnl: new CompensatedSum(), from: '' });
    const rows = this.readDays.all(botId, d.from) as { day: string; fees: number; pnl: number }[];
    const fees = d.fees.clone();
    const pnl = d.pnl.clone();
    for (const r of rows) {
      fees.add(r.fees);
      pnl.add(r.pnl);
    }
    // Fold every day but the newest: those rows no longer change but by a late fill (see onDay).
    for (const r of rows.slice(0, -1)) {
      d.fees.add(r.fees);
      d.pnl.add(r.pnl);
    }
    if (rows.length > 1) d.from = rows.at(-1)!.day;
    return { feesUsd: fees.value(), realizedPnlUsd: pnl.value() };
  }

  private onDay(bot: string, day: string): void {
    const s = this.state(bot);
    if (s.daily && day < s.daily.from) s.daily = null;
  }

  private wire(): void {
    const p = `dnbot_ledger_${++instances}`;
    const db = this.db;
    db.function(`${p}_order`, (bot: string, oldStatus: string | null, status: string, oldReason: string | null, reason: string | null) => {
      const s = this.state(bot);
      if (oldStatus !== null) bump(s.orders, oldStatus, -1);
      bump(s.orders, status, 1);
      if (oldStatus === 'rejected') bump(s.rejections, oldReason ?? 'unknown', -1);
      if (status === 'rejected') bump(s.rejections, reason ?? 'unknown', 1);
      return null;
    });
    db.function(`${p}_fill`, (bot: string | null, symbol: string, fee: number) => {
      if (bot !== null) this.addFill(bot, symbol, fee);
      return null;
    });
    db.function(`${p}_trip`, (bot: string, wasClosed: number, exitTs: number, id: string, pnl: number | null) => {
      if (wasClosed) this.state(bot).closed = null; // a closed trip changed: read again
      else this.onClosed(bot, exitTs, id, pnl);
      return null;
    });
    db.function(`${p}_day`, (bot: string, day: string) => {
      this.onDay(bot, day);
      return null;
    });
    const create = (name: string, sql: string): void => {
      db.exec(`CREATE TEMP TRIGGER ${p}_${name} ${sql}`);
      this.triggers.push(`${p}_${name}`);
    };
    create('order_insert', `AFTER INSERT ON main.orders BEGIN SELECT ${p}_order(new.bot_id, NULL, new.status, NULL, new.reject_reason); END`);
    create(
      'order_update',
      `AFTER UPDATE OF status, reject_reason ON main.orders WHEN old.status IS NOT new.status OR ((old.status = 'rejected' OR new.status = 'rejected') AND old.reject_reason IS NOT new.reject_reason)
       BEGIN SELECT ${p}_order(new.bot_id, old.status, new.status, old.reject_reason, new.reject_reason); END`,
    );
    create('fill_insert', `AFTER INSERT ON main.fills BEGIN SELECT ${p}_fill((SELECT bot_id FROM main.orders WHERE client_order_id = new.client_order_id), new.symbol, new.fee); END`);
    create('trip_insert', `AFTER INSERT ON main.round_trips WHEN new.status = 'closed' BEGIN SELECT ${p}_trip(new.bot_id, 0, new.exit_ts, new.id, new.realized_pnl); END`);
    create('trip_update', `AFTER UPDATE ON main.round_trips WHEN old.status = 'closed' OR new.status = 'closed' BEGIN SELECT ${p}_trip(new.bot_id, old.status = 'closed', new.exit_ts, new.id, new.realized_pnl); END`);
    create('day_insert', `AFTER INSERT ON main.daily_volume BEGIN SELECT ${p}_day(new.bot_id, new.day); END`);
    create('day_update', `AFTER UPDATE ON main.daily_volume BEGIN SELECT ${p}_day(new.bot_id, new.day); END`);
  }
}
