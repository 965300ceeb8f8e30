import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LiveClock, type Clock, type TimerHandle } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { checkDatabase, SOAK_SCENARIOS } from '../soak/crash-soak.js';
import { tempDir } from './cli-harness.js';
import { committedCopy } from '../support/committed-copy.js';
import { wrappedSource } from '../support/wrapped-source.js';

/**
 * The wall clock of a machine so loaded that every reading is 150 ms after the last: the run's
 * write batch (committed every 100 ms of wall time) then commits after every market event, as it
 * did under a load average of 20. Deterministic, unlike real load.
 */
class StalledWall implements Clock {
  private t = 1_000_000;
  private readonly timers = new LiveClock();
  now(): number {
    this.t += 150;
    return this.t;
  }
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.timers.setTimer(delayMs, fn);
  }
  cancelTimer(handle: TimerHandle): void {
    this.timers.cancelTimer(handle);
  }
  sleep(delayMs: number): Promise<void> {
    return this.timers.sleep(delayMs);
  }
}

/** Calls `at(n)` before handing out the n-th event. */
function onEvent(at: (n: number) => void): (s: MarketDataSource) => MarketDataSource {
  return (s) => {
    let n = 0;
    return wrappedSource(s, (): MarketEvent | null => {
      at(++n);
      return s.next();
    });
  };
}

const scenario = SOAK_SCENARIOS[0]!;

describe('a kill at any moment of a stalled run', () => {
  // Events 40 and 300 fall in the first minute of market time, before the first snapshot that
  // holds marks; the others after it. A simulated run's orders are committed with their batch (on
  // this wall, after every 32nd event): event 40 comes after the first commit that holds orders.
  it.each([40, 300, 1_500, 6_000])('killed before event %i: the restart keeps market time moving forward in every row and the ledger sound', async (killAt) => {
    const dir = tempDir('dnbot-crashpoint-');
    const db = join(dir, 'run.db');
    const killed = join(dir, 'killed.db');
    const raw = { ...scenario.config, db, seed: 5, run: { speed: 'max' } };
    let stop = (): void => undefined;
    const first = await compose({
      config: parseConfig(raw),
      logger: silentLogger,
      wall: new StalledWall(),
      wrapSource: onEvent((n) => {
        if (n !== killAt) return;
        committedCopy(db, killed);
        stop();
      }),
    });
    stop = () => first.runtime.requestStop();
    await first.runtime.run();
    first.store.close();
    const killedState = new Database(killed, { readonly: true });
    const before = killedState.prepare('SELECT COUNT(*) AS n, MAX(created_ts) AS last FROM orders').get() as { n: number; last: number | null };
    killedState.close();
    expect(before.n).toBeGreaterThan(0);

    const second = await compose({
      config: parseConfig({ ...raw, db: killed }),
      logger: silentLogger,
      wall: new StalledWall(),
      wrapSource: onEvent((n) => {
        if (n === 3_000) second.runtime.requestStop();
      }),
    });
    const resumedAt = second.source.startTs;
    await second.runtime.run();
    second.store.close();
    expect(checkDatabase(killed, scenario)).toEqual([]);
    expect(resumedAt).toBeGreaterThan(before.last!);
  }, 60_000);
});
