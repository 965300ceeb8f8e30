import { describe, expect, it } from 'vitest';
import { annualisationWindow, MIN_ANNUALISATION_DAYS } from '../../../src/analytics/annualisation-window.js';

const DAY = 86_400_000;

describe('annualisationWindow', () => {
  it.each([
    { span: 6 * 3_600_000, days: 0.25, short: true, words: /annualised from 0\.25 day\(s\) of data, under 30/ },
    { span: 3 * DAY, days: 3, short: true, words: /from 3\.0 day\(s\)/ },
    { span: 29.99 * DAY, days: 29.99, short: true, words: /from 30 day\(s\)/ },
    { span: 30 * DAY, days: 30, short: false, words: null },
    { span: 43 * DAY, days: 43, short: false, words: null },
    { span: 0, days: 0, short: true, words: /from 0\.00 day\(s\)/ },
    { span: -5, days: 0, short: true, words: /from 0\.00/ },
    { span: Number.NaN, days: 0, short: true, words: /from 0\.00/ },
  ])('$span ms: $days days, short $short', ({ span, days, short, words }) => {
    const w = annualisationWindow(span);
    expect(w.days).toBeCloseTo(days, 9);
    expect(w.short).toBe(short);
    if (words === null) expect(w.warning).toBeNull();
    else expect(w.warning).toMatch(words);
  });

  it('draws the line at 30 days', () => {
    expect(MIN_ANNUALISATION_DAYS).toBe(30);
  });
});
