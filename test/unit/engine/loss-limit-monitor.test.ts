import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { LossLimitMonitor } from '../../../src/engine/loss-limit-monitor.js';
import { utcDay, utcMonth } from '../../../src/core/utc-day.js';
import { DEFAULT_LOSS_LIMITS, evaluateLossLimits, type LossLimitBreach } from '../../../src/risk/loss-limits.js';
import { Store } from '../../../src/store/store.js';

const T = Date.UTC(2024, 2, 1, 0, 5);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { store: Store; clock: SimClock; monitor: () => LossLimitMonitor } {
  const dir = mkdtempSync(join(tmpdir(), 'dnbot-breaker-'));
  dirs.push(dir);
  const store = Store.open(join(dir, 'b.db'));
  const clock = new SimClock(T);
  return { store, clock, monitor: () => new LossLimitMonitor({ botId: 'b1', store, clock, logger: silentLogger, limits: DEFAULT_LOSS_LIMITS }) };
}

describe('LossLimitMonitor: portfolio daily limit (3% of start-of-day equity)', () => {
  it('trips once at the limit, and stays tripped (not re-recorded) while the loss persists', () => {
    const { store, clock, monitor } = setup();
    const m = monitor();
    expect(m.evaluate(10_000, new Map())).toEqual([]); // start of day: 10 000
    clock.advanceTo(T + 60_000);
    expect(m.evaluate(9_750, new Map())).toEqual([]); // −2.5 %
    expect(m.hasActive()).toBe(false);
    const trip = m.evaluate(9_690, new Map()); // −3.1 %
    expect(m.hasActive()).toBe(true);
    expect(trip.map((b) => [b.scope, b.period, b.loss])).toEqual([['portfolio_day', '2024-03-01', 310]]);
    expect(m.evaluate(9_500, new Map())).toEqual([]);
    expect(m.reload().map((b) => b.scope)).toEqual(['portfolio_day']);
    store.close();
  });

  it('after an operator reset, trips again in the same day only after another full limit of loss', () => {
    const { store, clock, monitor } = setup();
    const m = monitor();
    m.evaluate(10_000, new Map());
    clock.advanceTo(T + 60_000);
    expect(m.evaluate(9_700, new Map())).toHaveLength(1); // loss 300 = the 3 % limit
    expect(store.breakers.resetAll('b1', clock.now(), 'operator')).toBe(1);
    expect(m.reload()).toEqual([]);
    expect(m.hasActive()).toBe(false);
    // Still beyond the limit, but within one more limit of the loss it tripped at: entries may resume.
    expect(m.evaluate(9_500, new Map())).toEqual([]);
    expect(m.evaluate(9_401, new Map())).toEqual([]); // loss 599 < 300 + 300
    const again = m.evaluate(9_400, new Map()); // loss 600
    expect(again.map((b) => [b.scope, b.loss])).toEqual([['portfolio_day', 600]]);
    expect(m.reload().map((b) => b.status)).toEqual(['tripped']);
    // The journal keeps both trips.
    const trips = store.db.prepare("SELECT COUNT(*) AS n FROM events WHERE kind = 'breaker_tripped'").get() as { n: number };
    expect(trips.n).toBe(2);
    // A fresh monitor (a restart) sees the re-tripped breaker.
    expect(monitor().reload()).toHaveLength(1);
    store.close();
  });

  it('a reset breaker of yesterday does not hold today, and today starts from its own equity', () => {
    const { store, clock, monitor } = setup();
    const m = monitor();
    m.evaluate(10_000, new Map());
    expect(m.evaluate(9_600, new Map())).toHaveLength(1);
    clock.advanceTo(Date.UTC(2024, 2, 2, 0, 1));
    expect(m.reload()).toEqual([]);
    expect(m.evaluate(9_600, new Map())).toEqual([]); // the new day starts at 9 600
    store.close();
  });
});

