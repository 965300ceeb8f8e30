import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent, Order } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import type { Store } from '../../src/store/store.js';
import type { RoundTrip } from '../../src/store/round-trip-repository.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

const SLICE = 100;
/**
 * The post-only hedge's wait: volume mode's default (0) crosses the lagging leg at the next event,
 * so a run stopped while an exit is post-only would already hold an IOC exit when it shuts down.
 */
const NAKED_MAX_MS = 10_000;
/** Lot rounding and price drift between a slice's sizing and its fill. */
const SLACK = 0.1;

/** Stops the run (as Ctrl-C would) at the first event where `when` holds, or after `max` events. */
function stopWhen(max: number, when: () => boolean, stop: () => void): (s: MarketDataSource) => MarketDataSource {
  return (s) => {
    let seen = 0;
    let stopped = false;
    return wrappedSource(s, (): MarketEvent | null => {
      if (!stopped && (++seen >= max || when())) {
        stopped = true;
        stop();
      }
      return s.next();
    });
  };
}

function query<T>(db: string, f: (sql: Database.Database) => T): T {
  const sql = new Database(db, { readonly: true });
  try {
    return f(sql);
  } finally {
    sql.close();
  }
}

const pairRow = (db: string, id: string): { status: string; open_ts: number | null } => query(db, (sql) => sql.prepare('SELECT status, open_ts FROM round_trips WHERE id = ?').get(id) as { status: string; open_ts: number | null });

const filledUsd = (orders: readonly Order[], symbol: string): number => orders.filter((o) => o.symbol === symbol && o.filledSize > 0).reduce((s, o) => s + o.filledSize * (o.avgFillPrice ?? 0), 0);

/** Runs a volume-mode bot on the simulated market until `when(store)` holds; returns the pair it stopped in. */
async function stopIn(db: string, seed: number, when: (store: Store, rt: RoundTrip) => boolean): Promise<RoundTrip> {
  const cfg = parseConfig({ db, seed, run: { speed: 'max' }, execution: { sliceUsd: SLICE }, bots: [{ id: 'b', baseNotionalUsd: 500, dnPair: { mode: 'volume', volume: { nakedMaxMs: NAKED_MAX_MS } } }] });
  let store: Store | null = null;
  let stop = (): void => undefined;
  let hit: RoundTrip | null = null;
  const check = (): boolean => {
    const rt = store?.roundTrips.active('b')[0];
    if (!store || !rt || !when(store, rt)) return false;
    hit = rt;
    return true;
  };
  const first = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock(), wrapSource: stopWhen(400_000, check, () => stop()) });
  store = first.store;
  stop = () => first.runtime.requestStop();
  await first.runtime.run();
  first.store.close();
  expect(hit, 'the run never reached the state to cut').not.toBeNull();
  return hit!;
}

async function resume(db: string, seed: number, events: number): Promise<Store> {
  const cfg = parseConfig({ db, seed, run: { speed: 'max' }, execution: { sliceUsd: SLICE }, bots: [{ id: 'b', baseNotionalUsd: 500, dnPair: { mode: 'volume', volume: { nakedMaxMs: NAKED_MAX_MS } } }] });
  const second = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock(), wrapSource: stopWhen(events, () => false, () => second.runtime.requestStop()) });
  await second.runtime.run();
  return second.store;
}

describe('a pair cut by a restart resumes its slicing', () => {
  it('an entry stopped after its first slices carries on slice by slice to its full size', async () => {
    const db = join(tempDir(), 'entry.db');
    const rt = await stopIn(db, 21, (store, rt) => {
      if (rt.status !== 'entering') return false;
      const orders = store.orders.forPair(rt.id);
      const long = filledUsd(orders, rt.longSymbol);
      const short = filledUsd(orders, rt.shortSymbol);
      // Both legs under way, well short of the pair's size.
      return long > 0 && short > 0 && Math.max(long, short) < rt.targetNotional * 0.5;
    });
    const cutAt = query(db, (sql) => (sql.prepare('SELECT MAX(created_ts) AS t FROM orders').get() as { t: number }).t);
    const store = await resume(db, 21, 60_000);
    try {
      const resumed = store.events.recent(50, 'pair_entry_resumed').filter((e) => e.data['pairId'] === rt.id);
      expect(resumed.length).toBe(1);
      const orders = store.orders.forPair(rt.id);
      // After the restart the entry goes on post-only, one slice at a time.
      const after = orders.filter((o) => o.createdTs > cutAt && o.purpose === 'entry');
      expect(after.length).toBeGreaterThan(0);
      for (const o of after) {
        expect(o.tif).toBe('POST_ONLY');
        expect(o.size * (o.price ?? 0)).toBeLessThanOrEqual(SLICE * (1 + SLACK));
      }
      // And it reaches the size it was sized for, not the size the restart found.
      const total = (o: Order | undefined): number => (o?.sizingTrace.at(-1)?.input ?? 0) * (o?.price ?? 0);
      const longTotal = total(orders.find((o) => o.symbol === rt.longSymbol && o.purpose === 'entry'));
      const enteredLong = orders.filter((o) => o.symbol === rt.longSymbol && o.side === 'buy' && (o.purpose === 'entry' || o.purpose === 'hedge')).reduce((s, o) => s + o.filledSize * (o.avgFillPrice ?? 0), 0);
      expect(pairRow(db, rt.id).open_ts, 'the resumed pair opened').not.toBeNull();
      expect(enteredLong).toBeGreaterThan(longTotal * 0.9);
    } finally {
      store.close();
    }
  }, 180_000);

  it('an exit stopped half way goes on post-only in slices, never a whole leg by IOC', async () => {
    const db = join(tempDir(), 'exit.db');
    const rt = await stopIn(db, 22, (store, rt) => {
      if (rt.status !== 'exiting') return false;
      const orders = store.orders.forPair(rt.id);
      const exited = orders.filter((o) => o.purpose === 'exit' && o.filledSize > 0).length;
      // Post-only exit slices filled, and more than a slice left on a leg.
      return exited > 0 && orders.every((o) => o.purpose !== 'exit' || o.tif === 'POST_ONLY') && filledUsd(orders, rt.longSymbol) > 0;
    });
    const before = new Set(query(db, (sql) => (sql.prepare('SELECT client_order_id AS id FROM orders').all() as { id: string }[]).map((r) => r.id)));
    const store = await resume(db, 22, 60_000);
    try {
      const after = store.orders.forPair(rt.id).filter((o) => !before.has(o.clientOrderId) && o.purpose === 'exit');
      expect(after.length).toBeGreaterThan(0);
      for (const o of after) expect(o.size * (o.price ?? o.avgFillPrice ?? 0), `${o.clientOrderId} ${o.tif}`).toBeLessThanOrEqual(SLICE * (1 + SLACK));
      expect(after[0]!.tif).toBe('POST_ONLY');
      expect(pairRow(db, rt.id).status).toBe('closed');
    } finally {
      store.close();
    }
  }, 180_000);
});
