import Database from 'better-sqlite3';
import { DnbotError, ErrorCodes } from '../core/errors.js';
import type { Order, OrderPurpose, OrderStatus, SizingStep } from '../core/types.js';
import type { Db } from './database.js';
import { SizingStepRepository } from './sizing-step-repository.js';
import { keptAsText } from './text-column.js';

interface OrderRow {
  client_order_id: string;
  bot_id: string;
  venue: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  tif: 'GTC' | 'IOC' | 'POST_ONLY';
  price: number | null;
  size: number;
  reduce_only: number;
  purpose: OrderPurpose;
  pair_id: string | null;
  status: OrderStatus;
  venue_order_id: string | null;
  filled_size: number;
  avg_fill_price: number | null;
  fees_paid: number;
  reject_reason: string | null;
  /** JSON of the steps (rows written before migration 11); empty when trace_steps is set. */
  sizing_trace: string;
  /**
   * The ids of the order's steps in sizing_steps: packed (src/store/trace-ids.ts), comma-separated
   * text in rows written before migration 16, NULL in rows written before migration 11.
   */
  trace_steps: Buffer | string | null;
  created_ts: number;
  updated_ts: number;
}

function toOrder(r: OrderRow, steps: SizingStepRepository): Order {
  const order: { -readonly [K in keyof Order]: Order[K] } = {
    clientOrderId: r.client_order_id,
    botId: r.bot_id,
    venue: r.venue,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    tif: r.tif,
    size: r.size,
    reduceOnly: r.reduce_only === 1,
    purpose: r.purpose,
    pairId: r.pair_id,
    status: r.status,
    venueOrderId: r.venue_order_id,
    filledSize: r.filled_size,
    avgFillPrice: r.avg_fill_price,
    feesPaid: r.fees_paid,
    rejectReason: r.reject_reason,
    sizingTrace: r.trace_steps === null ? (JSON.parse(r.sizing_trace) as SizingStep[]) : steps.resolve(r.trace_steps),
    createdTs: r.created_ts,
    updatedTs: r.updated_ts,
  };
  // Set, not spread (`{ ...order, price }`): the same keys in the same order, but V8 (Node 20)
  // builds a spread clone that gains a key ~2 µs slower, and most orders read back have a price.
  if (r.price !== null) order.price = r.price;
  return order;
}

/** True when `update` would write the same values `b` has stored. */
function sameChangingColumns(a: Order, b: Order): boolean {
  return (
    a.clientOrderId === b.clientOrderId &&
    a.status === b.status &&
    a.venueOrderId === b.venueOrderId &&
    a.filledSize === b.filledSize &&
    a.avgFillPrice === b.avgFillPrice &&
    a.feesPaid === b.feesPaid &&
    a.rejectReason === b.rejectReason &&
    a.updatedTs === b.updatedTs
  );
}

/** Rows kept in memory per generation (two are kept) once {@link OrderRepository.keepWrittenRows} is on. */
const KEPT_ROWS = 512;

/** How a column of the `orders` schema gives a value back: TEXT, REAL/INTEGER or BLOB, `?` when nullable. */
type ColumnKind = 'text' | 'text?' | 'number' | 'number?' | 'blob?';

const COLUMN_KINDS: Readonly<Record<keyof OrderRow, ColumnKind>> = {
  client_order_id: 'text', bot_id: 'text', venue: 'text', symbol: 'text', side: 'text', type: 'text', tif: 'text',
  price: 'number?', size: 'number', reduce_only: 'number', purpose: 'text', pair_id: 'text?', status: 'text',
  venue_order_id: 'text?', filled_size: 'number', avg_fill_price: 'number?', fees_paid: 'number', reject_reason: 'text?',
  sizing_trace: 'text', trace_steps: 'blob?', created_ts: 'number', updated_ts: 'number',
};
const ALL_COLUMNS = Object.keys(COLUMN_KINDS) as (keyof OrderRow)[];
/** The columns `update` writes. */
const CHANGING_COLUMNS: readonly (keyof OrderRow)[] = ['status', 'venue_order_id', 'filled_size', 'avg_fill_price', 'fees_paid', 'reject_reason', 'updated_ts'];

