import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PHASES } from '../../../src/sizing/phases.js';
import { DailyVolumeTracker, type DailyVolumeReader } from '../../../src/risk/daily-volume-tracker.js';

/** Hand-written fake of the SQLite-backed counter; the fill ledger writes it before `record`. */
class FakeVolumes implements DailyVolumeReader {
  readonly byDay = new Map<string, number>();
  readonly asked: string[] = [];
  volumeUsd(day: string): number {
    this.asked.push(day);
    return this.byDay.get(day) ?? 0;
  }
  /** What the fill ledger does: persist the fill's notional on its UTC day. */
  persist(day: string, usd: number): void {
    this.byDay.set(day, (this.byDay.get(day) ?? 0) + usd);
  }
}

const noonJan1 = Date.UTC(2026, 0, 1, 12);
const lastMsOfJan1 = Date.UTC(2026, 0, 1, 23, 59, 59, 999);
const midnightJan2 = Date.UTC(2026, 0, 2, 0, 0, 0, 0);

describe('DailyVolumeTracker', () => {
  it.each([
    [0, true],
    [19_999.99, true],
    [20_000, false], // target reached: stop (seed 003: daily_volume >= target)
    [25_000, false],
  ])('with $%s traded today and a $20,000 target, allowed = %s', (volume, allowed) => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', volume);
    const r = new DailyVolumeTracker(v, 20_000).check(noonJan1);
    expect(r.allowed).toBe(allowed);
    expect(r).toMatchObject({ day: '2026-01-01', volumeUsd: volume, targetUsd: 20_000 });
    expect(r.reason.length).toBeGreaterThan(0);
  });

  it('counts per UTC day: 23:59:59.999 is still the full day, 00:00 the next is a fresh one', () => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 20_000);
    const t = new DailyVolumeTracker(v, 20_000);
    expect(t.check(lastMsOfJan1)).toMatchObject({ allowed: false, day: '2026-01-01', volumeUsd: 20_000 });
    expect(t.check(midnightJan2)).toMatchObject({ allowed: true, day: '2026-01-02', volumeUsd: 0 });
  });

  it('reads the store once per day and keeps the count current from recorded fills', () => {
    const v = new FakeVolumes();
    const t = new DailyVolumeTracker(v, 1_000);
    expect(t.check(noonJan1).allowed).toBe(true);
    v.persist('2026-01-01', 600);
    t.record(noonJan1 + 1, 600, 'k1');
    expect(t.check(noonJan1 + 2)).toMatchObject({ allowed: true, volumeUsd: 600 });
    v.persist('2026-01-01', 400);
    t.record(lastMsOfJan1, 400, 'k2');
    expect(t.check(lastMsOfJan1)).toMatchObject({ allowed: false, volumeUsd: 1_000 });
    expect(v.asked).toEqual(['2026-01-01']);
  });

  it('starts from the stored count after a restart (counters survive restarts)', () => {
    const v = new FakeVolumes();
    v.persist('2026-01-01', 1_000);
    expect(new DailyVolumeTracker(v, 1_000).check(noonJan1).allowed).toBe(false);
  });

  it('re-reads the store after a fill on another day than the cached one', () => {
    const v = new FakeVolumes();
    const t = new DailyVolumeTracker(v, 1_000);
    t.check(lastMsOfJan1);
    v.persist('2026-01-02', 1_000);
    t.record(midnightJan2, 1_000, 'k3');
    expect(t.check(midnightJan2)).toMatchObject({ allowed: false, day: '2026-01-02', volumeUsd: 1_000 });
    // Back on the older day: read again, not mixed with the new day's count.
    expect(t.check(lastMsOfJan1)).toMatchObject({ allowed: true, day: '2026-01-01', volumeUsd: 0 });
  });

  it('ignores fills recorded before the first check (the store already has them)', () => {
    const v = new FakeVolumes();
    const t = new DailyVolumeTracker(v, 1_000);
    v.persist('2026-01-01', 700);
    t.record(noonJan1, 700, 'k4');
    expect(t.check(noonJan1).volumeUsd).toBe(700);
  });

  it("setTarget switches to another phase's target (seed 003 phase 2: $100,000)", () => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 50_000);
    const t = new DailyVolumeTracker(v, 20_000);
    expect(t.check(lastMsOfJan1).allowed).toBe(false);
    t.setTarget(100_000);
    expect(t.check(lastMsOfJan1)).toMatchObject({ allowed: true, targetUsd: 100_000 });
  });

  it.each([
    [1, 39, true],
    [1, 40, false], // seed 003: trade_count >= max_trades stops
    [2, 149, true],
    [2, 150, false],
    [3, 500, false],
    [4, 999, true],
    [4, 1_000, false],
  ] as const)("phase %s's max_trades: %s trades today → allowed = %s, far below the volume target", (phase, trades, allowed) => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 1_000);
    const params = DEFAULT_PHASES[phase];
    const t = new DailyVolumeTracker({ volumeUsd: (d) => v.volumeUsd(d), tradeKeys: () => Array.from({ length: trades }, (_, i) => `t${i}`) }, params.dailyVolumeTargetUsd, params.maxTradesPerDay);
    const r = t.check(noonJan1);
    expect(r).toMatchObject({ allowed, trades, maxTrades: params.maxTradesPerDay });
    if (!allowed) expect(r.reason).toContain('max trades');
  });

  it('counts each new trade key (a pair leg and side) once on the cached day, and a new day starts from the store', () => {
    const v = new FakeVolumes();
    const stored = Array.from({ length: 38 }, (_, i) => `rt${i}|ETH|buy`);
    const t = new DailyVolumeTracker({ volumeUsd: (d) => v.volumeUsd(d), tradeKeys: (d) => (d === '2026-01-01' ? stored : []) }, 1e12, 40);
    expect(t.check(noonJan1)).toMatchObject({ allowed: true, trades: 38 });
    t.record(noonJan1, 10, 'rt38|ETH|buy');
    expect(t.check(noonJan1)).toMatchObject({ allowed: true, trades: 39 });
    // More slices, fills and hedges of the same leg are the same trade.
    t.record(noonJan1, 10, 'rt38|ETH|buy');
    t.record(noonJan1, 10, 'rt0|ETH|buy');
    expect(t.check(noonJan1)).toMatchObject({ allowed: true, trades: 39 });
    t.record(noonJan1, 10, 'rt38|SOL|sell');
    expect(t.check(noonJan1)).toMatchObject({ allowed: false, trades: 40 });
    expect(t.check(midnightJan2)).toMatchObject({ allowed: true, trades: 0 });
  });
});

