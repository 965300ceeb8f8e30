const DAY_MS = 86_400_000;
let lastIndex = Number.NaN;
let lastDay = '';

/** UTC calendar day of a timestamp, `YYYY-MM-DD`: the boundary of daily counters and limits. */
export function utcDay(ts: number): string {
  const index = Math.floor(ts / DAY_MS);
  if (index !== lastIndex) {
    lastIndex = index;
    lastDay = new Date(index * DAY_MS).toISOString().slice(0, 10);
  }
  return lastDay;
}

/** UTC calendar month of a timestamp, `YYYY-MM`: the boundary of monthly limits. */
export function utcMonth(ts: number): string {
  return utcDay(ts).slice(0, 7);
}