/** The monitor as it was before it kept today's periods: every start looked up by its key string. */
class ReferenceMonitor {
  private readonly starts = new Map<string, number>();
  constructor(private readonly store: Store, private readonly clock: SimClock) {}
  breaches(equity: number, assetPnl: ReadonlyMap<string, number>): LossLimitBreach[] {
    const now = this.clock.now();
    const day = utcDay(now);
    const month = utcMonth(now);
    const dayStart = this.start(day, equity, now);
    const monthStart = this.start(month, equity, now);
    if (!(dayStart > 0) || !(monthStart > 0)) return [];
    const perAsset: Record<string, number> = {};
    for (const [symbol, cumulative] of assetPnl) perAsset[symbol] = cumulative - this.start(`${day}|${symbol}`, cumulative, now);
    return evaluateLossLimits({ perAsset, portfolioPnlToday: equity - dayStart, portfolioPnlMonth: equity - monthStart, startOfDayEquity: dayStart, startOfMonthEquity: monthStart, limits: DEFAULT_LOSS_LIMITS });
  }
  private start(period: string, valueNow: number, now: number): number {
    let v = this.starts.get(period);
    if (v === undefined) {
      v = this.store.snapshots.periodStartEquity('b1', period, valueNow, now);
      this.starts.set(period, v);
    }
    return v;
  }
}

describe('LossLimitMonitor: today’s periods kept in memory', () => {
  it('trips the same breakers, at the same losses, and stores the same period starts as a lookup by key on every tick (property)', () => {
    const step = fc.record({
      advanceMs: fc.oneof(fc.constant(5_000), fc.integer({ min: 0, max: 3 * 86_400_000 })),
      equity: fc.double({ min: 8_000, max: 12_000, noNaN: true }),
      assets: fc.array(fc.tuple(fc.constantFrom('ETH', 'SOL', 'BTC'), fc.double({ min: -800, max: 800, noNaN: true })), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const fast = { store: Store.open(':memory:'), clock: new SimClock(Date.UTC(2024, 0, 30, 22)) };
        const ref = { store: Store.open(':memory:'), clock: new SimClock(Date.UTC(2024, 0, 30, 22)) };
        const m = new LossLimitMonitor({ botId: 'b1', store: fast.store, clock: fast.clock, logger: silentLogger, limits: DEFAULT_LOSS_LIMITS });
        const r = new ReferenceMonitor(ref.store, ref.clock);
        // The store is asked for the same periods, in the same order, by both.
        const reads = (st: Store): string[] => {
          const log: string[] = [];
          const read = st.snapshots.periodStartEquity.bind(st.snapshots);
          st.snapshots.periodStartEquity = (botId, period, equityNow, ts) => {
            log.push(period);
            return read(botId, period, equityNow, ts);
          };
          return log;
        };
        const fastReads = reads(fast.store);
        const refReads = reads(ref.store);
        for (const s of steps) {
          fast.clock.advanceTo(fast.clock.now() + s.advanceMs);
          ref.clock.advanceTo(ref.clock.now() + s.advanceMs);
          const pnl = new Map(s.assets);
          const tripped = m.evaluate(s.equity, pnl).map((b) => [b.scope, b.key, b.period, b.loss, b.limitValue]);
          // The reference reports every breach; the monitor what it tripped now (a breaker trips once a period).
          const now = fast.clock.now();
          const expected = r.breaches(s.equity, pnl).filter((b) => ref.store.breakers.trip({ botId: 'b1', scope: b.scope, key: b.key, period: b.scope === 'portfolio_month' ? utcMonth(now) : utcDay(now), trippedTs: now, loss: b.loss, limitValue: b.limit, reason: '' }));
          expect(tripped).toEqual(expected.map((b) => [b.scope, b.key, b.scope === 'portfolio_month' ? utcMonth(now) : utcDay(now), b.loss, b.limit]));
        }
        const rows = (st: Store) => st.db.prepare('SELECT bot_id, period, equity, ts FROM period_equity ORDER BY bot_id, period').all();
        expect(rows(fast.store)).toEqual(rows(ref.store));
        expect(fastReads).toEqual(refReads);
        fast.store.close();
        ref.store.close();
      }),
      { numRuns: 60 },
    );
  });
});
