/**
 * Ratios annualised from fewer days than this carry a warning (Sharpe, Sortino, Calmar and the
 * annualised return). Annualising multiplies a per-period mean by the periods in a year and its
 * standard deviation by their square root, so the sampling error of an annualised Sharpe ratio is
 * about √(365 / days) whatever the bar size (Lo 2002, for independent returns): ±3.5 at 30 days,
 * ±11 at 3 days. Under a month the figure is mostly that noise scaled up to a year.
 */
export const MIN_ANNUALISATION_DAYS = 30;

const DAY_MS = 86_400_000;

/** How long a series an annualised ratio was computed from, and whether that is too short to trust. */
export interface AnnualisationWindow {
  /** Days between the first and last observation. */
  readonly days: number;
  /** `days` < {@link MIN_ANNUALISATION_DAYS}. */
  readonly short: boolean;
  /** Plain words for the reader when short, else null. */
  readonly warning: string | null;
}

/**
 * The window of a series of observations spanning `spanMs` (last minus first timestamp). Pure.
 * A negative or non-finite span counts as 0 days.
 */
export function annualisationWindow(spanMs: number): AnnualisationWindow {
  const days = Number.isFinite(spanMs) && spanMs > 0 ? spanMs / DAY_MS : 0;
  const short = days < MIN_ANNUALISATION_DAYS;
  const shown = days >= 10 ? days.toFixed(0) : days >= 1 ? days.toFixed(1) : days.toFixed(2);
  return {
    days,
    short,
    warning: short ? `annualised from ${shown} day(s) of data, under ${MIN_ANNUALISATION_DAYS}: mostly noise scaled up to a year, not a forecast` : null,
  };
}
