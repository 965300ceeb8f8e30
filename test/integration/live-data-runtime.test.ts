import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimMarket } from '../../adapters/sim/sim-market.js';
import { LiveClock } from '../../src/core/clock.js';
import { ErrorCodes, isDnbotError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent, Position } from '../../src/core/types.js';
import type { FeedHealth, LiveMarketSource, LiveVenue, VenueBundle } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { WAL_CHECKPOINT_DEFAULTS } from '../../src/store/wal-checkpoints.js';
import { tempDir } from './cli-harness.js';

/** Simulated events re-stamped with receive time, as a live stream delivers them; then quiet; then closed. */
class ScriptedLiveSource implements LiveMarketSource {
  readonly live = true as const;
  readonly instruments;
  readonly startTs: number;
  closed = 0;
  idles = 0;
  /** Called before each event is handed out (a look at the run from inside). */
  onNext: (() => void) | null = null;
  private sent = 0;
  private readonly sim = new SimMarket({ config: parseConfig({}).sim, seed: 5 });

  constructor(private readonly wall: LiveClock, private readonly events: number, private readonly quietPolls: number) {
    this.instruments = this.sim.instruments;
    this.startTs = wall.now();
  }

  history(symbol: string, bars: number) {
    return this.sim.history(symbol, bars);
  }

  async next(maxWaitMs: number): Promise<MarketEvent | 'idle' | null> {
    this.onNext?.();
    if (this.sent < this.events) {
      const ev = this.sim.next();
      if (ev === null) return null;
      this.sent++;
      return { ...ev, ts: this.wall.now() } as MarketEvent;
    }
    if (this.idles < this.quietPolls) {
      this.idles++;
      await this.wall.sleep(Math.min(maxWaitMs, 5));
      return 'idle';
    }
    return null;
  }

  feedHealth(): readonly FeedHealth[] {
    return [];
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

function fakeLiveVenue(positions: Position[]): LiveVenue & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    name: 'nado',
    capabilities: { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 32 },
    instruments: async () => [],
    placeOrder: async () => {
      throw new Error('no orders in this test');
    },
    cancelOrder: async () => undefined,
    openOrders: async () => [],
    lookupOrder: async () => null,
    fillsSince: async () => [],
    positions: async () => positions,
    account: async () => ({ equity: 10_000, collateral: 10_000, freeCollateral: 10_000, initialMargin: 0, maintenanceMargin: 0 }),
    onFill: () => undefined,
    onOrderUpdate: () => undefined,
    cancelAll: async (reason: string) => {
      calls.push(`cancelAll:${reason}`);
    },
    close: async () => {
      calls.push('close');
    },
  };
}

describe('runtime on a live (push-fed) market source', () => {
  it('paper on live data: trades under <venue>-paper, housekeeps while quiet, closes the streams at the end', async () => {
    const wall = new LiveClock();
    const source = new ScriptedLiveSource(wall, 400, 3);
    const db = join(tempDir(), 'live-paper.db');
    const cfg = parseConfig({ db, venue: 'nado', mode: 'paper' });
    const c = await compose({ config: cfg, logger: silentLogger, wall, openVenue: async (): Promise<VenueBundle> => ({ source, live: null }) });
    expect(c.venueName).toBe('nado-paper');
    expect(c.paper).not.toBeNull();
    const autocheckpoint = new Set<unknown>();
    source.onNext = () => autocheckpoint.add(c.store.db.pragma('wal_autocheckpoint', { simple: true }));
    await c.runtime.run();
    // Checkpoints ran between events, not inside commits (SQLite's own only as a far backstop),
    // and the clean stop truncated the WAL.
    expect([...autocheckpoint]).toEqual([WAL_CHECKPOINT_DEFAULTS.backstopPages]);
    expect(statSync(`${db}-wal`).size).toBe(0);
    expect(source.idles).toBe(3);
    expect(source.closed).toBe(1);
    expect(c.runtime.stats.eventsProcessed).toBe(400);
    expect(c.store.bots.list().map((b) => b.venue)).toEqual(['nado-paper']);
    // A real venue's account: this database drew its own client-order-id namespace, once.
    expect(c.store.db.prepare("SELECT COUNT(*) AS n FROM id_sequences WHERE name = 'coid-namespace'").get()).toEqual({ n: 1 });
    for (const o of c.store.db.prepare('SELECT client_order_id AS id FROM orders').all() as { id: string }[]) expect(o.id).toMatch(/^dnethsol-[0-9a-z]{4}-[0-9a-z]{6,}$/);
    c.store.close();
  });

  it('a bounded run ends on time even when the stream stays quiet', async () => {
    const wall = new LiveClock();
    const source = new ScriptedLiveSource(wall, 20, Number.POSITIVE_INFINITY);
    const cfg = parseConfig({ db: join(tempDir(), 'quiet.db'), venue: 'nado', mode: 'paper', run: { durationMs: 300 } });
    const c = await compose({ config: cfg, logger: silentLogger, wall, openVenue: async (): Promise<VenueBundle> => ({ source, live: null }) });
    const started = wall.now();
    await c.runtime.run();
    expect(source.idles).toBeGreaterThan(0);
    expect(wall.now() - started).toBeLessThan(5_000);
    expect(source.closed).toBe(1);
    c.store.close();
  });

  it('live: refuses to trade when venue positions differ from ours, and leaves nothing open', async () => {
    const wall = new LiveClock();
    const source = new ScriptedLiveSource(wall, 10, 0);
    const venue = fakeLiveVenue([{ symbol: 'ETH-PERP', size: 1.5, entryPrice: 3000, realizedPnl: 0 }]);
    const cfg = parseConfig({ db: join(tempDir(), 'live.db'), venue: 'nado', mode: 'live' });
    const err = await compose({ config: cfg, logger: silentLogger, wall, openVenue: async () => ({ source, live: venue }) }).catch((e: unknown) => e);
    expect(isDnbotError(err) && err.code).toBe(ErrorCodes.RECONCILIATION_FAILED);
    expect(String((err as Error).message)).toMatch(/ETH-PERP/);
    expect(venue.calls).toEqual(['cancelAll:shutdown', 'close']);
    expect(source.closed).toBe(1);
  });

  it('live: a clean reconciliation trades on the live venue and cancels everything on shutdown', async () => {
    const wall = new LiveClock();
    const source = new ScriptedLiveSource(wall, 50, 1);
    const base = fakeLiveVenue([]);
    // A venue with its own margin rules: asked only when the liquidation monitor evaluates.
    const venue = Object.assign(base, {
      venueMargin: async () => {
        base.calls.push('venueMargin');
        return { maintenanceMargin: 0, liquidationPrices: new Map<string, number | null>() };
      },
    });
    const cfg = parseConfig({ db: join(tempDir(), 'live-ok.db'), venue: 'nado', mode: 'live' });
    const c = await compose({ config: cfg, logger: silentLogger, wall, openVenue: async () => ({ source, live: venue }) });
    expect(c.paper).toBeNull();
    expect(c.venueName).toBe('nado');
    await c.runtime.run();
    expect(venue.calls).toEqual(['venueMargin', 'cancelAll:shutdown', 'close']);
    expect(source.closed).toBe(1);
    c.store.close();
  });
});
