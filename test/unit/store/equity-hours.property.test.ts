import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnbotError } from '../../../src/core/errors.js';
import { openDatabase } from '../../../src/store/database.js';
import { EQUITY_HOUR_FORMAT, HOUR_MS, packEquityHour, unpackEquityHour, type EquityValues } from '../../../src/store/equity-hours.js';
import { type EquitySnapshot, SnapshotRepository } from '../../../src/store/snapshot-repository.js';

/** A value as SQLite's REAL column gave it back: -0 as 0. */
const asStored = (v: number): number => (v === 0 ? 0 : v);
const stored = (r: EquityValues): EquityValues => ({ ts: r.ts, equity: asStored(r.equity), collateral: asStored(r.collateral), netDelta: asStored(r.netDelta), grossNotional: asStored(r.grossNotional) });

/** Any number SQLite's REAL NOT NULL took, drawn from a small pool too, so values repeat. */
const anyValue = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, Infinity, -Infinity, Number.MIN_VALUE, 10_000, 10_000.5, 2 ** 53 + 2, -1e-300),
);
/** An hour's snapshots: distinct times inside it, in order, at any spacing. */
const anHour = fc
  .tuple(
    fc.integer({ min: -1_000, max: 1_000_000 }),
    fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 59 }).map((m) => m * 60_000), fc.integer({ min: 0, max: HOUR_MS - 1 })), { maxLength: 80 }),
    fc.array(fc.tuple(anyValue, anyValue, anyValue, anyValue, fc.boolean()), { minLength: 80, maxLength: 80 }),
  )
  .map(([hour, offsets, values]) => {
    const hourTs = hour * HOUR_MS;
    const rows = [...offsets].sort((a, b) => a - b).map((o, i): EquityValues => {
      const [equity, collateral, netDelta, grossNotional, flat] = values[i]!;
      // Flat: collateral is the equity, no position.
      return flat ? { ts: hourTs + o, equity, collateral: equity, netDelta: 0, grossNotional: 0 } : { ts: hourTs + o, equity, collateral, netDelta, grossNotional };
    });
    return { hourTs, rows };
  });

describe('equity hours: packed storage of an hour of equity snapshots', () => {
  it('gives back every snapshot as the REAL columns did: bit for bit, -0 as 0 (property)', () => {
    fc.assert(
      fc.property(anHour, ({ hourTs, rows }) => {
        const back = unpackEquityHour(hourTs, packEquityHour(hourTs, rows));
        expect(back).toHaveLength(rows.length);
        back.forEach((r, i) => {
          const want = stored(rows[i]!);
          for (const k of ['ts', 'equity', 'collateral', 'netDelta', 'grossNotional'] as const) expect(Object.is(r[k], want[k]), `${k} of row ${i}`).toBe(true);
        });
      }),
    );
  });

  it('stores a flat hour a minute apart in 2 bytes a minute, one in a position under 30', () => {
    const hourTs = 500 * HOUR_MS;
    const flat = Array.from({ length: 60 }, (_, m): EquityValues => ({ ts: hourTs + m * 60_000, equity: 10_026.933678730114, collateral: 10_026.933678730114, netDelta: 0, grossNotional: 0 }));
    // The first minute: its time, its codes and the equity; the second's step (a minute) takes 3.
    expect(packEquityHour(hourTs, flat).length).toBe(1 + 2 + 8 + 3 + 1 + 58 * 2);
    const open = flat.map((r, m): EquityValues => ({ ...r, equity: r.equity + m / 7, netDelta: (m % 5) - 2.5, grossNotional: 1_000 + m / 3 }));
    expect(packEquityHour(hourTs, open).length / 60).toBeLessThan(30);
  });

  it('refuses what it could not give back: NaN (named), times out of order or outside the hour', () => {
    const row: EquityValues = { ts: 0, equity: 1, collateral: 1, netDelta: 0, grossNotional: 0 };
    expect(() => packEquityHour(0, [{ ...row, grossNotional: Number.NaN }])).toThrow(/grossNotional is NaN/);
    expect(() => packEquityHour(0, [{ ...row, ts: 5 }, { ...row, ts: 5 }])).toThrow(RangeError);
    expect(() => packEquityHour(0, [{ ...row, ts: 6 }, { ...row, ts: 5 }])).toThrow(RangeError);
    expect(() => packEquityHour(HOUR_MS, [row])).toThrow(RangeError);
    expect(() => packEquityHour(0, [{ ...row, ts: HOUR_MS }])).toThrow(RangeError);
  });

  it('refuses a damaged or unknown row with E_STORE_MIGRATION naming equity_hours, never a wrong snapshot', () => {
    const good = packEquityHour(0, [
      { ts: 0, equity: 1.5, collateral: 2.5, netDelta: 0, grossNotional: 3 },
      { ts: 60_000, equity: 1.5, collateral: 2.5, netDelta: 0, grossNotional: 4 },
    ]);
    const bad = [
      Buffer.from([]),
      Buffer.from([EQUITY_HOUR_FORMAT + 1, ...good.subarray(1)]),
      good.subarray(0, good.length - 1),
      good.subarray(0, 2),
      // A first snapshot whose value repeats the one before.
      Buffer.from([EQUITY_HOUR_FORMAT, 0, 0b01]),
      // Equity said to be itself.
      Buffer.from([EQUITY_HOUR_FORMAT, 0, 0b11]),
      // A second snapshot at the same time as the first.
      Buffer.from([EQUITY_HOUR_FORMAT, 0, 0b10101010, 0, 0b10101010]),
    ];
    for (const b of bad) {
      let err: unknown = null;
      try {
        unpackEquityHour(0, b);
      } catch (e) {
        err = e;
      }
      expect(err, b.toString('hex')).toBeInstanceOf(DnbotError);
      expect((err as DnbotError).code).toBe('E_STORE_MIGRATION');
      expect((err as DnbotError).message).toMatch(/equity_hours/);
    }
  });
});

