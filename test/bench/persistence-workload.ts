import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Fill, Instrument, SizingStep } from '../../src/core/types.js';
import type { Venue, VenueOrder } from '../../src/core/venue.js';
import { OrderManager } from '../../src/execution/order-manager.js';
import { formatClientOrderId } from '../../src/execution/client-order-id.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { Store } from '../../src/store/store.js';

// The persistence bench's work: 1,000 orders (500 entries of two legs) each with one fill.
//
// Floor: the same logical writes on the same schema with raw better-sqlite3 statements, prepared
// once, in the transactions crash safety needs: per order (committed before it could be sent) the
// id counter, the steps of its sizing trace not stored yet (and their kinds not stored yet) and
// the order row; per fill the fill row, the order's filled size and status, the position and the
// day's volume. The floor knows which steps are new and what the position is; dnbot must find out.
//
// Each side keeps one database for all its runs, as a live run does (setup is not timed, the WAL
// and its checkpoints carry over), and both run the same number of times so their tables grow alike.
export const N = 1_000;
const inst: Instrument = {
  venue: 'bench', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001,
  minNotional: 1, maxLeverage: 20, makerFeeRate: 0.0001, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000,
};

/** A venue that acknowledges nothing: placement requests stay queued, bookkeeping is what we measure. */
const inertVenue: Venue = {
  name: 'bench',
  capabilities: { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 64 },
  instruments: () => Promise.resolve([inst]),
  placeOrder: () => new Promise<VenueOrder>(() => undefined),
  cancelOrder: () => Promise.resolve(),
  openOrders: () => Promise.resolve([]),
  lookupOrder: () => Promise.resolve(null),
  fillsSince: () => Promise.resolve([]),
  positions: () => Promise.resolve([]),
  account: () => Promise.resolve({ equity: 0, collateral: 0, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 }),
  onFill: () => undefined,
  onOrderUpdate: () => undefined,
};

/** An entry's sizing trace as the sizer writes it (about 1 KB), then each leg's slice step. */
function entryTrace(entry: number): SizingStep[] {
  const base = 1000 + entry;
  const names = ['base', 'phase', 'risk_multiplier', 'allocation_tier', 'volatility', 'correlation', 'leverage_cap', 'position_cap', 'gate'];
  return names.map((step, k) => ({ step, input: base - k, output: base - k - 1, reason: `${step}: ${base - k} USD becomes ${base - k - 1} USD under the configured limit for this entry` }));
}
function legTrace(entry: readonly SizingStep[], leg: number): SizingStep[] {
  return [...entry, { step: 'slice', input: 990, output: 0.1, reason: `leg ${leg}: one slice of at most execution.sliceUsd` }];
}

const dir = mkdtempSync(join(tmpdir(), 'dnbot-persist-bench-'));
const opened: Store[] = [];

