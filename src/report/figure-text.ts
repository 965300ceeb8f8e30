/**
 * Two figures that are right but read wrong when printed raw: an account's health ratio far from
 * liquidation, and the leverage of a small position. Used by `dnbot status`, `dnbot risk` and the
 * report; the dashboard's script mirrors them. JSON outputs keep the exact values.
 */

/**
 * Above this health ratio (percent: equity over maintenance margin) the figure says nothing more:
 * the risk levels act at 300%, 200% and 150%, and a small position on a large account gives
 * ratios like 167069% that read as a bug.
 */
export const HEALTH_RATIO_SHOWN_UP_TO = 1000;

/** `245%`, or `> 1,000%` when far from liquidation; `n/a` when no margin is in use (null). */
export function healthRatioText(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'n/a';
  if (v > HEALTH_RATIO_SHOWN_UP_TO) return `> ${HEALTH_RATIO_SHOWN_UP_TO.toLocaleString('en-US')}%`;
  return `${v.toFixed(0)}%`;
}

/** Leverage to three significant figures (`0.0681×`, `2.5×`, `12.3×`): a small pair's plan leverage is well below 0.01×. */
export function leverageText(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  return `${Number(v.toPrecision(3))}×`;
}
