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

/** One running sum's columns in a TEMP table: `<name>_s`, `<name>_e`, `<name>_k` ({@link CompensatedSum.parts}). */
const sumColumns = (name: string): string => `${name}_s REAL DEFAULT 0, ${name}_e REAL DEFAULT 0, ${name}_k INTEGER NOT NULL DEFAULT 0`;

/**
 * SET clauses adding `x` (an SQL expression, NULL skipped) to a running sum: {@link CompensatedSum.add}
 * step for step (an UPDATE's right-hand sides all read the row as it was).
 */
function sumStep(name: string, x: string): string {
  const [s, e, k] = [`${name}_s`, `${name}_e`, `${name}_k`];
  return `${s} = CASE WHEN ${x} IS NULL THEN ${s} ELSE ${s} + ${x} END,
    ${e} = CASE WHEN ${x} IS NULL THEN ${e} WHEN abs(${s}) > abs(${x}) THEN ${e} + ((${s} - (${s} + ${x})) + ${x}) ELSE ${e} + ((${x} - (${s} + ${x})) + ${s}) END,
    ${k} = ${k} + (${x} IS NOT NULL)`;
}

/** A running sum read back from its columns. */
const sumOf = (r: Record<string, unknown>, name: string): CompensatedSum => CompensatedSum.fromParts(r[`${name}_s`] as number | null, r[`${name}_e`] as number | null, r[`${name}_k`] as number);

/** Values for a sum's three columns. */
const sumParams = (c: CompensatedSum): [number, number, number] => {
  const p = c.parts();
  return [p.sum, p.err, p.n];
};

