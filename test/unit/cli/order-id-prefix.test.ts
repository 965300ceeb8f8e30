import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderIdPrefix } from '../../../src/cli/order-id-prefix.js';
import { formatClientOrderId } from '../../../src/execution/client-order-id.js';
import { Store } from '../../../src/store/store.js';

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), 'dnbot-coid-')), 'dnbot.db');

/** The first client order id a run on `store` would send. */
function firstId(store: Store, prefix: string): string {
  return formatClientOrderId(prefix, store.sequences.next(`coid:${prefix}`));
}

describe('client order id prefix of a run', () => {
  it('on a real venue: a fresh database never starts where an earlier one on the same account did', () => {
    const earlier = Store.open(dbPath());
    const fresh = Store.open(dbPath());
    const a = orderIdPrefix({ store: earlier, botIds: ['dn-eth-sol'], realVenue: true, seed: 1, randomBelow: () => 11 });
    const b = orderIdPrefix({ store: fresh, botIds: ['dn-eth-sol'], realVenue: true, seed: 1, randomBelow: () => 12 });
    expect(a).toBe('dnethsol-000b-');
    expect(b).toBe('dnethsol-000c-');
    // Both sequences start at 1, as before; the ids still differ.
    expect(firstId(earlier, a)).not.toBe(firstId(fresh, b));
    earlier.close();
    fresh.close();
  });

  it('on a real venue: the namespace is drawn once per database and kept across restarts', () => {
    const path = dbPath();
    let draws = 0;
    const draw = (): number => ++draws * 1000;
    const first = Store.open(path);
    const p1 = orderIdPrefix({ store: first, botIds: ['b'], realVenue: true, seed: 1, randomBelow: draw });
    const id1 = firstId(first, p1);
    first.close();
    const again = Store.open(path);
    const p2 = orderIdPrefix({ store: again, botIds: ['b'], realVenue: true, seed: 1, randomBelow: draw });
    expect(p2).toBe(p1);
    expect(draws).toBe(1);
    expect(firstId(again, p2)).not.toBe(id1);
    again.close();
  });

  it('on a real venue without an injected draw: two fresh databases get different namespaces', () => {
    const prefixes = Array.from({ length: 5 }, () => {
      const s = Store.open(':memory:');
      const p = orderIdPrefix({ store: s, botIds: ['b'], realVenue: true, seed: 1 });
      s.close();
      return p;
    });
    expect(new Set(prefixes).size).toBe(5);
    for (const p of prefixes) expect(p).toMatch(/^b-[0-9a-z]{4}-$/);
  });

  it('on the simulated market or a replay: a function of the seed, whatever the database, drawing nothing', () => {
    const never = (): number => {
      throw new Error('drawn');
    };
    const a = Store.open(dbPath());
    const b = Store.open(dbPath());
    const pa = orderIdPrefix({ store: a, botIds: ['dn-eth-sol'], realVenue: false, seed: 7, randomBelow: never });
    expect(orderIdPrefix({ store: b, botIds: ['dn-eth-sol'], realVenue: false, seed: 7, randomBelow: never })).toBe(pa);
    expect(orderIdPrefix({ store: b, botIds: ['dn-eth-sol'], realVenue: false, seed: 8, randomBelow: never })).not.toBe(pa);
    a.close();
    b.close();
  });
});