/** Closes the databases and removes their files. */
export function closeAll(): void {
  for (const s of opened.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A database with dnbot's schema and the bench's bot: in memory, or a fresh WAL file. */
function openStore(where: 'memory' | 'wal', name: string): Store {
  const store = Store.open(where === 'memory' ? ':memory:' : join(dir, `${name}-${opened.length}.sqlite`));
  store.bots.ensure('b', 'dn-pair', 'bench', 0);
  opened.push(store);
  return store;
}

/** The floor: raw statements on a database of the same schema. */
export function floorRunner(where: 'memory' | 'wal'): () => void {
  const db: Database.Database = openStore(where, 'floor').db;
  const seq = db.prepare('INSERT INTO id_sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value');
  const kind = db.prepare('INSERT INTO sizing_kinds (step, reason) VALUES (?, ?)');
  const step = db.prepare('INSERT INTO sizing_steps (kind, input, output, json) VALUES (?, ?, ?, NULL)');
  // The kinds stored (a name and reason): an entry's are new, each leg's slice kind repeats.
  const kinds = new Map<string, number>();
  const kindOf = (s: SizingStep): number => {
    const key = `${s.step}\n${s.reason}`;
    let id = kinds.get(key);
    if (id === undefined) kinds.set(key, (id = Number(kind.run(s.step, s.reason).lastInsertRowid)));
    return id;
  };
  const order = db.prepare(
    `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status,
      venue_order_id, filled_size, avg_fill_price, fees_paid, reject_reason, sizing_trace, trace_steps, created_ts, updated_ts)
     VALUES (?, 'b', 'bench', 'ETH-PERP', ?, 'limit', 'GTC', 3000, 0.1, 0, 'entry', ?, 'pending_submit', NULL, 0, NULL, 0, NULL, '', ?, ?, ?)`,
  );
  const fill = db.prepare(
    `INSERT INTO fills (venue, trade_id, client_order_id, venue_order_id, symbol, side, price, size, fee, liquidity, ts)
     VALUES ('bench', ?, ?, ?, 'ETH-PERP', ?, 3000, 0.1, 0.03, 'maker', ?)`,
  );
  const filled = db.prepare(`UPDATE orders SET status = 'filled', venue_order_id = ?, filled_size = 0.1, avg_fill_price = 3000, fees_paid = 0.03, updated_ts = ? WHERE client_order_id = ?`);
  const position = db.prepare(
    `INSERT INTO positions (bot_id, venue, symbol, size, entry_price, realized_pnl, updated_ts) VALUES ('b', 'bench', 'ETH-PERP', ?, ?, 0, ?)
     ON CONFLICT (bot_id, venue, symbol) DO UPDATE SET size = excluded.size, entry_price = excluded.entry_price, realized_pnl = excluded.realized_pnl, updated_ts = excluded.updated_ts`,
  );
  const volume = db.prepare(
    `INSERT INTO daily_volume (bot_id, day, volume_usd, fees_usd, fills, realized_pnl) VALUES ('b', '1970-01-01', 300, 0.03, 1, 0)
     ON CONFLICT (bot_id, day) DO UPDATE SET volume_usd = volume_usd + 300, fees_usd = fees_usd + 0.03, fills = fills + 1`,
  );
  const writeOrder = db.transaction((id: string, n: number, side: string, pairId: string, newSteps: readonly SizingStep[], refs: string[], ts: number) => {
    seq.run('coid:f-', n);
    for (const s of newSteps) refs.push(String(step.run(kindOf(s), s.input, s.output).lastInsertRowid));
    order.run(id, side, pairId, refs.join(','), ts, ts);
  });
  const bookFill = db.transaction((id: string, n: number, side: string, ts: number) => {
    fill.run(`t${n}`, id, `v${n}`, side, ts);
    filled.run(`v${n}`, ts, id);
    position.run(side === 'buy' ? 0.1 : 0, side === 'buy' ? 3000 : 0, ts);
    volume.run();
  });
  let n = 0;
  return () => {
    for (let i = 0; i < N; i += 2) {
      const entry = entryTrace(n);
      let shared: string[] = [];
      for (let leg = 0; leg < 2; leg++) {
        n++;
        const id = formatClientOrderId('f-', n);
        const side = leg === 0 ? 'buy' : 'sell';
        const trace = legTrace(entry, leg);
        // The first leg stores the entry's steps; the second shares them and adds its slice.
        const newSteps = leg === 0 ? trace : trace.slice(-1);
        const refs = leg === 0 ? [] : shared.slice();
        writeOrder(id, n, side, `rt${n >> 1}`, newSteps, refs, n);
        if (leg === 0) shared = refs.slice(0, -1);
        bookFill(id, n, side, n);
      }
    }
  };
}

export function dnbotRunner(where: 'memory' | 'wal'): () => void {
  const store = openStore(where, 'dnbot');
  const clock = new SimClock(0);
  // No concurrency cap: the inert venue never answers, so with the default 4 slots every later
  // request would wait in the limiter's queue for good, a growing heap the floor does not have.
  const limiter = new VenueLimiter({ clock, ratePerSecond: 1e9, burst: 1e9, concurrency: Number.POSITIVE_INFINITY });
  const om = new OrderManager({ clock, store, venue: inertVenue, limiter, logger: silentLogger, instruments: new Map([[inst.symbol, inst]]), idPrefix: 'b-' });
  let n = 0;
  return () => {
    for (let i = 0; i < N; i += 2) {
      const entry = entryTrace(n);
      for (let leg = 0; leg < 2; leg++) {
        n++;
        const side = leg === 0 ? 'buy' : 'sell';
        const o = om.submit({ botId: 'b', symbol: 'ETH-PERP', side, type: 'limit', tif: 'GTC', price: 3000, size: 0.1, reduceOnly: false, purpose: 'entry', pairId: `rt${n >> 1}`, sizingTrace: legTrace(entry, leg) });
        const fill: Fill = { tradeId: `t${n}`, clientOrderId: o.clientOrderId, venueOrderId: `v${n}`, symbol: 'ETH-PERP', side, price: 3000, size: 0.1, fee: 0.03, liquidity: 'maker', ts: n };
        om.handleFill(fill);
      }
    }
  };
}


export interface PairedRatios {
  readonly pairs: number;
  /** Median over the pairs of dnbot's time over the floor's, wall and CPU (user + system). */
  readonly wall: number;
  readonly cpu: number;
  /** Lowest and highest CPU ratio of a pair. */
  readonly cpuRange: readonly [number, number];
}

/**
 * Runs the floor and the OrderManager back to back, `pairs` times, on fresh databases, and gives
 * the median ratio of each pair: on a machine whose load moves between runs, both halves of a
 * pair meet the same load, which vitest's one-task-after-the-other cannot promise.
 */
export function pairedRatios(where: 'memory' | 'wal', pairs: number): PairedRatios {
  const floor = floorRunner(where);
  const dnbot = dnbotRunner(where);
  const wall: number[] = [];
  const cpu: number[] = [];
  const timed = (fn: () => void): [number, number] => {
    const c = process.cpuUsage();
    const w = performance.now();
    fn();
    const u = process.cpuUsage(c);
    return [performance.now() - w, (u.user + u.system) / 1000];
  };
  floor();
  dnbot();
  for (let i = 0; i < pairs; i++) {
    const [fw, fc] = timed(floor);
    const [dw, dc] = timed(dnbot);
    wall.push(dw / fw);
    cpu.push(dc / fc);
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  return { pairs, wall: median(wall), cpu: median(cpu), cpuRange: [Math.min(...cpu), Math.max(...cpu)] };
}