/**
 * True when SQLite gives each of `columns` of `r` back as it was bound: a finite number other than
 * -0 (NaN comes back null, -0 as 0), a string without surrogates, a Buffer for a BLOB, null where
 * the column allows it.
 * Conservative: a row it refuses is only read from SQLite instead (property-tested against
 * SQLite in test/unit/store/order-row-memo.property.test.ts).
 */
function storedAsBound(r: OrderRow, columns: readonly (keyof OrderRow)[]): boolean {
  for (const c of columns) {
    const v = r[c];
    const kind = COLUMN_KINDS[c];
    if (v === null) {
      if (kind !== 'text?' && kind !== 'number?' && kind !== 'blob?') return false;
    } else if (kind === 'number' || kind === 'number?') {
      if (typeof v !== 'number' || !Number.isFinite(v) || Object.is(v, -0)) return false;
    } else if (kind === 'blob?') {
      if (!Buffer.isBuffer(v)) return false;
    } else if (typeof v !== 'string' || !keptAsText(v)) return false;
  }
  return true;
}

/**
 * The statuses an order can still leave, quoted for SQL: the rows of the partial index
 * `orders_working` (migration 16), whose WHERE is this same list in this order. SQLite uses a
 * partial index only for a query whose WHERE has that term as written, and a statement naming it
 * (`INDEXED BY`) fails to prepare otherwise.
 */
const NON_TERMINAL: readonly OrderStatus[] = ['pending_submit', 'open', 'partially_filled', 'cancel_pending', 'unknown'];
const NON_TERMINAL_SQL = NON_TERMINAL.map((s) => `'${s}'`).join(',');

/** What one order of a pair filled: side, size, average price and fees. */
export type PairOrderFill = Pick<Order, 'side' | 'filledSize' | 'avgFillPrice' | 'feesPaid'>;

