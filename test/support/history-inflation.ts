import { Store } from '../../src/store/store.js';

const DAY_MS = 86_400_000;

/** State of now: copied once, as it is. */
const CURRENT = ['bots', 'positions', 'market_marks', 'instruments', 'paper_accounts', 'controls', 'phase_state', 'id_sequences', 'venue_state', 'period_equity', 'circuit_breakers', 'sizing_kinds', 'sizing_steps', 'bar_hours'];

/** History: copied `copies` times into earlier days, then once as it is (in that order, so row ids keep time order). */
const HISTORY: readonly { table: string; status?: string }[] = [
  { table: 'orders', status: `CASE WHEN status IN ('filled','canceled','rejected','expired') THEN status ELSE 'canceled' END` },
  { table: 'fills' },
  { table: 'round_trips', status: `CASE WHEN status IN ('closed','canceled') THEN status ELSE 'canceled' END` },
  { table: 'equity_hours' },
  { table: 'daily_volume' },
  { table: 'events' },
  { table: 'risk_adjustments' },
  { table: 'risk_snapshots' },
  { table: 'exit_plans', status: `'closed'` },
  { table: 'exit_events' },
  { table: 'manual_interventions' },
  { table: 'phase_changes' },
];

/** Columns that name a row (prefixed per copy so copies never collide). */
const ID_COLUMNS = new Set(['client_order_id', 'trade_id', 'pair_id']);

/**
 * Writes to `dst` the database at `src` with `copies` more copies of its history on the days before
 * it: orders, fills, round trips, snapshots, daily rows, journal events... shifted whole days back,
 * ids prefixed (copies sort apart from the originals, as older ids do), anything still open closed. The latest day and the state of now are those of
 * `src`, so a read bounded to recent rows reads the same rows in both, and one that visits history
 * visits about `copies + 1` times as many.
 */
export function inflateHistory(src: string, dst: string, copies: number): void {
  const store = Store.open(dst);
  const db = store.db;
  try {
    db.prepare('ATTACH DATABASE ? AS s').run(src);
    const range = db.prepare('SELECT MIN(first_ts) AS lo, MAX(last_ts) AS hi FROM s.equity_hours').get() as { lo: number; hi: number };
    const spanDays = Math.floor(range.hi / DAY_MS) - Math.floor(range.lo / DAY_MS) + 1;
    db.transaction(() => {
      for (const t of CURRENT) db.exec(`DELETE FROM main.${t}; INSERT INTO main.${t} SELECT * FROM s.${t}`);
      for (let k = copies; k >= 0; k--) {
        for (const h of HISTORY) {
          const cols = (db.prepare(`SELECT name, pk, type FROM pragma_table_info('${h.table}')`).all() as { name: string; pk: number; type: string }[])
            // Integer row ids are given anew, in insertion (time) order.
            .filter((c) => !(c.pk === 1 && c.type === 'INTEGER' && c.name === 'id'));
          const shiftMs = k * spanDays * DAY_MS;
          const expr = (name: string): string => {
            if (k === 0) return name;
            if (name === 'status' && h.status) return h.status;
            if (ID_COLUMNS.has(name) || (h.table === 'round_trips' && name === 'id')) return `CASE WHEN ${name} IS NULL THEN NULL ELSE 'h${k}~' || ${name} END`;
            if (name === 'ts' || name.endsWith('_ts') || name === 'timestamp') return `${name} - ${shiftMs}`;
            if (name === 'day') return `date(day, '-${k * spanDays} days')`;
            return name;
          };
          const names = cols.map((c) => c.name);
          const order = names.length < (db.prepare(`SELECT COUNT(*) AS n FROM pragma_table_info('${h.table}')`).get() as { n: number }).n ? ' ORDER BY id' : '';
          db.exec(`INSERT INTO main.${h.table} (${names.join(', ')}) SELECT ${names.map(expr).join(', ')} FROM s.${h.table}${order}`);
        }
      }
    })();
    db.exec('DETACH DATABASE s');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    store.close();
  }
}
