import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { type ExitEvent, type ExitPlan, ExitPlanRepository } from '../../../src/store/exit-plan-repository.js';

/** The stream as it was stored before migration 19, every field in its own NOT NULL column: the oracle. */
const OLD_STREAM = `
  CREATE TABLE old_stream (
    id INTEGER PRIMARY KEY, pair_id TEXT NOT NULL, bot_id TEXT NOT NULL, kind TEXT NOT NULL, level TEXT, symbol TEXT NOT NULL,
    leverage REAL NOT NULL, tp1 REAL NOT NULL, tp2 REAL NOT NULL, tp3 REAL NOT NULL, sl REAL NOT NULL, harvest_scheme TEXT NOT NULL,
    lsf REAL NOT NULL, adjustment REAL NOT NULL, avg_pnl_last_20 REAL, timestamp INTEGER NOT NULL, ts INTEGER NOT NULL,
    pair_return REAL, close_fraction REAL, client_order_id TEXT, trade_id TEXT, fill_symbol TEXT, fill_side TEXT, fill_size REAL, fill_price REAL
  )`;

function writeOld(db: Db, id: number, e: ExitEvent): void {
  db.prepare('INSERT INTO old_stream VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, e.pairId, e.botId, e.kind, e.level, e.symbol, e.leverage, e.tp1, e.tp2, e.tp3, e.sl, JSON.stringify(e.harvest_scheme), e.LSF, e.adjustment,
    e.avg_pnl_last_20, e.timestamp, e.ts, e.pairReturn ?? null, e.closeFraction ?? null, e.fill?.clientOrderId ?? null, e.fill?.tradeId ?? null,
    e.fill?.symbol ?? null, e.fill?.side ?? null, e.fill?.size ?? null, e.fill?.price ?? null,
  );
}

/** Any level a REAL NOT NULL column took, drawn from a small pool too, so an event's often equal its plan's. */
const aLevel = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, 0.02, Infinity, -Infinity, 2 ** 53 + 2, 1e-300));
const aScheme = fc.oneof(fc.constant([0.3, 0.3, 0.4] as const), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 3, maxLength: 3 }));

function plan(pairId: string, v: { levels: number[]; scheme: readonly number[]; long: string; short: string }): ExitPlan {
  const [leverage, tp1, tp2, tp3, sl, lsf, adjustment] = v.levels as [number, number, number, number, number, number, number];
  return {
    pairId, botId: 'b', status: 'active', longSymbol: v.long, shortSymbol: v.short, longSize: 1, shortSize: 2, entryNotional: 100, leverage, tp1, tp2, tp3, sl,
    harvestScheme: v.scheme as [number, number, number], schemeName: 'x', lsf, adjustment, mode: 'adaptive', fallback: false, inputs: {}, levelsHit: 0, closedFraction: 0,
    createdTs: 1, updatedTs: 1,
  };
}

const planValues = fc.record({
  levels: fc.array(aLevel, { minLength: 7, maxLength: 7 }),
  scheme: aScheme,
  long: fc.constantFrom('ETH-PERP', 'SOL-PERP'),
  short: fc.constantFrom('SOL-PERP', 'BTC-PERP'),
});

/** Per field of an event: its plan's value (most often, as ExitManager writes it) or its own. */
const own = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const anEvent = fc.record({
  pair: fc.constantFrom('p1', 'p2', 'p3'), // p3 has no plan row
  kind: fc.constantFrom('plan', 'level_hit', 'stop', 'harvest_fill', 'exit_fill') as fc.Arbitrary<ExitEvent['kind']>,
  symbol: own(fc.constantFrom('ETH-PERP/SOL-PERP', 'SOL-PERP/ETH-PERP', 'x')),
  levels: fc.array(own(aLevel), { minLength: 7, maxLength: 7 }),
  scheme: own(aScheme),
  avg: fc.option(fc.double({ noNaN: true })),
  ts: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.maxSafeNat(), fc.integer({ min: -(2 ** 40), max: -1 }), fc.constantFrom(999, 1_000, 1_767_258_792_400, 9_007_199_254_740_999, Number.MAX_SAFE_INTEGER, 2 ** 60, 1e300), fc.double({ min: 0, max: 2 ** 40, noNaN: true })),
  timestamp: own(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
  fill: fc.option(fc.record({ clientOrderId: fc.constant('o1'), tradeId: fc.string(), symbol: fc.constant('ETH-PERP'), side: fc.constant('buy'), size: fc.double({ noNaN: true }), price: fc.double({ noNaN: true }) }), { nil: undefined }),
});

