import { ConfigError, ErrorCodes } from '../core/errors.js';

/**
 * The pure half of `dnbot sweep`: a grid file's parameter combinations, the configurations they
 * make, and the ranked table. A grid file maps dotted config paths to the values to try:
 * `{ "bots.0.dnPair.volume.cycleIntervalMs": [60000, 300000], "paper.latencyMs": [50, 500] }`.
 */

export type GridValue = string | number | boolean | null;

/** One combination: path → value, in the grid file's key order. */
export type GridPoint = ReadonlyArray<readonly [string, GridValue]>;

const usage = (field: string, msg: string): ConfigError => new ConfigError(field, msg, ErrorCodes.CONFIG_INVALID);

/**
 * Every combination of the grid's values (cartesian product), the LAST key varying fastest, in
 * a fixed order: the same grid file always gives the same list.
 * @throws ConfigError naming the grid key when a value list is empty or not an array of scalars.
 */
export function expandGrid(grid: unknown): GridPoint[] {
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) throw usage('grid', 'must be an object of "config.path": [values]');
  const entries = Object.entries(grid as Record<string, unknown>);
  if (entries.length === 0) throw usage('grid', 'names no parameter');
  for (const [key, values] of entries) {
    if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key)) throw usage(`grid.${key}`, 'must be a dotted config path such as bots.0.dnPair.volume.cycleIntervalMs');
    if (!Array.isArray(values) || values.length === 0) throw usage(`grid.${key}`, 'must be a non-empty array of values');
    for (const v of values) {
      if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v))) throw usage(`grid.${key}`, 'values must be numbers, strings, booleans or null');
    }
  }
  let points: GridPoint[] = [[]];
  for (const [key, values] of entries) {
    const next: GridPoint[] = [];
    for (const p of points) for (const v of values as GridValue[]) next.push([...p, [key, v] as const]);
    points = next;
  }
  return points;
}

/** A copy of `obj` with `value` at the dotted `path`, creating objects (or array slots for numeric keys) on the way. Pure. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const keys = path.split('.');
  const write = (node: unknown, i: number): unknown => {
    const key = keys[i]!;
    const index = /^\d+$/.test(key) ? Number(key) : null;
    const base: unknown = node ?? (index !== null ? [] : {});
    const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...(base as unknown[])] : { ...(base as Record<string, unknown>) };
    const child = Array.isArray(copy) ? copy[index ?? Number.NaN] : copy[key];
    const v = i === keys.length - 1 ? value : write(child, i + 1);
    if (Array.isArray(copy)) copy[index ?? 0] = v;
    else copy[key] = v;
    return copy;
  };
  return write(obj, 0) as Record<string, unknown>;
}

/** The configuration of one grid point: the base with each value set. Pure. */
export function configFor(base: Record<string, unknown>, point: GridPoint): Record<string, unknown> {
  return point.reduce((cfg, [path, value]) => setPath(cfg, path, value), base);
}

/** `key=value, key=value` with each key's last segment, for tables. */
export function pointLabel(point: GridPoint): string {
  return point.map(([k, v]) => `${k.split('.').at(-1)}=${String(v)}`).join(', ');
}

/** What one replay of a sweep produced. */
export interface SweepRunResult {
  readonly volumeUsd: number;
  readonly netBpsPerVolume: number | null;
  readonly pnlUsd: number;
  readonly makerShare: number | null;
  readonly roundTrips: number;
}

/** One grid point's outcome: on the training window, and on the test window when split. */
export interface SweepRow {
  readonly index: number;
  readonly point: GridPoint;
  readonly train: SweepRunResult | null;
  readonly test: SweepRunResult | null;
  /** Why a run failed, if one did. */
  readonly error?: string;
}

/**
 * Ranked best first by net bps per volume on the TRAINING window (the test window never picks
 * the winner), ties by higher training volume, then by grid order; failed or untraded runs last.
 * Pure and stable.
 */
export function rankRows(rows: readonly SweepRow[]): SweepRow[] {
  const key = (r: SweepRow): number => r.train?.netBpsPerVolume ?? Number.NEGATIVE_INFINITY;
  return [...rows].sort((a, b) => key(b) - key(a) || (b.train?.volumeUsd ?? 0) - (a.train?.volumeUsd ?? 0) || a.index - b.index);
}

const num = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '' : v.toFixed(d));

/** CSV of the ranked rows: rank, one column per grid key, then train and test figures. Pure. */
export function sweepCsv(ranked: readonly SweepRow[]): string {
  const keys = ranked[0]?.point.map(([k]) => k) ?? [];
  const head = ['rank', ...keys, 'train_net_bps', 'train_volume_usd', 'train_pnl_usd', 'train_maker_share', 'train_round_trips', 'test_net_bps', 'test_volume_usd', 'test_pnl_usd', 'test_maker_share', 'test_round_trips', 'error'];
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const runCells = (r: SweepRunResult | null): string[] => [num(r?.netBpsPerVolume, 4), num(r?.volumeUsd), num(r?.pnlUsd), num(r?.makerShare, 4), r ? String(r.roundTrips) : ''];
  const lines = ranked.map((r, i) => [String(i + 1), ...r.point.map(([, v]) => cell(v)), ...runCells(r.train), ...runCells(r.test), cell(r.error)].join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** The ranked table as text lines. Pure. */
export function formatSweep(ranked: readonly SweepRow[], split: boolean): string[] {
  const rows: string[][] = [['#', 'parameters', split ? 'train bps' : 'net bps', split ? 'train volume' : 'volume', ...(split ? ['test bps', 'test volume'] : []), 'maker']];
  ranked.forEach((r, i) => {
    rows.push([
      String(i + 1),
      pointLabel(r.point) + (r.error ? ` (failed: ${r.error})` : ''),
      num(r.train?.netBpsPerVolume),
      r.train ? `$${Math.round(r.train.volumeUsd).toLocaleString('en-US')}` : '',
      ...(split ? [num(r.test?.netBpsPerVolume), r.test ? `$${Math.round(r.test.volumeUsd).toLocaleString('en-US')}` : ''] : []),
      r.train?.makerShare === null || r.train === null ? '' : `${(r.train.makerShare * 100).toFixed(1)}%`,
    ]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c <= 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}
