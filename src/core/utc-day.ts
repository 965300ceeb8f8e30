/** UTC calendar day of a timestamp, `YYYY-MM-DD`: the boundary of daily counters and limits. */
export function utcDay(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}