/** One call on the repository, as the runtime makes them. */
type Op =
  | { kind: 'save'; bot: string; ts: number; equity: number; collateral: number; netDelta: number }
  | { kind: 'commit' }
  | { kind: 'rollback'; flushed: boolean };

const T0 = 1_000 * HOUR_MS + 41 * 60_000;
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('save' as const), bot: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: 200 }).map((m) => T0 + m * 60_000 + (m % 3) * 7), equity: fc.constantFrom(10_000, 10_000.25, 9_999.5, 10_003.125), collateral: fc.constantFrom(10_000, 9_990), netDelta: fc.constantFrom(0, -0, 1.5, -2.25) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'commit' as const }) },
  // A transaction that throws rolls back what it wrote, whether or not a read flushed it first.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback' as const), flushed: fc.boolean() }) },
);

describe('equity snapshots through the repository (packed hours)', () => {
  it('reads back what was last saved per bot and time, whatever the batches, rollbacks and order (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.boolean(), (ops, batched) => {
        const db = openDatabase(':memory:');
        let deferring = batched;
        const repo = new SnapshotRepository(db, () => deferring);
        // A rollback loses no snapshot (the repository writes them again): the last saved wins.
        const model = new Map<string, EquitySnapshot>();
        const key = (bot: string, ts: number): string => `${bot}:${String(ts).padStart(16, '0')}`;
        // Batched: a transaction per run of saves, committed or rolled back at its end, as the write
        // batch does. Else each save is written at once, outside any transaction.
        let open = false;
        const begin = (): void => {
          if (!open && batched) db.exec('BEGIN');
          open = batched;
        };
        for (const o of ops) {
          if (o.kind === 'save') {
            begin();
            const s: EquitySnapshot = { botId: o.bot, ts: o.ts, equity: o.equity, collateral: o.collateral, netDelta: o.netDelta, grossNotional: Math.abs(o.netDelta) * 100 };
            repo.saveEquity(s);
            model.set(key(o.bot, o.ts), { ...s, netDelta: asStored(s.netDelta) });
            // A read now and then, inside the transaction (it writes what is pending first).
            if (o.ts % 2 === 0) expect(repo.latestEquity(o.bot)).not.toBeNull();
          } else if (open) {
            if (o.kind === 'commit' || o.flushed) repo.flush();
            if (o.kind === 'commit') {
              db.exec('COMMIT');
              repo.settle();
            } else {
              db.exec('ROLLBACK');
              repo.restore();
            }
            open = false;
          }
        }
        deferring = false;
        // The batch's end: what is pending (a rollback's rows included) is written.
        repo.flush();
        if (open) db.exec('COMMIT');
        repo.settle();
        for (const bot of ['a', 'b']) {
          const want = [...model.entries()].filter(([k]) => k.startsWith(`${bot}:`)).sort(([x], [y]) => (x < y ? -1 : 1)).map(([, v]) => v);
          // A second repository reads what is in SQLite only.
          const fresh = new SnapshotRepository(db);
          expect(fresh.equityRange(bot, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toEqual(want);
          expect(fresh.firstEquity(bot)).toEqual(want[0] ?? null);
          expect(fresh.latestEquity(bot)).toEqual(want.at(-1) ?? null);
          expect(fresh.equitySpan(bot)).toEqual(want.length === 0 ? null : { first: want[0]!.ts, last: want.at(-1)!.ts });
          expect(fresh.peakEquity(bot)).toBe(want.length === 0 ? null : Math.max(...want.map((r) => r.equity)));
          if (want.length > 0) {
            const mid = want[Math.floor(want.length / 2)]!.ts;
            expect(fresh.equityRange(bot, mid - 90_000, mid + 120_000)).toEqual(want.filter((r) => r.ts >= mid - 90_000 && r.ts <= mid + 120_000));
            expect(fresh.equityRange(bot, mid, Number.MAX_SAFE_INTEGER, 3)).toEqual(want.filter((r) => r.ts >= mid).slice(0, 3));
            expect(fresh.equityAtOrBefore(bot, mid - 1)).toEqual(want.filter((r) => r.ts <= mid - 1).at(-1) ?? null);
            expect(fresh.equityAtOrAfter(bot, mid + 1, mid + HOUR_MS)).toEqual(want.find((r) => r.ts >= mid + 1 && r.ts <= mid + HOUR_MS) ?? null);
          }
        }
        db.close();
      }),
      { numRuns: 300 },
    );
  });
});
