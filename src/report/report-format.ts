/** Small, pure formatters for the HTML report. Every text that reaches the page goes through {@link esc}. */

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fin = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function usd(v: number | null | undefined, digits = 2): string {
  if (!fin(v)) return '—';
  return `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

export function signedUsd(v: number | null | undefined): string {
  return fin(v) ? `${v > 0 ? '+' : ''}${usd(v)}` : '—';
}

export function pct(v: number | null | undefined, digits = 2): string {
  return fin(v) ? `${(v * 100).toFixed(digits)}%` : '—';
}

export function num(v: number | null | undefined, digits = 2): string {
  return fin(v) ? v.toFixed(digits) : '—';
}

/** `YYYY-MM-DD HH:MM` UTC. */
export function utc(ts: number | null | undefined): string {
  return fin(ts) ? new Date(ts).toISOString().replace('T', ' ').slice(0, 16) : '—';
}

export function hold(ms: number | null | undefined): string {
  if (!fin(ms) || ms < 0) return '—';
  const m = Math.round(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}m`;
}

/** CSS class for a signed amount: good above zero, bad below. */
export function tone(v: number | null | undefined): string {
  return !fin(v) || v === 0 ? '' : v > 0 ? 'good' : 'bad';
}

/** A metric that may be `{ unavailable: reason }` (engine/risk-report's convention). */
export function maybe<T>(m: T | { unavailable: string }, f: (v: T) => string): string {
  return m !== null && typeof m === 'object' && 'unavailable' in (m as object) ? `n/a (${esc((m as { unavailable: string }).unavailable)})` : f(m as T);
}

export interface Column<T> {
  readonly title: string;
  readonly cell: (row: T) => string;
  readonly num?: boolean;
  readonly cls?: (row: T) => string;
}

/**
 * A table; cells are already-escaped HTML. Each cell carries its column's title (`data-label`):
 * in a narrow panel (a phone) the stylesheet lays the table out as one block per row with the
 * titles beside the values. Tables of more than five columns are `wide` and do so sooner.
 */
export function table<T>(rows: readonly T[], cols: readonly Column<T>[], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  const head = cols.map((c) => `<th${c.num ? ' class="num"' : ''}>${esc(c.title)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${cols.map((c) => `<td class="${[c.num ? 'num' : '', c.cls?.(r) ?? ''].join(' ').trim()}" data-label="${esc(c.title)}">${c.cell(r)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table${cols.length > 5 ? ' class="wide"' : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** JSON safe to inline in a `<script type="application/json">`: no `<` can close the element. */
export function inlineJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