/** A running sum's three columns' values after adding `x` to an empty sum: {@link sumStep} from zero. */
function sumFirst(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN 0.0 ELSE 0.0 + ${x} END,
    CASE WHEN ${x} IS NULL THEN 0.0 WHEN 0.0 > abs(${x}) THEN 0.0 + ((0.0 - (0.0 + ${x})) + ${x}) ELSE 0.0 + ((${x} - (0.0 + ${x})) + 0.0) END,
    (${x} IS NOT NULL)`;
}

/**
 * One statement adding `by` to the count keyed by (bot, key) when `when` holds. A count that
 * falls to zero keeps its row (read as absent): the keys are few (statuses, reasons).
 */
function count(table: string, key: string, bot: string, value: string, by: 1 | -1, when = '1'): string {
  return by === 1
    ? `INSERT INTO ${table} (bot, ${key}, n) SELECT ${bot}, ${value}, 1 WHERE ${when} ON CONFLICT (bot, ${key}) DO UPDATE SET n = n + 1;`
    : `UPDATE ${table} SET n = n - 1 WHERE (${when}) AND bot = ${bot} AND ${key} = ${value};`;
}

let instances = 0;

/**
 * All-time totals of the ledger for `/metrics` and the status API, kept as they change instead of
 * summed over every order, fill and round trip on each read. Built once from SQLite into TEMP
 * tables of this connection (they live and die with it; the file's schema is untouched), then
 * kept current by TEMP triggers as orders, fills, round trips and daily rows are written, whoever
 * writes them. Totals and rows change in the same transaction, so a rollback (of a transaction or
 * of a savepoint) takes back both: the totals are never ahead of what the database holds.
 *
 * Each figure is exactly what its full-history query reads: counts are counts, and sums replay
 * SQLite's own summation in the index order the query reads ({@link CompensatedSum}, its running
 * state kept in three columns); a change that lands out of that order (a closed trip changed, a
 * late fill on a past day) drops the bot's sum, and it is read again from its index once.
 *
 * Build it outside any transaction (as the status API does before a run): a rollback of the
 * transaction it was built in would take its TEMP tables and triggers back too.
 */
export class LedgerTotals implements LedgerTotalsReader {
  private readonly triggers: string[] = [];
  private readonly t: { readonly orders: string; readonly rejections: string; readonly fills: string; readonly closed: string; readonly daily: string };
  private readonly q;

  private constructor(private readonly db: Db) {
    const p = `dnbot_ledger_${++instances}`;
    this.t = { orders: `temp.${p}_orders`, rejections: `temp.${p}_rejections`, fills: `temp.${p}_fills`, closed: `temp.${p}_closed`, daily: `temp.${p}_daily` };
    const t = this.t;
    db.exec(`
      CREATE TABLE ${t.orders} (bot TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (bot, status));
      CREATE TABLE ${t.rejections} (bot TEXT NOT NULL, reason TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (bot, reason));
      CREATE TABLE ${t.fills} (bot TEXT NOT NULL, symbol TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0, ${sumColumns('fee')}, PRIMARY KEY (bot, symbol));
      -- A bot without a row: its closed trips are read from their index when first asked for.
      CREATE TABLE ${t.closed} (bot TEXT PRIMARY KEY, n INTEGER NOT NULL, ${sumColumns('pnl')}, last_ts INTEGER, last_id TEXT);
      -- Days before from_day folded in day order; no row: folded again when asked for.
      CREATE TABLE ${t.daily} (bot TEXT PRIMARY KEY, ${sumColumns('fees')}, ${sumColumns('pnl')}, from_day TEXT NOT NULL);
    `);
    this.q = {
      orders: db.prepare(`SELECT status AS k, n FROM ${t.orders} WHERE bot = ? AND n <> 0 ORDER BY status`),
      rejections: db.prepare(`SELECT reason AS k, n FROM ${t.rejections} WHERE bot = ? AND n <> 0 ORDER BY reason`),
      fills: db.prepare(`SELECT symbol, n, fee_s, fee_e, fee_k FROM ${t.fills} WHERE bot = ? ORDER BY symbol`),
      closed: db.prepare(`SELECT n, pnl_s, pnl_e, pnl_k FROM ${t.closed} WHERE bot = ?`),
      daily: db.prepare(`SELECT fees_s, fees_e, fees_k, pnl_s, pnl_e, pnl_k, from_day AS fromDay FROM ${t.daily} WHERE bot = ?`),
      putOrders: db.prepare(`INSERT INTO ${t.orders} (bot, status, n) VALUES (?, ?, ?) ON CONFLICT (bot, status) DO UPDATE SET n = n + excluded.n`),
      putRejections: db.prepare(`INSERT INTO ${t.rejections} (bot, reason, n) VALUES (?, ?, ?) ON CONFLICT (bot, reason) DO UPDATE SET n = n + excluded.n`),
      putFills: db.prepare(`INSERT INTO ${t.fills} (bot, symbol, n, fee_s, fee_e, fee_k) VALUES (?, ?, ?, ?, ?, ?)`),
      putClosed: db.prepare(`INSERT OR REPLACE INTO ${t.closed} (bot, n, pnl_s, pnl_e, pnl_k, last_ts, last_id) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      putDaily: db.prepare(`INSERT OR REPLACE INTO ${t.daily} (bot, fees_s, fees_e, fees_k, pnl_s, pnl_e, pnl_k, from_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      readClosed: db.prepare(`SELECT exit_ts AS exitTs, id, realized_pnl AS pnl FROM round_trips WHERE bot_id = ? AND status = 'closed' ORDER BY exit_ts, id`),
      readDays: db.prepare('SELECT day, fees_usd AS fees, realized_pnl AS pnl FROM daily_volume WHERE bot_id = ? AND day >= ? ORDER BY day'),
    };
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
    const q = this.q;
    const count = (rows: { k: string; n: number }[]): Record<string, number> => Object.fromEntries(rows.map((r) => [r.k, r.n]));
    const closed = this.closed(botId);
    const fills = q.fills.all(botId) as ({ symbol: string; n: number } & Record<string, unknown>)[];
    return {
      closedPairs: closed.n,
      realisedPnlUsd: closed.pnl,
      fillsBySymbol: Object.fromEntries(fills.map((f) => [f.symbol, f.n])),
      feesUsd: fills.reduce((a, f) => a + sumOf(f, 'fee').value(), 0),
      ordersByStatus: count(q.orders.all(botId) as { k: string; n: number }[]),
      rejectionsByReason: count(q.rejections.all(botId) as { k: string; n: number }[]),
      daily: this.daily(botId),
    };
  }

  private rebuild(): void {
    const orders = this.db.prepare('SELECT bot_id AS bot, status, reject_reason AS reason, COUNT(*) AS n FROM orders GROUP BY bot_id, status, reject_reason').all() as { bot: string; status: string; reason: string | null; n: number }[];
    for (const r of orders) {
      this.q.putOrders.run(r.bot, r.status, r.n);
      if (r.status === 'rejected') this.q.putRejections.run(r.bot, r.reason ?? 'unknown', r.n);
    }
    // In the order the fills were booked: the order the triggers add them in after this.
    const fills = new Map<string, { bot: string; symbol: string; n: number; fees: CompensatedSum }>();
    const rows = this.db.prepare('SELECT o.bot_id AS bot, f.symbol AS symbol, f.fee AS fee FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id ORDER BY f.rowid').iterate() as Iterable<{ bot: string; symbol: string; fee: number }>;
    for (const r of rows) {
      const key = JSON.stringify([r.bot, r.symbol]);
      let f = fills.get(key);
      if (!f) fills.set(key, (f = { bot: r.bot, symbol: r.symbol, n: 0, fees: new CompensatedSum() }));
      f.n++;
      f.fees.add(r.fee);
    }
    for (const f of fills.values()) this.q.putFills.run(f.bot, f.symbol, f.n, ...sumParams(f.fees));
    // Closed trips and daily rows per bot, from their index (a bot not in \`bots\` yet: when first asked for).
    for (const { id } of this.db.prepare('SELECT id FROM bots').all() as { id: string }[]) {
      this.closed(id);
      this.daily(id);
    }
  }

  /** The bot's closed trips: its row, or read from the index (and kept) when it has none. */
  private closed(botId: string): { n: number; pnl: number } {
    const row = this.q.closed.get(botId) as ({ n: number } & Record<string, unknown>) | undefined;
    if (row) return { n: row.n, pnl: sumOf(row, 'pnl').value() };
    const pnl = new CompensatedSum();
    let n = 0;
    let last: { exitTs: number; id: string } | null = null;
    for (const r of this.q.readClosed.iterate(botId) as Iterable<{ exitTs: number; id: string; pnl: number | null }>) {
      n++;
      pnl.add(r.pnl);
      last = r;
    }
    this.q.putClosed.run(botId, n, ...sumParams(pnl), last?.exitTs ?? null, last?.id ?? null);
    return { n, pnl: pnl.value() };
  }

  /**
   * The daily sums: days before the newest one folded once, the rest read by primary key
   * (usually today's row alone). A row before the fold changing drops the fold (see the triggers).
   */
  private daily(botId: string): BotLedgerTotals['daily'] {
    const row = this.q.daily.get(botId) as ({ fromDay: string } & Record<string, unknown>) | undefined;
    const d = row ? { fees: sumOf(row, 'fees'), pnl: sumOf(row, 'pnl'), from: row.fromDay } : { fees: new CompensatedSum(), pnl: new CompensatedSum(), from: '' };
    const rows = this.q.readDays.all(botId, d.from) as { day: string; fees: number; pnl: number }[];
    const fees = d.fees.clone();
    const pnl = d.pnl.clone();
    for (const r of rows) {
      fees.add(r.fees);
      pnl.add(r.pnl);
    }
    // Fold every day but the newest: those rows no longer change but by a late fill.
    if (rows.length > 1 || !row) {
      for (const r of rows.slice(0, -1)) {
        d.fees.add(r.fees);
        d.pnl.add(r.pnl);
      }
      if (rows.length > 1) d.from = rows.at(-1)!.day;
      this.q.putDaily.run(botId, ...sumParams(d.fees), ...sumParams(d.pnl), d.from);
    }
    return { feesUsd: fees.value(), realizedPnlUsd: pnl.value() };
  }

  private wire(): void {
    const { orders, rejections, fills, closed, daily } = this.t;
    const db = this.db;
    const p = orders.slice('temp.'.length, -'_orders'.length);
    const create = (name: string, sql: string): void => {
      db.exec(`CREATE TEMP TRIGGER ${p}_${name} ${sql}`);
      this.triggers.push(`${p}_${name}`);
    };
    const reason = (r: string): string => `COALESCE(${r}, 'unknown')`;
    create('order_insert', `AFTER INSERT ON main.orders BEGIN ${count(orders, 'status', 'new.bot_id', 'new.status', 1)} END`);
    create('order_insert_rejected', `AFTER INSERT ON main.orders WHEN new.status = 'rejected' BEGIN ${count(rejections, 'reason', 'new.bot_id', reason('new.reject_reason'), 1)} END`);
    create(
      'order_status',
      `AFTER UPDATE OF status ON main.orders WHEN old.status IS NOT new.status BEGIN
        ${count(orders, 'status', 'new.bot_id', 'old.status', -1)}
        ${count(orders, 'status', 'new.bot_id', 'new.status', 1)}
      END`,
    );
    create(
      'order_rejection',
      `AFTER UPDATE OF status, reject_reason ON main.orders
       WHEN (old.status = 'rejected' OR new.status = 'rejected') AND (old.status IS NOT new.status OR old.reject_reason IS NOT new.reject_reason) BEGIN
        ${count(rejections, 'reason', 'new.bot_id', reason('old.reject_reason'), -1, `old.status = 'rejected'`)}
        ${count(rejections, 'reason', 'new.bot_id', reason('new.reject_reason'), 1, `new.status = 'rejected'`)}
      END`,
    );
    const fee = 'CAST(new.fee AS REAL)';
    create(
      'fill_insert',
      `AFTER INSERT ON main.fills BEGIN
        INSERT INTO ${fills} (bot, symbol, n, fee_s, fee_e, fee_k)
          SELECT o.bot_id, new.symbol, 1, ${sumFirst(fee)} FROM main.orders o WHERE o.client_order_id = new.client_order_id
          ON CONFLICT (bot, symbol) DO UPDATE SET n = n + 1, ${sumStep('fee', fee)};
      END`,
    );
    // A closed trip at the end of the index (exit_ts, id) is added; one before it, or a closed
    // trip changed, drops the bot's row (read again from the index when asked for).
    const addClosed = (when: string): string => `
        DELETE FROM ${closed} WHERE (${when}) AND bot = new.bot_id AND (new.exit_ts < last_ts OR (new.exit_ts = last_ts AND new.id < last_id));
        UPDATE ${closed} SET n = n + 1, ${sumStep('pnl', 'CAST(new.realized_pnl AS REAL)')}, last_ts = new.exit_ts, last_id = new.id WHERE (${when}) AND bot = new.bot_id;`;
    create('trip_insert', `AFTER INSERT ON main.round_trips WHEN new.status = 'closed' BEGIN ${addClosed('1')} END`);
    create(
      'trip_update',
      `AFTER UPDATE ON main.round_trips WHEN old.status = 'closed' OR new.status = 'closed' BEGIN
        DELETE FROM ${closed} WHERE old.status = 'closed' AND bot = new.bot_id;
        ${addClosed(`old.status IS NOT 'closed'`)}
      END`,
    );
    // A row before the fold changed (a late fill on a past day): fold again when asked for.
    const dropFold = `DELETE FROM ${daily} WHERE bot = new.bot_id AND new.day < from_day;`;
    create('day_insert', `AFTER INSERT ON main.daily_volume BEGIN ${dropFold} END`);
    create('day_update', `AFTER UPDATE ON main.daily_volume BEGIN ${dropFold} END`);
  }
}