describe('exit_stream (migration 19)', () => {
  it('reads every event back as the old table stored it, the plan\'s levels filled in where the row holds NULL (property)', () => {
    fc.assert(
      fc.property(planValues, planValues, fc.array(anEvent, { maxLength: 12 }), (v1, v2, drawn) => {
        const db = openDatabase(':memory:');
        try {
          db.exec(OLD_STREAM);
          const repo = new ExitPlanRepository(db);
          const plans = new Map([['p1', plan('p1', v1)], ['p2', plan('p2', v2)]]);
          for (const p of plans.values()) repo.create(p);
          drawn.forEach((d, i) => {
            // What a missing plan would have given: any values, since nothing in the store says otherwise.
            const p = plans.get(d.pair) ?? plan(d.pair, v1);
            const planLevels = [p.leverage, p.tp1, p.tp2, p.tp3, p.sl, p.lsf, p.adjustment];
            const [leverage, tp1, tp2, tp3, sl, lsf, adjustment] = d.levels.map((l, k) => l ?? planLevels[k]!) as [number, number, number, number, number, number, number];
            const e: ExitEvent = {
              pairId: d.pair, botId: 'b', kind: d.kind, level: null, symbol: d.symbol ?? `${p.longSymbol}/${p.shortSymbol}`, leverage, tp1, tp2, tp3, sl,
              harvest_scheme: d.scheme ?? p.harvestScheme, LSF: lsf, adjustment, avg_pnl_last_20: d.avg, timestamp: d.timestamp ?? Math.floor(d.ts / 1000), ts: d.ts,
              ...(d.fill ? { fill: d.fill } : {}),
            };
            repo.record(e);
            writeOld(db, i + 1, e);
          });
          expect(db.prepare('SELECT * FROM exit_stream ORDER BY id').all()).toEqual(db.prepare('SELECT * FROM old_stream ORDER BY id').all());
        } finally {
          db.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stores NULL for what the plan holds: an event of ExitManager\'s shape keeps only its own fields', () => {
    const db = openDatabase(':memory:');
    try {
      const repo = new ExitPlanRepository(db);
      const p = plan('p1', { levels: [2, 0.01, 0.02, 0.03, 0.005, 0.9, 1], scheme: [0.3, 0.3, 0.4], long: 'ETH-PERP', short: 'SOL-PERP' });
      repo.create(p);
      repo.record({
        pairId: 'p1', botId: 'b', kind: 'level_hit', level: 'tp1', symbol: 'ETH-PERP/SOL-PERP', leverage: 2, tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.005,
        harvest_scheme: [0.3, 0.3, 0.4], LSF: 0.9, adjustment: 1, avg_pnl_last_20: 0.001, timestamp: 1_767_258_792, ts: 1_767_258_792_400, pairReturn: 0.011,
      });
      expect(db.prepare('SELECT symbol, leverage, tp1, tp2, tp3, sl, harvest_scheme, lsf, adjustment, timestamp, avg_pnl_last_20, level, pair_return FROM exit_events').get()).toEqual({
        symbol: null, leverage: null, tp1: null, tp2: null, tp3: null, sl: null, harvest_scheme: null, lsf: null, adjustment: null, timestamp: null,
        avg_pnl_last_20: 0.001, level: 'tp1', pair_return: 0.011,
      });
      expect(db.prepare('SELECT symbol, tp2, harvest_scheme, timestamp FROM exit_stream').get()).toEqual({ symbol: 'ETH-PERP/SOL-PERP', tp2: 0.02, harvest_scheme: '[0.3,0.3,0.4]', timestamp: 1_767_258_792 });
    } finally {
      db.close();
    }
  });

  it('refuses a NaN level or time with a RangeError naming the field, and writes nothing', () => {
    const db = openDatabase(':memory:');
    try {
      const repo = new ExitPlanRepository(db);
      repo.create(plan('p1', { levels: [2, 0.01, 0.02, 0.03, 0.005, 0.9, 1], scheme: [0.3, 0.3, 0.4], long: 'ETH-PERP', short: 'SOL-PERP' }));
      const e: ExitEvent = {
        pairId: 'p1', botId: 'b', kind: 'stop', level: null, symbol: 'ETH-PERP/SOL-PERP', leverage: 2, tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.005,
        harvest_scheme: [0.3, 0.3, 0.4], LSF: 0.9, adjustment: 1, avg_pnl_last_20: null, timestamp: 1, ts: 1_000,
      };
      expect(() => repo.record({ ...e, tp3: Number.NaN })).toThrow(/tp3 is NaN/);
      expect(() => repo.record({ ...e, LSF: Number.NaN })).toThrow(/LSF is NaN/);
      expect(() => repo.record({ ...e, timestamp: Number.NaN })).toThrow(/timestamp is NaN/);
      expect(db.prepare('SELECT COUNT(*) AS n FROM exit_events').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
