import fc from 'fast-check';
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

  it('repeats(check, now) says beforehand whether refuse(check) at now journals nothing (property: checks, entries, days)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('refuse' as const), check: fc.constantFrom('daily_volume', 'halt', 'sizing'), hours: fc.integer({ min: 0, max: 30 }) }),
      fc.constant({ kind: 'entered' as const }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const store = Store.open(':memory:');
        const clock = new SimClock(Date.UTC(2026, 0, 1, 12));
        const refusals = new EntryRefusals({ botId: 'b', store, clock, logger: silentLogger });
        const journaled = (): number => store.db.prepare("SELECT COUNT(*) FROM events WHERE kind = 'entry_refused'").pluck().get() as number;
        for (const s of steps) {
          if (s.kind === 'entered') refusals.entered();
          else {
            clock.advanceTo(clock.now() + s.hours * 3_600_000);
            const repeats = refusals.repeats(s.check, clock.now());
            const before = journaled();
            refusals.refuse(s.check, 'why');
            expect(journaled() - before).toBe(repeats ? 0 : 1);
          }
        }
        store.close();
      }),
      { numRuns: 50 },
    );
  });
});
