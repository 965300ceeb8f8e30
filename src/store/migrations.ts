/**
 * Numbered schema migrations. Append only: a shipped migration is never edited, a new one is added.
 * Each runs in a transaction and is recorded in `schema_migrations`.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'foundation',
    sql: `
      CREATE TABLE bots (
        id TEXT PRIMARY KEY,
        strategy TEXT NOT NULL,
        venue TEXT NOT NULL,
        status TEXT NOT NULL,
        created_ts INTEGER NOT NULL,
        updated_ts INTEGER NOT NULL,
        last_market_ts INTEGER,
        current_risk_multiplier REAL NOT NULL DEFAULT 1.0,
        last_risk_calculation INTEGER,
        last_50_trades_pnl REAL
      );
      CREATE TABLE id_sequences (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
      CREATE TABLE orders (
        client_order_id TEXT PRIMARY KEY,
        bot_id TEXT NOT NULL,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy','sell')),
        type TEXT NOT NULL,
        tif TEXT NOT NULL,
        price REAL,
        size REAL NOT NULL CHECK (size > 0),
        reduce_only INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        pair_id TEXT,
        status TEXT NOT NULL,
        venue_order_id TEXT,
        filled_size REAL NOT NULL DEFAULT 0,
        avg_fill_price REAL,
        fees_paid REAL NOT NULL DEFAULT 0,
        reject_reason TEXT,
        sizing_trace TEXT NOT NULL,
        created_ts INTEGER NOT NULL,
        updated_ts INTEGER NOT NULL
      );
      CREATE INDEX orders_bot_status ON orders (bot_id, status);
      CREATE INDEX orders_pair ON orders (pair_id);
      CREATE TABLE fills (
        venue TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        client_order_id TEXT NOT NULL REFERENCES orders (client_order_id),
        venue_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        price REAL NOT NULL CHECK (price > 0),
        size REAL NOT NULL CHECK (size > 0),
        fee REAL NOT NULL,
        liquidity TEXT NOT NULL,
        ts INTEGER NOT NULL,
        PRIMARY KEY (venue, trade_id)
      );
      CREATE INDEX fills_order ON fills (client_order_id);
      CREATE TABLE positions (
        bot_id TEXT NOT NULL,
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        size REAL NOT NULL,
        entry_price REAL NOT NULL,
        realized_pnl REAL NOT NULL,
        updated_ts INTEGER NOT NULL,
        PRIMARY KEY (bot_id, venue, symbol)
      );
      CREATE TABLE round_trips (
        id TEXT PRIMARY KEY,
        bot_id TEXT NOT NULL,
        status TEXT NOT NULL,
        long_symbol TEXT NOT NULL,
        short_symbol TEXT NOT NULL,
        target_notional REAL NOT NULL,
        entry_ts INTEGER NOT NULL,
        open_ts INTEGER,
        exit_ts INTEGER,
        exit_reason TEXT,
        realized_pnl REAL,
        fees REAL,
        signal TEXT NOT NULL,
        updated_ts INTEGER NOT NULL
      );
      CREATE INDEX round_trips_bot_status ON round_trips (bot_id, status);
      CREATE TABLE daily_volume (
        bot_id TEXT NOT NULL,
        day TEXT NOT NULL,
        volume_usd REAL NOT NULL,
        fees_usd REAL NOT NULL,
        fills INTEGER NOT NULL,
        realized_pnl REAL NOT NULL,
        PRIMARY KEY (bot_id, day)
      );
      CREATE TABLE equity_snapshots (
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        equity REAL NOT NULL,
        collateral REAL NOT NULL,
        net_delta REAL NOT NULL,
        gross_notional REAL NOT NULL,
        PRIMARY KEY (bot_id, ts)
      );
      CREATE TABLE paper_accounts (
        venue TEXT PRIMARY KEY,
        collateral REAL NOT NULL,
        updated_ts INTEGER NOT NULL
      );
      CREATE TABLE market_marks (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        ts INTEGER NOT NULL,
        price REAL NOT NULL,
        PRIMARY KEY (venue, symbol)
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        bot_id TEXT,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_kind ON events (kind, ts);
    `,
  },
];
