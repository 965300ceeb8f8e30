import { describe, expect, it } from 'vitest';
import { DailyVolumeTracker, type DailyVolumeReader } from '../../../src/risk/daily-volume-tracker.js';

/** Hand-written fake of the SQLite-backed counter. */
class FakeVolumes implements DailyVolumeReader {
  readonly byDay = new Map<string, number>();
  readonly asked: string[] = [];
  volumeUsd(day: string): number {
    this.asked.push(day);
    return this.byDay.get(day) ?? 0;
  }
}

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
    const r = new DailyVolumeTracker(v, 20_000).check(Date.UTC(2026, 0, 1, 12));
    expect(r.allowed).toBe(allowed);
    expect(r).toMatchObject({ day: '2026-01-01', volumeUsd: volume, targetUsd: 20_000 });
    expect(r.reason.length).toBeGreaterThan(0);
  });

  it('counts per UTC day: 23:59:59.999 is still the full day, 00:00 the next is a fresh one', () => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 20_000);
    const t = new DailyVolumeTracker(v, 20_000);
    const before = t.check(lastMsOfJan1);
    const after = t.check(midnightJan2);
    expect(before).toMatchObject({ allowed: false, day: '2026-01-01', volumeUsd: 20_000 });
    expect(after).toMatchObject({ allowed: true, day: '2026-01-02', volumeUsd: 0 });
    expect(v.asked).toEqual(['2026-01-01', '2026-01-02']);
  });

  it('reads the store on every check, so volume recorded meanwhile (or before a restart) counts', () => {
    const v = new FakeVolumes();
    const t = new DailyVolumeTracker(v, 1_000);
    expect(t.check(lastMsOfJan1).allowed).toBe(true);
    v.byDay.set('2026-01-01', 1_000);
    expect(t.check(lastMsOfJan1).allowed).toBe(false);
    const restarted = new DailyVolumeTracker(v, 1_000);
    expect(restarted.check(lastMsOfJan1).allowed).toBe(false);
  });

  it("setTarget switches to another phase's target (seed 003 phase 2: $100,000)", () => {
    const v = new FakeVolumes();
    v.byDay.set('2026-01-01', 50_000);
    const t = new DailyVolumeTracker(v, 20_000);
    expect(t.check(lastMsOfJan1).allowed).toBe(false);
    t.setTarget(100_000);
    expect(t.check(lastMsOfJan1)).toMatchObject({ allowed: true, targetUsd: 100_000 });
  });
});
