import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../src/core/types.js';
import { PositionRepository } from '../../../src/store/position-repository.js';
import { Store } from '../../../src/store/store.js';
import { memoCommand, runMemoCommand } from '../../support/memo-commands.js';

/** Numbers told apart by Object.is (-0, NaN): what "the same position" means to a caller. */
function shape(p: Position | null): unknown {
  return p === null ? null : Object.entries(p).map(([k, v]) => [k, typeof v === 'number' ? `num:${Object.is(v, -0) ? '-0' : String(v)}` : v]);
}

/** Keys that name one row two ways (lone surrogates become U+FFFD in SQLite) or hold the memo's separator. */
const name = fc.constantFrom('b1', 'b2', '\uD800', '\uDC00', '\uFFFD', 'a\0b', 'a');
const symbol = fc.constantFrom('ETH-PERP', 'SOL-PERP', 'x\uD800', 'x\uFFFD');
const num = fc.oneof(fc.double(), fc.constantFrom(-0, NaN, Infinity, 0, 1.5, 2 ** 60), fc.integer());
const upsert = fc.record({ bot: name, venue: fc.constantFrom('sim', 'v\0', 'sim\uDC00'), symbol, size: num, entryPrice: num, realizedPnl: num });
/** Upserts, alone or inside a transaction that commits or throws (rolled back). */
const command = memoCommand(upsert);

describe('PositionRepository positions kept in memory', () => {
  it('answers get exactly as SQLite does after any upserts and rollbacks, batched or not', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(command, { maxLength: 10 }), (batched, commands) => {
        const store = Store.open(':memory:');
        store.positions.keepWrittenRows((forget) => store.batching.onRollback(forget));
        if (batched) {
          store.batching.start(0);
          store.batching.begin();
        }
        const sqlite = new PositionRepository(store.db); // keeps nothing: every get reads SQLite
        const keys = new Set<string>();
        for (const c of commands) {
          runMemoCommand(store, c, (u) => {
            keys.add(JSON.stringify([u.bot, u.venue, u.symbol]));
            try {
              store.positions.upsert(u.bot, u.venue, { symbol: u.symbol, size: u.size, entryPrice: u.entryPrice, realizedPnl: u.realizedPnl }, 1);
            } catch {
              // NaN: the schema refuses it, nothing written.
            }
          });
          for (const k of keys) {
            const [bot, venue, sym] = JSON.parse(k) as [string, string, string];
            expect(shape(store.positions.get(bot, venue, sym))).toEqual(shape(sqlite.get(bot, venue, sym)));
          }
        }
        store.close();
      }),
      { numRuns: 300 },
    );
  });
});
