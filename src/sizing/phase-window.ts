import { utcDay } from '../core/utc-day.js';

const DAY_MS = 86_400_000;

/** One UTC day's counters as the daily volume table keeps them. */
export interface PhaseDayRecord {
  readonly day: string;
  readonly volumeUsd: number;
  /** PnL net of fees, USD. */
  readonly pnlUsd: number;
}

/** The days a phase gate judges, from the phase's start to `nowTs`. */
export interface PhaseWindow {
  /**
   * UTC days the phase has lived through, its first day included even when it began mid-day, up
   * to yesterday (today is still running). A day without a fill counts.
   */
  readonly days: number;
  /** The complete UTC days of the window (the phase held the whole day), oldest first. */
  readonly completeDays: readonly string[];
  /** Volume per complete day, USD, 0 on a day without fills. */
  readonly dailyVolumes: readonly number[];
  /** PnL net of fees per complete day, USD, 0 on a day without fills. */
  readonly dailyPnls: readonly number[];
}

/**
 * The phase window of seed 003's gate (ruling 7), pure. Its days run from the UTC day the phase
 * began through the last complete UTC day before `nowTs`. `days` counts them all (the first one
 * too: the phase lived on it); the daily volume and profit are judged on the complete days only,
 * so a partial first or current day never stands for a day's volume, and a day without a fill is
 * a day at zero, not a day left out.
 */
export function phaseWindow(sinceTs: number, nowTs: number, records: readonly PhaseDayRecord[]): PhaseWindow {
  const firstStart = Math.floor(sinceTs / DAY_MS) * DAY_MS;
  const todayStart = Math.floor(nowTs / DAY_MS) * DAY_MS;
  const days = Math.max(0, Math.round((todayStart - firstStart) / DAY_MS));
  const byDay = new Map(records.map((r) => [r.day, r]));
  const completeDays: string[] = [];
  // The first day is complete only when the phase began at its midnight.
  for (let t = sinceTs === firstStart ? firstStart : firstStart + DAY_MS; t < todayStart; t += DAY_MS) completeDays.push(utcDay(t));
  return {
    days,
    completeDays,
    dailyVolumes: completeDays.map((d) => byDay.get(d)?.volumeUsd ?? 0),
    dailyPnls: completeDays.map((d) => byDay.get(d)?.pnlUsd ?? 0),
  };
}
