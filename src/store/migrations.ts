import type { Db } from './database.js';
import { upgradeEquityHours } from './equity-hours-upgrade.js';
import { KEYED_TABLES, withoutRowidRebuild } from './keyed-tables.js';

/**
 * Numbered schema migrations. Append only: a shipped migration is never edited, a new one is added.
 * Each runs in a transaction and is recorded in `schema_migrations`.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Rows SQL cannot rewrite (packed columns), run after `sql` in the same transaction. */
  readonly upgrade?: (db: Db) => void;
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
  {
    version: 2,
    name: 'sizing-and-risk-controls',
    sql: `
      CREATE TABLE risk_adjustments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        previous_multiplier REAL NOT NULL,
        multiplier REAL NOT NULL,
        signal_strength REAL NOT NULL,
        confidence REAL NOT NULL,
        avg_pnl_last_50 REAL,
        trades_in_window INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        inputs TEXT NOT NULL
      );
      CREATE INDEX risk_adjustments_bot ON risk_adjustments (bot_id, ts);
      CREATE TABLE circuit_breakers (
        bot_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        period TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('tripped','reset')),
        tripped_ts INTEGER NOT NULL,
        loss REAL NOT NULL,
        limit_value REAL NOT NULL,
        reason TEXT NOT NULL,
        reset_ts INTEGER,
        reset_by TEXT,
        PRIMARY KEY (bot_id, scope, key, period)
      );
      CREATE TABLE phase_state (
        bot_id TEXT PRIMARY KEY,
        phase INTEGER NOT NULL CHECK (phase BETWEEN 1 AND 4),
        since_ts INTEGER NOT NULL,
        initial_collateral REAL NOT NULL,
        updated_ts INTEGER NOT NULL
      );
      CREATE TABLE phase_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        from_phase INTEGER NOT NULL,
        to_phase INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('approve','rollback','auto_rollback')),
        reason TEXT NOT NULL,
        criteria TEXT NOT NULL
      );
      CREATE TABLE controls (
        bot_id TEXT PRIMARY KEY,
        halted INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        updated_ts INTEGER NOT NULL
      );
      CREATE TABLE manual_interventions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX manual_interventions_bot ON manual_interventions (bot_id, ts);
      CREATE TABLE period_equity (
        bot_id TEXT NOT NULL,
        period TEXT NOT NULL,
        equity REAL NOT NULL,
        ts INTEGER NOT NULL,
        PRIMARY KEY (bot_id, period)
      );
    `,
  },
  {
    version: 3,
    name: 'exitbrain',
    sql: `
      CREATE TABLE exit_plans (
        pair_id TEXT PRIMARY KEY,
        bot_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active','closed')),
        long_symbol TEXT NOT NULL,
        short_symbol TEXT NOT NULL,
        long_size REAL NOT NULL,
        short_size REAL NOT NULL,
        entry_notional REAL NOT NULL,
        leverage REAL NOT NULL,
        tp1 REAL NOT NULL,
        tp2 REAL NOT NULL,
        tp3 REAL NOT NULL,
        sl REAL NOT NULL,
        harvest_scheme TEXT NOT NULL,
        scheme_name TEXT NOT NULL,
        lsf REAL NOT NULL,
        adjustment REAL NOT NULL,
        mode TEXT NOT NULL,
        fallback INTEGER NOT NULL,
        inputs TEXT NOT NULL,
        levels_hit INTEGER NOT NULL DEFAULT 0,
        closed_fraction REAL NOT NULL DEFAULT 0,
        created_ts INTEGER NOT NULL,
        updated_ts INTEGER NOT NULL
      );
      CREATE INDEX exit_plans_bot ON exit_plans (bot_id, status);
      CREATE TABLE exit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pair_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        level TEXT,
        symbol TEXT NOT NULL,
        leverage REAL NOT NULL,
        tp1 REAL NOT NULL,
        tp2 REAL NOT NULL,
        tp3 REAL NOT NULL,
        sl REAL NOT NULL,
        harvest_scheme TEXT NOT NULL,
        lsf REAL NOT NULL,
        adjustment REAL NOT NULL,
        avg_pnl_last_20 REAL,
        timestamp INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        pair_return REAL,
        close_fraction REAL,
        client_order_id TEXT,
        trade_id TEXT,
        fill_symbol TEXT,
        fill_side TEXT,
        fill_size REAL,
        fill_price REAL
      );
      CREATE INDEX exit_events_pair ON exit_events (pair_id, id);
    `,
  },
  {
    version: 4,
    name: 'portfolio-risk',
    sql: `
      CREATE TABLE bars (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        ts INTEGER NOT NULL,
        close REAL NOT NULL CHECK (close > 0),
        PRIMARY KEY (venue, symbol, ts)
      );
      CREATE TABLE risk_snapshots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        venue TEXT NOT NULL,
        risk_level TEXT NOT NULL,
        action TEXT NOT NULL,
        health_ratio REAL,
        var_1d_95 REAL,
        report TEXT NOT NULL
      );
      CREATE INDEX risk_snapshots_ts ON risk_snapshots (venue, ts);
      CREATE TABLE instruments (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_ts INTEGER NOT NULL,
        PRIMARY KEY (venue, symbol)
      );
    `,
  },
  {
    version: 5,
    name: 'fill-markouts',
    sql: `
      CREATE TABLE fill_markouts (
        venue TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('buy','sell')),
        price REAL NOT NULL CHECK (price > 0),
        size REAL NOT NULL CHECK (size > 0),
        liquidity TEXT NOT NULL,
        ts INTEGER NOT NULL,
        mid_at_fill REAL,
        mid_1s REAL,
        mid_10s REAL,
        mid_60s REAL,
        PRIMARY KEY (venue, trade_id)
      );
      CREATE INDEX fill_markouts_bot_ts ON fill_markouts (bot_id, ts);
    `,
  },
  {
    version: 6,
    name: 'venue-state',
    sql: `
      -- Small durable state a venue adapter needs across restarts (never keys or secrets).
      CREATE TABLE venue_state (
        venue TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_ts INTEGER NOT NULL,
        PRIMARY KEY (venue, key)
      );
    `,
  },
  {
    version: 7,
    name: 'paper-funding',
    sql: `
      -- Funding the paper account paid over all runs, saved with its collateral: the ledger's
      -- identity (collateral = start + realised - fees - funding) can then be checked at any time.
      ALTER TABLE paper_accounts ADD COLUMN funding_paid REAL NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 8,
    name: 'writer-lock',
    sql: `
      -- The one process allowed to trade on this file: who holds it, and since when (wall time).
      CREATE TABLE writer_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        process_start TEXT,
        started_wall INTEGER NOT NULL,
        token TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'round-trips-by-exit',
    sql: `
      -- The last N closed round trips of a bot (win rate, risk multiplier, phase breach) are read
      -- from the end of this index: each read costs the same on day 1 and after a year.
      CREATE INDEX round_trips_closed_exit ON round_trips (bot_id, status, exit_ts, id);
    `,
  },
  {
    version: 10,
    name: 'compact-minute-tables',
    sql: `
      -- One row per minute (bars) or per snapshot (equity): stored in their primary key's b-tree
      -- (WITHOUT ROWID) instead of a table plus a copy of the key in an index, half the bytes.
      CREATE TABLE bars_compact (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        ts INTEGER NOT NULL,
        close REAL NOT NULL CHECK (close > 0),
        PRIMARY KEY (venue, symbol, ts)
      ) WITHOUT ROWID;
      INSERT INTO bars_compact SELECT venue, symbol, ts, close FROM bars;
      DROP TABLE bars;
      ALTER TABLE bars_compact RENAME TO bars;
      CREATE TABLE equity_snapshots_compact (
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        equity REAL NOT NULL,
        collateral REAL NOT NULL,
        net_delta REAL NOT NULL,
        gross_notional REAL NOT NULL,
        PRIMARY KEY (bot_id, ts)
      ) WITHOUT ROWID;
      INSERT INTO equity_snapshots_compact SELECT bot_id, ts, equity, collateral, net_delta, gross_notional FROM equity_snapshots;
      DROP TABLE equity_snapshots;
      ALTER TABLE equity_snapshots_compact RENAME TO equity_snapshots;
    `,
  },
  {
    version: 11,
    name: 'steps-once-bars-by-hour',
    sql: `
      -- Each distinct sizing step is stored once; an order keeps the ids of its steps in
      -- trace_steps ("12,13,14") and an empty sizing_trace. Rows written before keep their JSON
      -- in sizing_trace (trace_steps NULL). The legs and slices of one entry share their steps.
      CREATE TABLE sizing_steps (
        id INTEGER PRIMARY KEY,
        hash INTEGER NOT NULL,
        step TEXT NOT NULL
      );
      CREATE INDEX sizing_steps_hash ON sizing_steps (hash);
      ALTER TABLE orders ADD COLUMN trace_steps TEXT;
      -- 1-minute closes an hour to a row: 60 little-endian doubles, NaN for a minute without one;
      -- last_ts is the latest minute stamped in it (the market-time floor reads it).
      -- The per-minute bars of an older file are moved here when it is opened (BarRepository).
      CREATE TABLE bar_hours (
        venue TEXT NOT NULL,
        symbol TEXT NOT NULL,
        hour_ts INTEGER NOT NULL,
        last_ts INTEGER NOT NULL,
        closes BLOB NOT NULL,
        PRIMARY KEY (venue, symbol, hour_ts)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 12,
    name: 'rebalance-requests',
    sql: `
      -- Rebalances queued by \`dnbot rebalance\` for the running bot, which works them through its own
      -- order manager: pending → executing (claimed once) → done, refused or failed, with the outcome.
      CREATE TABLE rebalance_requests (
        id INTEGER PRIMARY KEY,
        bot_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        status TEXT NOT NULL,
        targets TEXT NOT NULL,
        plan TEXT NOT NULL,
        pair_id TEXT,
        outcome TEXT,
        updated_ts INTEGER NOT NULL
      );
      CREATE INDEX rebalance_requests_bot ON rebalance_requests (bot_id, status);
    `,
  },
  {
    version: 13,
    name: 'bounded-status-reads',
    sql: `
      -- The status API, /metrics and dnbot status read only the latest rows or one day's rows,
      -- from the end or a range of these indexes: each read costs the same on day 1 and after a year.
      -- The latest events of a kind, risk snapshots of a venue, risk adjustments of a bot (by id):
      CREATE INDEX events_kind_id ON events (kind, id);
      CREATE INDEX risk_snapshots_venue_id ON risk_snapshots (venue, id);
      CREATE INDEX risk_adjustments_bot_id ON risk_adjustments (bot_id, id);
      -- One UTC day's fills and orders (the day's trades and execution metrics):
      CREATE INDEX fills_ts ON fills (ts);
      CREATE INDEX orders_bot_created ON orders (bot_id, created_ts);
    `,
  },
  {
    version: 14,
    name: 'rebalance-ttl',
    sql: `
      -- How long (market time from its ts) a queued rebalance may wait to be started, or to be taken
      -- up again after a restart: past it the bot expires it rather than trade a plan made against
      -- an older book (\`dnbot rebalance --ttl\`). NULL: queued before this column, 10 minutes.
      ALTER TABLE rebalance_requests ADD COLUMN ttl_ms INTEGER;
    `,
  },
  {
    version: 15,
    name: 'packed-bar-hours',
    sql: `
      -- bar_hours.closes may now be packed (see src/store/hour-closes.ts): a build before this one
      -- would read a packed hour as 60 doubles, so this version number keeps it from opening the
      -- file. Hours written before are left as they are (60 doubles), read as before, and packed
      -- the next time they are written. No table changes.
      SELECT 1;
    `,
  },
  {
    version: 16,
    name: 'compact-steps-traces-working-index',
    sql: `
      -- A sizing step in columns instead of JSON (the keys and the numbers as text were two thirds
      -- of a row), and without the hash column and its index, which nothing reads since the ids of
      -- stored steps are known from memory (src/store/sizing-step-repository.ts). A row whose
      -- reason is NULL holds the step's whole JSON in step: every row written before, and a step
      -- that is not exactly {step, input, output, reason} with a text name and reason. Old rows keep
      -- their ids, so the orders' trace_steps still name them.
      CREATE TABLE sizing_steps_columns (
        id INTEGER PRIMARY KEY,
        step TEXT NOT NULL,
        input REAL,
        output REAL,
        reason TEXT
      );
      INSERT INTO sizing_steps_columns (id, step) SELECT id, step FROM sizing_steps;
      DROP TABLE sizing_steps;
      ALTER TABLE sizing_steps_columns RENAME TO sizing_steps;
      -- orders.trace_steps is now written packed (src/store/trace-ids.ts, a BLOB, ~20 bytes for
      -- the ~45 of "573,91,574,…"); rows written before keep their text. A build before this one
      -- would fail to read a packed trace, which this version number keeps it from doing.
      -- The orders a bot still works, by status: an index of those rows alone. Terminal orders (all
      -- but a handful) were two thirds of the (bot_id, status) index, and every status change
      -- rewrote their entry.
      DROP INDEX orders_bot_status;
      CREATE INDEX orders_working ON orders (bot_id, status)
        WHERE status IN ('pending_submit','open','partially_filled','cancel_pending','unknown');
    `,
  },
  {
    version: 17,
    name: 'equity-hours',
    sql: `
      -- Equity snapshots an hour to a row, packed (src/store/equity-hours.ts): a minute was a
      -- ~43-byte row of equity_snapshots, the largest table of a week; packed it is ~2 bytes flat,
      -- ~28 in a position. first_ts and last_ts bound the hour's snapshots and peak_equity is its
      -- highest equity, so spans, the market-time floor and the peak are read without unpacking.
      -- A rowid table: an hour in a position is ~1.7 KB, over what a WITHOUT ROWID row keeps on
      -- its page. The rows of equity_snapshots are moved here (upgradeEquityHours), then it goes.
      CREATE TABLE equity_hours (
        bot_id TEXT NOT NULL,
        hour_ts INTEGER NOT NULL,
        first_ts INTEGER NOT NULL,
        last_ts INTEGER NOT NULL,
        peak_equity REAL NOT NULL,
        snapshots BLOB NOT NULL,
        PRIMARY KEY (bot_id, hour_ts)
      );
    `,
    upgrade: upgradeEquityHours,
  },
  {
    version: 18,
    name: 'markouts-in-fills',
    sql: `
      -- A fill's markout (the mids at it and 1, 10 and 60 s after) is kept on its fills row:
      -- fill_markouts repeated the fill's symbol, side, price, size, liquidity and time, and its bot
      -- is its order's, and its key and index were another ~100 bytes a fill. markout_saved is 1
      -- once the bot wrote it (a mid may be NULL: not observed). A fill renamed to a new trade id
      -- keeps its mids. A bot is handed a fill once it is stored, so a markout row lacks its fill
      -- only if a legacy-id claim renamed the fill in the minute its markout waited. Such a row
      -- was joined to no fill before either (only the execution metrics counted it); it is not
      -- moved.
      ALTER TABLE fills ADD COLUMN markout_saved INTEGER;
      ALTER TABLE fills ADD COLUMN mid_at_fill REAL;
      ALTER TABLE fills ADD COLUMN mid_1s REAL;
      ALTER TABLE fills ADD COLUMN mid_10s REAL;
      ALTER TABLE fills ADD COLUMN mid_60s REAL;
      UPDATE fills SET (markout_saved, mid_at_fill, mid_1s, mid_10s, mid_60s) =
        (SELECT 1, m.mid_at_fill, m.mid_1s, m.mid_10s, m.mid_60s FROM fill_markouts m WHERE m.venue = fills.venue AND m.trade_id = fills.trade_id)
        WHERE EXISTS (SELECT 1 FROM fill_markouts m WHERE m.venue = fills.venue AND m.trade_id = fills.trade_id);
      DROP TABLE fill_markouts;
    `,
  },
  {
    version: 19,
    name: 'exit-stream-by-plan',
    sql: `
      -- An exit event repeated its plan's levels (symbol, leverage, tp1-3, sl, harvest scheme, LSF,
      -- adjustment: ~100 bytes, the same on every event of a pair) and its time in seconds. Those
      -- columns now hold NULL where the value is its plan's (the seconds: where they are ts's), and
      -- the view exit_stream reads each event back whole, seed 004's stream record. An event
      -- whose plan row is missing, or whose value differs, keeps its own.
      CREATE TABLE exit_events_lean (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pair_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        level TEXT,
        symbol TEXT,
        leverage REAL,
        tp1 REAL,
        tp2 REAL,
        tp3 REAL,
        sl REAL,
        harvest_scheme TEXT,
        lsf REAL,
        adjustment REAL,
        avg_pnl_last_20 REAL,
        timestamp INTEGER,
        ts INTEGER NOT NULL,
        pair_return REAL,
        close_fraction REAL,
        client_order_id TEXT,
        trade_id TEXT,
        fill_symbol TEXT,
        fill_side TEXT,
        fill_size REAL,
        fill_price REAL
      );
      INSERT INTO exit_events_lean
        SELECT e.id, e.pair_id, e.bot_id, e.kind, e.level,
          CASE WHEN e.symbol IS p.long_symbol || '/' || p.short_symbol THEN NULL ELSE e.symbol END,
          CASE WHEN e.leverage IS p.leverage THEN NULL ELSE e.leverage END,
          CASE WHEN e.tp1 IS p.tp1 THEN NULL ELSE e.tp1 END,
          CASE WHEN e.tp2 IS p.tp2 THEN NULL ELSE e.tp2 END,
          CASE WHEN e.tp3 IS p.tp3 THEN NULL ELSE e.tp3 END,
          CASE WHEN e.sl IS p.sl THEN NULL ELSE e.sl END,
          CASE WHEN e.harvest_scheme IS p.harvest_scheme THEN NULL ELSE e.harvest_scheme END,
          CASE WHEN e.lsf IS p.lsf THEN NULL ELSE e.lsf END,
          CASE WHEN e.adjustment IS p.adjustment THEN NULL ELSE e.adjustment END,
          e.avg_pnl_last_20,
          CASE WHEN e.ts >= 0 AND e.timestamp IS e.ts / 1000 THEN NULL ELSE e.timestamp END,
          e.ts, e.pair_return, e.close_fraction, e.client_order_id, e.trade_id, e.fill_symbol, e.fill_side, e.fill_size, e.fill_price
        FROM exit_events e LEFT JOIN exit_plans p ON p.pair_id = e.pair_id
        ORDER BY e.id;
      -- The next id continues where the old table's would have (AUTOINCREMENT's counter moves over).
      INSERT INTO sqlite_sequence (name, seq) SELECT 'exit_events_lean', seq FROM sqlite_sequence WHERE name = 'exit_events'
        AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'exit_events_lean');
      UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT seq FROM sqlite_sequence WHERE name = 'exit_events'))
        WHERE name = 'exit_events_lean' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'exit_events');
      DROP TABLE exit_events;
      ALTER TABLE exit_events_lean RENAME TO exit_events;
      CREATE INDEX exit_events_pair ON exit_events (pair_id, id);
      CREATE VIEW exit_stream AS
        SELECT e.id, e.pair_id, e.bot_id, e.kind, e.level,
          COALESCE(e.symbol, p.long_symbol || '/' || p.short_symbol) AS symbol,
          COALESCE(e.leverage, p.leverage) AS leverage,
          COALESCE(e.tp1, p.tp1) AS tp1,
          COALESCE(e.tp2, p.tp2) AS tp2,
          COALESCE(e.tp3, p.tp3) AS tp3,
          COALESCE(e.sl, p.sl) AS sl,
          COALESCE(e.harvest_scheme, p.harvest_scheme) AS harvest_scheme,
          COALESCE(e.lsf, p.lsf) AS lsf,
          COALESCE(e.adjustment, p.adjustment) AS adjustment,
          e.avg_pnl_last_20,
          COALESCE(e.timestamp, e.ts / 1000) AS timestamp,
          e.ts, e.pair_return, e.close_fraction, e.client_order_id, e.trade_id, e.fill_symbol, e.fill_side, e.fill_size, e.fill_price
        FROM exit_events e LEFT JOIN exit_plans p ON p.pair_id = e.pair_id;
    `,
  },
  {
    version: 20,
    name: 'fewer-b-trees',
    // Ten small tables kept in their key's b-tree alone: a page each less (see KEYED_TABLES). And
    // round_trips_bot_status goes: round_trips_closed_exit (bot_id, status, exit_ts, id) begins
    // with its columns, so serves every query it did, and every query on them orders its rows.
    sql: `${KEYED_TABLES.map(withoutRowidRebuild).join('\n')}
      DROP INDEX round_trips_bot_status;`,
  },
  {
    version: 21,
    name: 'sizing-step-kinds',
    sql: `
      -- A sizing step's name and reason are stored once per distinct pair, in sizing_kinds: most
      -- steps repeat them (an exit's "slice to 13% of the leg; IOC within 10 bps" on every slice),
      -- about half of a steps row. A step in columns names its kind; one kept as JSON (reason NULL
      -- before) holds it in json, with no kind. Steps keep their ids, so the orders' trace_steps still
      -- name them. A kind is found from memory when a step is written (sizing-step-repository.ts):
      -- no index on its text; one not in memory is written again, a row of its own.
      CREATE TABLE sizing_kinds (
        id INTEGER PRIMARY KEY,
        step TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      INSERT INTO sizing_kinds (step, reason)
        SELECT step, reason FROM sizing_steps WHERE reason IS NOT NULL GROUP BY step, reason ORDER BY MIN(id);
      CREATE INDEX sizing_kinds_moving ON sizing_kinds (step, reason);
      CREATE TABLE sizing_steps_kinds (
        id INTEGER PRIMARY KEY,
        kind INTEGER,
        input REAL,
        output REAL,
        json TEXT,
        CHECK ((kind IS NULL) <> (json IS NULL))
      );
      INSERT INTO sizing_steps_kinds (id, kind, input, output, json)
        SELECT s.id, k.id, s.input, s.output, CASE WHEN s.reason IS NULL THEN s.step END
        FROM sizing_steps s LEFT JOIN sizing_kinds k ON s.reason IS NOT NULL AND k.step = s.step AND k.reason = s.reason;
      DROP INDEX sizing_kinds_moving;
      DROP TABLE sizing_steps;
      ALTER TABLE sizing_steps_kinds RENAME TO sizing_steps;
    `,
  },
];
