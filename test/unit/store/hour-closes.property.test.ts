import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DnbotError } from '../../../src/core/errors.js';
import { emptyHour, HOUR_SLOTS, packHour, RAW_HOUR_BYTES, unpackHour } from '../../../src/store/hour-closes.js';
import { Store } from '../../../src/store/store.js';

const rawHour = (closes: readonly number[]): Buffer => {
  const buf = emptyHour();
  closes.forEach((c, m) => buf.writeDoubleLE(c, m * 8));
  return buf;
};

/** A minute's close: any double at all, or none (NaN). */
const anyClose = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, 2 ** 53, 0.1, 1e300));
/** A price walk on a decimal grid, as marks and candle closes are, with minutes missing. */
const gridWalk = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: null }), { minLength: HOUR_SLOTS, maxLength: HOUR_SLOTS }))
  .map(([decimals, start, moves]) => {
    let n = start;
    return moves.map((move) => {
      if (move === null) return Number.NaN;
      n = Math.max(1, n + move);
      return n / 10 ** decimals;
    });
  });

describe('hour closes: packed storage of an hour of 1-minute closes', () => {
  it('gives back every hour bit for bit, packed or not, and a packed hour is never the raw length (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(anyClose, { minLength: HOUR_SLOTS, maxLength: HOUR_SLOTS }), gridWalk), (closes) => {
        const raw = rawHour(closes);
        const stored = packHour(raw);
        expect(stored === raw || stored.length !== RAW_HOUR_BYTES).toBe(true);
        const back = unpackHour(stored);
        expect(back.equals(raw)).toBe(true);
        // A new buffer: the repository writes into it.
        expect(back).not.toBe(raw);
      }),
      { numRuns: 500 },
    );
  });

  it('packs a price walk of a few decimals to under a third of the raw bytes (property)', () => {
    fc.assert(
      fc.property(gridWalk, (closes) => {
        expect(packHour(rawHour(closes)).length).toBeLessThan(RAW_HOUR_BYTES / 3);
      }),
    );
  });

  it('stores raw what is on no grid up to 10^-9, and -0, which would come back as 0', () => {
    const offGrid = rawHour(Array.from({ length: HOUR_SLOTS }, (_, m) => Math.PI * (m + 1)));
    expect(packHour(offGrid)).toBe(offGrid);
    const minusZero = rawHour([1.5, -0, 2.25]);
    expect(packHour(minusZero)).toBe(minusZero);
    expect(unpackHour(packHour(rawHour([1.5, 0, 2.25]))).readDoubleLE(8)).toBe(0);
  });

  it('refuses, naming the table, a row it cannot read: another format, truncated, or with bytes left over', () => {
    const packed = packHour(rawHour([3000.25, 3001.5, Number.NaN, 2999.75]));
    expect(packed.length).toBeLessThan(RAW_HOUR_BYTES);
    const bad = [Buffer.concat([Buffer.from([9]), packed.subarray(1)]), packed.subarray(0, packed.length - 1), Buffer.concat([packed, Buffer.from([0])]), Buffer.alloc(3)];
    for (const b of bad) {
      expect(() => unpackHour(b)).toThrow(DnbotError);
      expect(() => unpackHour(b)).toThrow(/bar_hours/);
    }
  });

  it('a file whose hours were written raw reads the same, and an hour written again is packed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dnbot-hours-')), 'h.db');
    const T = Date.UTC(2026, 0, 1);
    const M = 60_000;
    const store = Store.open(path);
    try {
      // As a build before packing wrote it: 60 doubles.
      const before = rawHour([3000.25, 3001.5, Number.NaN, 2999.75]);
      store.db.prepare('INSERT INTO bar_hours (venue, symbol, hour_ts, last_ts, closes) VALUES (?, ?, ?, ?, ?)').run('sim', 'ETH-PERP', T, T + 3 * M, before);
      expect(store.bars.closes('sim', 'ETH-PERP', 10)).toEqual([
        { ts: T, close: 3000.25 },
        { ts: T + M, close: 3001.5 },
        { ts: T + 3 * M, close: 2999.75 },
      ]);
      store.bars.record('sim', 'ETH-PERP', T + 4 * M, 3002);
      const stored = store.db.prepare('SELECT closes FROM bar_hours WHERE hour_ts = ?').pluck().get(T) as Buffer;
      expect(stored.length).toBeLessThan(RAW_HOUR_BYTES / 3);
      expect(store.bars.closes('sim', 'ETH-PERP', 10).map((b) => b.close)).toEqual([3000.25, 3001.5, 2999.75, 3002]);
    } finally {
      store.close();
    }
  });
});
