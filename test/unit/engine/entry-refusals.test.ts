import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { EntryRefusals } from '../../../src/engine/entry-refusals.js';
import { Store } from '../../../src/store/store.js';

const DAY = 86_400_000;

describe('EntryRefusals', () => {
  it('journals a check once per UTC day, again after an entry went out, and builds a lazy reason only when it journals', () => {
    const store = Store.open(':memory:');
    const clock = new SimClock(Date.UTC(2026, 0, 1, 12));
    const refusals = new EntryRefusals({ botId: 'b', store, clock, logger: silentLogger });
    let built = 0;
    const reason = (): string => `volume ${++built}`;
    refusals.refuse('daily_volume', reason);
    clock.advanceTo(clock.now() + 60_000);
    refusals.refuse('daily_volume', reason);
    refusals.refuse('sizing', 'too small');
    refusals.refuse('daily_volume', reason);
    refusals.entered();
    refusals.refuse('daily_volume', reason);
    clock.advanceTo(clock.now() + DAY);
    refusals.refuse('daily_volume', reason);
    refusals.refuse('daily_volume', reason);
    const rows = store.db.prepare("SELECT data FROM events WHERE kind = 'entry_refused' ORDER BY id").pluck().all() as string[];
    expect(rows.map((r) => JSON.parse(r) as { check: string; reason: string })).toEqual([
      { check: 'daily_volume', reason: 'volume 1' },
      { check: 'sizing', reason: 'too small' },
      { check: 'daily_volume', reason: 'volume 2' },
      { check: 'daily_volume', reason: 'volume 3' },
      { check: 'daily_volume', reason: 'volume 4' },
    ]);
    expect(built).toBe(4);
    store.close();
  });
});
