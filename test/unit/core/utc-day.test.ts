import { describe, expect, it } from 'vitest';
import { utcDay } from '../../../src/core/utc-day.js';

describe('utcDay', () => {
  it.each([
    [Date.UTC(2026, 0, 1, 0, 0, 0, 0), '2026-01-01'],
    [Date.UTC(2026, 0, 1, 23, 59, 59, 999), '2026-01-01'],
    [Date.UTC(2026, 0, 2, 0, 0, 0, 0), '2026-01-02'],
    [Date.UTC(2025, 11, 31, 23, 59, 59, 999), '2025-12-31'],
    [Date.UTC(2028, 1, 29, 12), '2028-02-29'],
    [0, '1970-01-01'],
  ])('utcDay(%s) = %s', (ts, day) => {
    expect(utcDay(ts)).toBe(day);
  });

  it('splits at UTC midnight, not local midnight: one millisecond apart, two days', () => {
    const midnight = Date.UTC(2026, 5, 15);
    expect(utcDay(midnight - 1)).toBe('2026-06-14');
    expect(utcDay(midnight)).toBe('2026-06-15');
  });
});
