import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompensatedSum } from '../../../src/core/compensated-sum.js';

describe('CompensatedSum', () => {
  it('gives the double SQLite\'s SUM() gives over the same values in the same order (property)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (i INTEGER PRIMARY KEY, x REAL)');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    const sum = db.prepare('SELECT COALESCE(SUM(x), 0) AS s FROM t ORDER BY i');
    const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.double({ noNaN: true, min: -1e4, max: 1e4 }), fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(0.1, 1e17, -1e17, 3));
    fc.assert(
      fc.property(fc.array(fc.option(value, { nil: null }), { maxLength: 60 }), (xs) => {
        db.exec('DELETE FROM t');
        const c = new CompensatedSum();
        for (const x of xs) {
          insert.run(x);
          c.add(x);
        }
        expect(c.value()).toBe((sum.get() as { s: number }).s);
        expect(c.count).toBe(xs.filter((x) => x !== null).length);
      }),
      { numRuns: 500 },
    );
    db.close();
  });

  it('a clone adds on its own', () => {
    const a = new CompensatedSum();
    a.add(1);
    const b = a.clone();
    b.add(2);
    expect([a.value(), b.value()]).toEqual([1, 3]);
  });
});
