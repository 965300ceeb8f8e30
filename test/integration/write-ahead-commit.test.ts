import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimMarket } from '../../adapters/sim/sim-market.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { FeedHealth, LiveMarketSource, VenueBundle } from '../../src/core/venue.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';

/** A simulated market delivered as a live stream: the same events, shifted to start now. */
class SimAsLiveSource implements LiveMarketSource {
  readonly live = true as const;
  readonly instruments;
  readonly startTs: number;
  private readonly sim = new SimMarket({ config: parseConfig({}).sim, seed: 1 });
  private readonly shift: number;
  private readonly endTs: number;

  constructor(wall: LiveClock, spanMs: number) {
    this.instruments = this.sim.instruments;
    this.startTs = wall.now();
    this.shift = this.startTs - this.sim.startTs;
    this.endTs = this.sim.startTs + spanMs;
  }

  history(symbol: string, bars: number) {
    return this.sim.history(symbol, bars);
  }

  async next(): Promise<MarketEvent | 'idle' | null> {
    const ev = this.sim.next();
    if (ev === null || ev.ts >= this.endTs) return null;
    return { ...ev, ts: ev.ts + this.shift } as MarketEvent;
  }

  feedHealth(): readonly FeedHealth[] {
    return [];
  }

  async close(): Promise<void> {}
}

/** Counts the store's explicit commits (the OrderManager's write-ahead commit is the only caller). */
function countCommits(c: Composed): { n: number } {
  const count = { n: 0 };
  const commit = c.store.commit.bind(c.store);
  c.store.commit = () => {
    count.n++;
    commit();
  };
  return count;
}

function ordersIn(c: Composed): number {
  return (c.store.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
}

describe("an order's write-ahead commit", () => {
  it('a simulated run commits its orders with the batch, never one commit per order', async () => {
    const cfg = parseConfig({ db: join(tempDir(), 'sim.db'), seed: 1, run: { speed: 'max', durationMs: 2 * 3_600_000 } });
    const c = await compose({ config: cfg, logger: silentLogger, wall: new LiveClock() });
    const commits = countCommits(c);
    await c.runtime.run();
    expect(ordersIn(c)).toBeGreaterThan(0);
    expect(commits.n).toBe(0);
    c.store.close();
  });

  it('paper on a live source commits each order on its own before it can be sent', async () => {
    const wall = new LiveClock();
    const db = join(tempDir(), 'live.db');
    const source = new SimAsLiveSource(wall, 2 * 3_600_000);
    const cfg = parseConfig({ db, venue: 'nado', mode: 'paper' });
    const c = await compose({ config: cfg, logger: silentLogger, wall, openVenue: async (): Promise<VenueBundle> => ({ source, live: null }) });
    const commits = countCommits(c);
    const other = new Database(db, { readonly: true });
    const committedAtSend: unknown[] = [];
    const paper = c.paper!;
    const place = paper.placeOrder.bind(paper);
    paper.placeOrder = (req) => {
      committedAtSend.push(other.prepare('SELECT status FROM orders WHERE client_order_id = ?').get(req.clientOrderId));
      return place(req);
    };
    try {
      await c.runtime.run();
      const orders = ordersIn(c);
      expect(orders).toBeGreaterThan(0);
      expect(commits.n).toBe(orders);
      expect(committedAtSend).toHaveLength(orders);
      for (const row of committedAtSend) expect(row).toEqual({ status: 'pending_submit' });
    } finally {
      other.close();
      c.store.close();
    }
  });
});
