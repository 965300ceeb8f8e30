import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestMarketTs, MARKET_TIME_COLUMNS } from '../../../src/store/market-time-floor.js';
import { Store } from '../../../src/store/store.js';

/** The floor as one query per stamped column, each with its own bots subquery: the plain reading of the rule. */
function floorColumnByColumn(store: Store, venue: string): number {
  const where = {
    venue: 'venue = @venue',
    bot: 'bot_id IN (SELECT id FROM bots WHERE venue = @venue)',
    'bot-or-global': "(bot_id IS NULL OR bot_id = '*' OR bot_id IN (SELECT id FROM bots WHERE venue = @venue))",
  } as const;
  let latest = 0;
  for (const c of MARKET_TIME_COLUMNS) {
    const t = store.db.prepare(`SELECT MAX(${c.column}) AS t FROM ${c.table} WHERE ${where[c.scope]}`).pluck().get({ venue }) as number | null;
    if (t !== null && t > latest) latest = t;
  }
  return latest;
}

const venue = fc.constantFrom('sim', 'replay');
/** A row's owner: a bot that may or may not exist, no bot, or every bot. */
const owner = fc.constantFrom('b1', 'b2', 'b3', 'ghost', '*', null);
const ts = fc.integer({ min: 1, max: 1_000_000 });

describe('market time floor (property)', () => {
  it("is the latest of each stamped column's own latest, over bots of several venues and rows of any owner", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom('b1', 'b2', 'b3'), venue, ts }), { maxLength: 3 }),
        fc.array(fc.record({ owner, ts }), { maxLength: 6 }),
        fc.array(fc.record({ bot: fc.constantFrom('b1', 'b2', 'b3', 'ghost'), ts }), { maxLength: 4 }),
        fc.array(fc.record({ venue, ts }), { maxLength: 3 }),
        (bots, events, adjustments, marks) => {
          const store = Store.open(':memory:');
          for (const b of bots) store.bots.ensure(b.id, 'dn-pair', b.venue, b.ts);
          for (const e of events) store.events.record(e.ts, e.owner, 'k', {});
          for (const a of adjustments) {
            store.riskAdjustments.record({ botId: a.bot, ts: a.ts, previousMultiplier: 1, multiplier: 1, signalStrength: 0, confidence: 0, avgPnlLast50: null, tradesInWindow: 0, trigger: 'first', inputs: {} });
          }
          marks.forEach((m, i) => store.snapshots.saveMark(m.venue, `S${i}`, m.ts, 1));
          store.snapshots.flush();
          for (const v of ['sim', 'replay']) expect(latestMarketTs(store.db, v)).toBe(floorColumnByColumn(store, v));
          store.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