/** A fill on some day (persisted first, as the fill ledger does), a new target, or a question at some hour. */
const step = fc.oneof(
  fc.record({ kind: fc.constant('fill' as const), hours: fc.integer({ min: 0, max: 30 }), usd: fc.double({ min: 0, max: 9_000, noNaN: true }), key: fc.constantFrom('a', 'b', 'c', 'd') }),
  fc.record({ kind: fc.constant('target' as const), usd: fc.double({ min: 0, max: 40_000, noNaN: true }), trades: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('ask' as const), hours: fc.integer({ min: 0, max: 30 }) }),
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Plays `steps` on trackers reading one store (a $20,000 target, 3 trades); `ask` gets each question's time. */
function play(steps: readonly Step[], trackers: number, ask: (ts: number, t: readonly DailyVolumeTracker[], v: FakeVolumes) => void): void {
  const v = new FakeVolumes();
  const t = Array.from({ length: trackers }, () => new DailyVolumeTracker(v, 20_000, 3));
  for (const s of steps) {
    if (s.kind === 'target') {
      for (const x of t) x.setTarget(s.usd, s.trades);
      continue;
    }
    const ts = noonJan1 + s.hours * 3_600_000;
    if (s.kind === 'ask') {
      ask(ts, t, v);
      continue;
    }
    v.persist(new Date(ts).toISOString().slice(0, 10), s.usd);
    for (const x of t) x.record(ts, s.usd, s.key);
  }
}

describe('allows(ts): the gate without its result', () => {
  it('answers exactly as check(ts).allowed through any sequence of fills, targets and days', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        play(steps, 2, (ts, [a, b]) => expect(a!.allows(ts)).toBe(b!.check(ts).allowed));
      }),
    );
  });
});

describe('knownClosed(ts): the closed gate seen without reading the store', () => {
  it('never reads the store, is never true where allows(ts) is, and answers !allows(ts) once the day is loaded', () => {
    let seenClosed = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        play(steps, 1, (ts, [t], v) => {
          const reads = v.asked.length;
          const known = t!.knownClosed(ts);
          expect(v.asked.length).toBe(reads);
          const allowed = t!.allows(ts);
          if (known) expect(allowed).toBe(false);
          expect(t!.knownClosed(ts)).toBe(!allowed);
          if (known) seenClosed++;
        });
      }),
    );
    expect(seenClosed).toBeGreaterThan(0);
  });

  it('is false on a day not loaded yet, however full the store says it is', () => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 50_000);
    const t = new DailyVolumeTracker(v, 20_000);
    expect(t.knownClosed(noonJan1)).toBe(false);
    expect(v.asked).toEqual([]);
    expect(t.allows(noonJan1)).toBe(false);
    expect(t.knownClosed(noonJan1)).toBe(true);
    expect(t.knownClosed(midnightJan2)).toBe(false);
  });
});
