import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { phaseWindow } from '../../../src/sizing/phase-window.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 0, 10);

describe('phaseWindow (the days seed 003’s gate judges)', () => {
  it.each([
    // [phase began, judged at, days, complete days]
    ['at midnight, judged the next day', D0, D0 + DAY + 5, 1, ['2026-01-10']],
    ['mid-day, judged the next day: its first day counts, but is not complete', D0 + 10 * 3_600_000, D0 + DAY + 5, 1, []],
    ['mid-day, judged three days later', D0 + 10 * 3_600_000, D0 + 3 * DAY + 5, 3, ['2026-01-11', '2026-01-12']],
    ['the same day', D0 + 5, D0 + 6, 0, []],
  ])('a phase begun %s', (_name, since, now, days, complete) => {
    const w = phaseWindow(since, now, []);
    expect(w.days).toBe(days);
    expect(w.completeDays).toEqual(complete);
  });

  it('a day without fills is a day at zero, not a day left out; today and the partial first day are not judged', () => {
    const w = phaseWindow(D0 + 3_600_000, D0 + 4 * DAY + 1, [
      { day: '2026-01-10', volumeUsd: 3_000, pnlUsd: 1 }, // partial first day
      { day: '2026-01-11', volumeUsd: 21_000, pnlUsd: 30 },
      { day: '2026-01-13', volumeUsd: 22_000, pnlUsd: 25 },
      { day: '2026-01-14', volumeUsd: 5_000, pnlUsd: 2 }, // today, still running
    ]);
    expect(w.days).toBe(4);
    expect(w.completeDays).toEqual(['2026-01-11', '2026-01-12', '2026-01-13']);
    expect(w.dailyVolumes).toEqual([21_000, 0, 22_000]);
    expect(w.dailyPnls).toEqual([30, 0, 25]);
  });

  it('days = complete days, plus one when the phase began after midnight; 0 on its first day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * DAY }), fc.integer({ min: 0, max: 400 * DAY }), (a, span) => {
        const w = phaseWindow(D0 + a, D0 + a + span, []);
        const partialFirst = (D0 + a) % DAY !== 0 ? 1 : 0;
        const sameDay = Math.floor((D0 + a) / DAY) === Math.floor((D0 + a + span) / DAY);
        expect(w.days).toBe(sameDay ? 0 : w.completeDays.length + partialFirst);
        expect(w.dailyVolumes).toHaveLength(w.completeDays.length);
      }),
    );
  });
});