/** Orders: written before any request leaves the process (write-ahead intent). */
export class OrderRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly forPairStmt;
  private readonly fillsOfPairStmt;
  private readonly activeStmt;
  private readonly activeForBotStmt;
  private readonly steps: SizingStepRepository;
  /**
   * The rows this repository wrote, as SQLite stores them, by client order id, in two generations
   * of {@link KEPT_ROWS} (a full `recentRows` becomes `olderRows`); null until
   * {@link keepWrittenRows}.
   */
  private recentRows: Map<string, OrderRow> | null = null;
  private olderRows = new Map<string, OrderRow>();

  constructor(private readonly db: Db, steps?: SizingStepRepository) {
    this.steps = steps ?? new SizingStepRepository(db);
    // Positional parameters: binding 20 values by name costs a third more on every order.
    this.insertStmt = db.prepare(
      `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only,
        purpose, pair_id, status, venue_order_id, filled_size, avg_fill_price, fees_paid, reject_reason,
        sizing_trace, trace_steps, created_ts, updated_ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE orders SET status = ?, venue_order_id = ?, filled_size = ?, avg_fill_price = ?, fees_paid = ?,
        reject_reason = ?, updated_ts = ? WHERE client_order_id = ?`,
    );
    this.getStmt = db.prepare('SELECT * FROM orders WHERE client_order_id = ?');
    this.forPairStmt = db.prepare('SELECT * FROM orders WHERE pair_id = ? ORDER BY created_ts, rowid');
    this.fillsOfPairStmt = db.prepare('SELECT side, filled_size, avg_fill_price, fees_paid FROM orders WHERE pair_id = ? ORDER BY created_ts, rowid');
    this.activeStmt = db.prepare(
      `SELECT * FROM orders INDEXED BY orders_working WHERE status IN (${NON_TERMINAL_SQL}) AND venue = ?
       ORDER BY created_ts, client_order_id`,
    );
    this.activeForBotStmt = db.prepare(
      `SELECT * FROM orders INDEXED BY orders_working WHERE bot_id = ? AND status IN (${NON_TERMINAL_SQL}) AND venue = ?
       ORDER BY created_ts, client_order_id`,
    );
  }

  /**
   * Writes a new order.
   * @throws E_ORDER_DUPLICATE_CLIENT_ID when its client order id is already taken: an id reused
   * would make the venue (and reconciliation) confuse two orders, so this is never ignored.
   */
  insert(o: Order): void {
    try {
      this.insertRow(o);
    } catch (err) {
      if (err instanceof Database.SqliteError && (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE')) {
        throw new DnbotError(ErrorCodes.ORDER_DUPLICATE_CLIENT_ID, `client order id ${o.clientOrderId} is already used by another order in this database`, { clientOrderId: o.clientOrderId });
      }
      throw err;
    }
  }

  private insertRow(o: Order): void {
    const traceSteps = this.steps.refs(o.sizingTrace);
    this.insertStmt.run(
      o.clientOrderId, o.botId, o.venue, o.symbol, o.side, o.type, o.tif, o.price ?? null, o.size, o.reduceOnly ? 1 : 0,
      o.purpose, o.pairId, o.status, o.venueOrderId, o.filledSize, o.avgFillPrice, o.feesPaid, o.rejectReason,
      traceSteps, o.createdTs, o.updatedTs,
    );
    if (this.recentRows === null) return;
    // The values just bound, in the row's shape (sizing_trace is the statement's literal '').
    const row: OrderRow = {
      client_order_id: o.clientOrderId, bot_id: o.botId, venue: o.venue, symbol: o.symbol, side: o.side, type: o.type, tif: o.tif,
      price: o.price ?? null, size: o.size, reduce_only: o.reduceOnly ? 1 : 0, purpose: o.purpose, pair_id: o.pairId,
      status: o.status, venue_order_id: o.venueOrderId, filled_size: o.filledSize, avg_fill_price: o.avgFillPrice,
      fees_paid: o.feesPaid, reject_reason: o.rejectReason, sizing_trace: '', trace_steps: traceSteps,
      created_ts: o.createdTs, updated_ts: o.updatedTs,
    };
    this.keepRow(row, ALL_COLUMNS);
  }

  /**
   * Keeps the rows this repository writes from now on (the newest {@link KEPT_ROWS} to twice that),
   * so `get` reads a recently written order, such as the venue's "filled" report about an order its
   * fill just closed, from memory instead of SQLite: `toOrder` of the row as stored, so the same
   * order, keys, sizing trace and all. Valid because every write to `orders` goes through this
   * repository (no other process writes orders: the writer lock), and `onRollback` is given the
   * listener that must run whenever a transaction on this connection rolls back (what was written
   * inside may be gone): the write batch's, as for the sizing steps. Idempotent.
   */
  keepWrittenRows(onRollback: (forget: () => void) => void): void {
    if (this.recentRows !== null) return;
    this.recentRows = new Map();
    onRollback(() => {
      this.recentRows = new Map();
      this.olderRows = new Map();
    });
  }

  /** Keeps `row` as the one stored when its `checked` columns come back as bound; else forgets the order. */
  private keepRow(row: OrderRow, checked: readonly (keyof OrderRow)[]): void {
    const id = row.client_order_id;
    this.olderRows.delete(id);
    if (!storedAsBound(row, checked)) {
      this.recentRows!.delete(id);
      return;
    }
    if (this.recentRows!.size >= KEPT_ROWS && !this.recentRows!.has(id)) {
      this.olderRows = this.recentRows!;
      this.recentRows = new Map();
    }
    this.recentRows!.set(id, row);
  }

  /**
   * Writes an order's changing columns (status, venue id, fills, fees, reject reason, update time).
   * `stored`: the row as it is stored now, when the caller knows it; an update that changes none
   * of those columns (the venue's "filled" right after the fill that filled the order) writes nothing.
   */
  update(o: Order, stored?: Order): void {
    if (stored !== undefined && sameChangingColumns(o, stored)) return;
    this.updateStmt.run(o.status, o.venueOrderId, o.filledSize, o.avgFillPrice, o.feesPaid, o.rejectReason, o.updatedTs, o.clientOrderId);
    if (this.recentRows === null) return;
    const kept = this.recentRows.get(o.clientOrderId) ?? this.olderRows.get(o.clientOrderId);
    if (kept === undefined) return;
    // Changed in place: a kept row is this repository's own object (`get` copies from it, nothing
    // else holds it), so this is keeping a changed copy without the copy, which cost ~4 µs here
    // (on ~650 updates a simulated day).
    kept.status = o.status;
    kept.venue_order_id = o.venueOrderId;
    kept.filled_size = o.filledSize;
    kept.avg_fill_price = o.avgFillPrice;
    kept.fees_paid = o.feesPaid;
    kept.reject_reason = o.rejectReason;
    kept.updated_ts = o.updatedTs;
    this.keepRow(kept, CHANGING_COLUMNS);
  }

  get(clientOrderId: string): Order | null {
    const r = this.recentRows?.get(clientOrderId) ?? this.olderRows.get(clientOrderId) ?? (this.getStmt.get(clientOrderId) as OrderRow | undefined);
    return r ? toOrder(r, this.steps) : null;
  }

  /** Non-terminal orders on a venue, oldest first. */
  active(venue: string): Order[] {
    return (this.activeStmt.all(venue) as OrderRow[]).map((r) => toOrder(r, this.steps));
  }

  /**
   * One bot's non-terminal orders on a venue, oldest first: the rows of {@link active} for that bot,
   * read from the (bot, status) index, so the cost follows the open orders, not the history.
   */
  activeForBot(botId: string, venue: string): Order[] {
    return (this.activeForBotStmt.all(botId, venue) as OrderRow[]).map((r) => toOrder(r, this.steps));
  }

  /** Orders of one pair trade, oldest first (uses the pair index). */
  forPair(pairId: string): Order[] {
    return (this.forPairStmt.all(pairId) as OrderRow[]).map((r) => toOrder(r, this.steps));
  }

  /**
   * What each order of one pair trade filled, oldest first (the rows and order of {@link forPair}):
   * a pair's cash and fees when it closes, without reading back every order's sizing trace.
   */
  fillsOfPair(pairId: string): PairOrderFill[] {
    // Pushed one by one, not `rows.map`: the array's hidden class then does not depend on whether
    // V8 runs `map` as its builtin (a packed array) or inlined into optimised code (a holey one),
    // and the pair's close, which reads it, is not thrown away when the other kind turns up.
    const out: PairOrderFill[] = [];
    for (const r of this.fillsOfPairStmt.all(pairId) as { side: Order['side']; filled_size: number; avg_fill_price: number | null; fees_paid: number }[]) {
      out.push({ side: r.side, filledSize: r.filled_size, avgFillPrice: r.avg_fill_price, feesPaid: r.fees_paid });
    }
    return out;
  }

  list(filter: { botId?: string; status?: OrderStatus; limit?: number } = {}): Order[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.botId !== undefined) {
      where.push('bot_id = ?');
      args.push(filter.botId);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    const sql = `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_ts, rowid LIMIT ?`;
    args.push(filter.limit ?? -1);
    return (this.db.prepare(sql).all(...args) as OrderRow[]).map((r) => toOrder(r, this.steps));
  }

  countByStatus(botId?: string): Record<string, number> {
    const rows = (
      botId === undefined
        ? this.db.prepare('SELECT status, COUNT(*) AS n FROM orders GROUP BY status').all()
        : this.db.prepare('SELECT status, COUNT(*) AS n FROM orders WHERE bot_id = ? GROUP BY status').all(botId)
    ) as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
