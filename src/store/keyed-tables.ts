/**
 * A small table looked up by its key alone, stored WITHOUT ROWID: its rows live in the b-tree of
 * its key instead of a rowid table plus a second b-tree (the key's automatic index) that repeats
 * every key. Each b-tree holds at least one page of the file, however few rows it has: ten such
 * tables of a few rows each cost twenty pages where ten do (https://sqlite.org/withoutrowid.html).
 * Only for tables of short rows that nothing reads by rowid or in insertion order.
 */
export interface KeyedTable {
  readonly name: string;
  /** The columns and constraints, in the table's current column order (rows are copied by position). */
  readonly body: string;
  /** The key's columns: a row with NULL in one (a rowid table allows it, WITHOUT ROWID does not) is never found by a lookup and is not copied. */
  readonly key: readonly string[];
}

/** SQL that rebuilds `t` as a WITHOUT ROWID table under the same name, its rows copied. */
export function withoutRowidRebuild(t: KeyedTable): string {
  const keyed = `${t.name}_keyed`;
  const known = t.key.map((k) => `${k} IS NOT NULL`).join(' AND ');
  return `
      CREATE TABLE ${keyed} (${t.body}) WITHOUT ROWID;
      INSERT INTO ${keyed} SELECT * FROM ${t.name} WHERE ${known};
      DROP TABLE ${t.name};
      ALTER TABLE ${keyed} RENAME TO ${t.name};`;
}

/**
 * Migration 20's tables (shipped once it lands: never edited, a later change is a new migration):
 * few rows each, short, read by key only. Not instruments or venue_state (a venue's rows may be
 * long: a WITHOUT ROWID row longer than about a quarter of a page spills to pages of its own), nor
 * the tables that grow with trading.
 */
export const KEYED_TABLES: readonly KeyedTable[] = [
  {
    name: 'bots',
    body: `id TEXT PRIMARY KEY, strategy TEXT NOT NULL, venue TEXT NOT NULL, status TEXT NOT NULL, created_ts INTEGER NOT NULL,
        updated_ts INTEGER NOT NULL, last_market_ts INTEGER, current_risk_multiplier REAL NOT NULL DEFAULT 1.0, last_risk_calculation INTEGER,
        last_50_trades_pnl REAL`,
    key: ['id'],
  },
  { name: 'id_sequences', body: 'name TEXT PRIMARY KEY, value INTEGER NOT NULL', key: ['name'] },
  {
    name: 'positions',
    body: `bot_id TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL, size REAL NOT NULL, entry_price REAL NOT NULL,
        realized_pnl REAL NOT NULL, updated_ts INTEGER NOT NULL, PRIMARY KEY (bot_id, venue, symbol)`,
    key: ['bot_id', 'venue', 'symbol'],
  },
  {
    name: 'daily_volume',
    body: `bot_id TEXT NOT NULL, day TEXT NOT NULL, volume_usd REAL NOT NULL, fees_usd REAL NOT NULL, fills INTEGER NOT NULL,
        realized_pnl REAL NOT NULL, PRIMARY KEY (bot_id, day)`,
    key: ['bot_id', 'day'],
  },
  {
    name: 'paper_accounts',
    body: 'venue TEXT PRIMARY KEY, collateral REAL NOT NULL, updated_ts INTEGER NOT NULL, funding_paid REAL NOT NULL DEFAULT 0',
    key: ['venue'],
  },
  {
    name: 'market_marks',
    body: 'venue TEXT NOT NULL, symbol TEXT NOT NULL, ts INTEGER NOT NULL, price REAL NOT NULL, PRIMARY KEY (venue, symbol)',
    key: ['venue', 'symbol'],
  },
  {
    name: 'circuit_breakers',
    body: `bot_id TEXT NOT NULL, scope TEXT NOT NULL, key TEXT NOT NULL, period TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('tripped','reset')), tripped_ts INTEGER NOT NULL, loss REAL NOT NULL, limit_value REAL NOT NULL,
        reason TEXT NOT NULL, reset_ts INTEGER, reset_by TEXT, PRIMARY KEY (bot_id, scope, key, period)`,
    key: ['bot_id', 'scope', 'key', 'period'],
  },
  {
    name: 'phase_state',
    body: `bot_id TEXT PRIMARY KEY, phase INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 4), since_ts INTEGER NOT NULL,
        initial_collateral REAL NOT NULL, updated_ts INTEGER NOT NULL`,
    key: ['bot_id'],
  },
  { name: 'controls', body: 'bot_id TEXT PRIMARY KEY, halted INTEGER NOT NULL DEFAULT 0, reason TEXT, updated_ts INTEGER NOT NULL', key: ['bot_id'] },
  {
    name: 'period_equity',
    body: 'bot_id TEXT NOT NULL, period TEXT NOT NULL, equity REAL NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (bot_id, period)',
    key: ['bot_id', 'period'],
  },
];
