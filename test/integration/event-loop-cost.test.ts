import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';
import { equityRows } from '../support/equity-rows.js';

// What the event loop spends per event at max speed on the simulated market: it checks nothing
// the source already guarantees, and reads the wall clock only now and then.

const MINUTES_10 = 600_000;

/** Forwards `s`, slipping one crossed BTC book (a symbol no bot trades) in after the 100th event. */
function withOneCrossedBook(s: MarketDataSource, sound: boolean): MarketDataSource {
  let n = 0;
  return wrappedSource(s, (): MarketEvent | null => {
    const ev = s.next();
    if (ev === null || ++n !== 100) return ev;
    return { kind: 'book', ts: ev.ts, book: { symbol: 'BTC-PERP', ts: ev.ts, seq: 0, bids: [{ price: 61_000, size: 1 }], asks: [{ price: 60_000, size: 1 }] } };
  }, { soundEvents: sound });
}

/** A wall clock that counts its reads. */
class CountingWall extends LiveClock {
  reads = 0;
  override now(): number {
    this.reads++;
    return super.now();
  }
}

/** A wall clock that moves 10 ms at every read: status lines come due at a known pace. */
class SteppingWall extends LiveClock {
  private t = 1_000_000;
  override now(): number {
    return (this.t += 10);
  }
}

describe('the event loop at max speed', () => {
  it('checks each event against the market event guard unless the source declares its events sound', async () => {
    const dropped: number[] = [];
    for (const sound of [false, true]) {
      const config = parseConfig({ db: join(tempDir(), `sound-${sound}.db`), seed: 3, run: { speed: 'max', durationMs: MINUTES_10 } });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: (s) => withOneCrossedBook(s, sound) });
      await c.runtime.run();
      c.store.close();
      dropped.push(c.runtime.guard.dropped);
    }
    expect(dropped).toEqual([1, 0]);
  });

  it('reads the wall clock about once every 32 events, not on every one', async () => {
    const config = parseConfig({ db: join(tempDir(), 'wall.db'), seed: 3, run: { speed: 'max', durationMs: MINUTES_10 } });
    const wall = new CountingWall();
    const c = await compose({ config, logger: silentLogger, wall });
    const before = wall.reads;
    await c.runtime.run();
    c.store.close();
    const events = c.runtime.stats.eventsProcessed;
    expect(events).toBeGreaterThan(5_000);
    // Write batches and the status line read it too, a few hundred times at most here.
    expect(wall.reads - before).toBeLessThan(events / 32 + 500);
  });

  it('reads the paper account without a promise each second of market time, unless order work is pending', async () => {
    const config = parseConfig({ db: join(tempDir(), 'account.db'), seed: 3, run: { speed: 'max', durationMs: MINUTES_10 } });
    const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    const paper = c.paper!;
    const viaPromise = vi.spyOn(paper, 'account');
    const inMemory = vi.spyOn(paper, 'accountNow');
    await c.runtime.run();
    c.store.close();
    // About one refresh a second: 600 in ten minutes, nearly all without a promise.
    expect(inMemory.mock.calls.length).toBeGreaterThan(500);
    expect(viaPromise.mock.calls.length).toBeLessThan(100);
  });

  it('keeps the snapshot and status cadence while most events are answered without housekeeping', async () => {
    const config = parseConfig({ db: join(tempDir(), 'cadence.db'), seed: 3, run: { speed: 'max', durationMs: MINUTES_10, statusIntervalMs: 100, snapshotIntervalMs: 60_000 } });
    const wall = new SteppingWall();
    const statusTs: number[] = [];
    const c = await compose({ config, logger: silentLogger, wall, onStatus: (s) => statusTs.push(s.ts) });
    await c.runtime.run();
    const snapshots = { n: new Set(equityRows(c.store.db).map((r) => r.ts)).size };
    c.store.close();
    // One snapshot a minute of market time from the first event, and one at shutdown.
    expect(snapshots.n).toBe(11);
    // The wall moves about 10 ms per 32 events (plus a few reads): a status line every ~100 ms of it.
    expect(statusTs.length).toBeGreaterThan(20);
    expect([...statusTs].sort((a, b) => a - b)).toEqual(statusTs);
  });
});
