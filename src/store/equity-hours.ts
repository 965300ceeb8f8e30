import type { DnbotError } from '../core/errors.js';
import { unreadableValue } from './unreadable-value.js';
import { pushVarint, unzigzag, VarintReader, zigzag } from './varint.js';

/**
 * An hour of one bot's equity snapshots as `equity_hours` stores it. Pure.
 *
 * A snapshot is four numbers a minute, and most of them repeat: flat, the collateral is the equity
 * and both stay put, the net delta and gross notional are 0; in a position the collateral stays
 * put. So each snapshot is stored as what changed:
 *
 * - byte 0: the format ({@link EQUITY_HOUR_FORMAT});
 * - then, per snapshot in time order:
 *   - its time: the zigzag varint of (this step − the step before), a step being the time from
 *     the snapshot before (the hour's start for the first, whose step before is 0). Regular
 *     snapshots a minute apart take one byte.
 *   - a byte of four 2-bit codes, field f at bits 2f–2f+1, fields in {@link EQUITY_FIELDS} order:
 *     {@link RAW} (the double follows, 8 bytes little-endian), {@link SAME} (as the snapshot
 *     before), {@link ZERO}, {@link AS_EQUITY} (the same snapshot's equity; not for equity itself).
 *
 * A flat minute is 2 bytes, one in a position ~28, against ~43 a row before. Every value comes back
 * as SQLite's REAL column gave it: bit for bit, but ±0 as 0 (SQLite stores a whole REAL as an
 * integer). NaN is refused, as the column's NOT NULL refused it.
 */
export const EQUITY_HOUR_FORMAT = 1;
export const HOUR_MS = 3_600_000;
const RAW = 0;
const SAME = 1;
const ZERO = 2;
const AS_EQUITY = 3;

/** A snapshot's numbers, in the order the codes name them. */
export const EQUITY_FIELDS = ['equity', 'collateral', 'netDelta', 'grossNotional'] as const;

export interface EquityValues {
  readonly ts: number;
  readonly equity: number;
  readonly collateral: number;
  readonly netDelta: number;
  readonly grossNotional: number;
}

/** The start of the hour holding `ts` (ms). */
export function hourOf(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

/**
 * The stored form of one hour's snapshots: `rows` in strictly increasing time, each in the hour
 * starting at `hourTs`.
 * @throws RangeError for a row out of order or outside the hour, a time that is not a safe
 *   integer, or a NaN value (named by its field).
 */
export function packEquityHour(hourTs: number, rows: readonly EquityValues[]): Buffer {
  const out: number[] = [EQUITY_HOUR_FORMAT];
  const scratch = Buffer.allocUnsafe(8);
  let previousTs = hourTs;
  let previousStep = 0;
  let before: EquityValues | null = null;
  for (const r of rows) {
    if (!Number.isSafeInteger(r.ts) || r.ts < hourTs || r.ts >= hourTs + HOUR_MS || (before !== null && r.ts <= previousTs)) {
      throw new RangeError(`equity snapshot at ${r.ts} is out of order or outside the hour starting at ${hourTs}`);
    }
    const step = r.ts - previousTs;
    pushVarint(out, zigzag(step - previousStep));
    previousStep = step;
    previousTs = r.ts;
    const codesAt = out.length;
    out.push(0);
    let codes = 0;
    for (let f = 0; f < EQUITY_FIELDS.length; f++) {
      const name = EQUITY_FIELDS[f]!;
      const v = r[name];
      if (Number.isNaN(v)) throw new RangeError(`equity snapshot at ${r.ts}: ${name} is NaN`);
      let code = RAW;
      if (v === 0) code = ZERO;
      else if (before !== null && v === before[name]) code = SAME;
      else if (f > 0 && v === r.equity) code = AS_EQUITY;
      codes |= code << (2 * f);
      if (code === RAW) {
        scratch.writeDoubleLE(v, 0);
        for (let i = 0; i < 8; i++) out.push(scratch[i]!);
      }
    }
    out[codesAt] = codes;
    before = r;
  }
  return Buffer.from(out);
}

/** What an `equity_hours` row holds beside its key, for `rows` as {@link packEquityHour} takes them (at least one). */
export function equityHourColumns(hourTs: number, rows: readonly EquityValues[]): { firstTs: number; lastTs: number; peak: number; snapshots: Buffer } {
  let peak = rows[0]!.equity;
  for (const r of rows) if (r.equity > peak) peak = r.equity;
  return { firstTs: rows[0]!.ts, lastTs: rows.at(-1)!.ts, peak, snapshots: packEquityHour(hourTs, rows) };
}

/**
 * The snapshots `stored` holds, for the hour starting at `hourTs`, in time order.
 * @throws DnbotError (`E_STORE_MIGRATION`) when `stored` is not a packed hour this build reads
 *   (a newer format, or damaged).
 */
export function unpackEquityHour(hourTs: number, stored: Uint8Array): EquityValues[] {
  if (stored.length < 1 || stored[0] !== EQUITY_HOUR_FORMAT) throw damaged(stored, 'unknown format');
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  const reader = new VarintReader(stored, 1);
  const rows: EquityValues[] = [];
  let ts = hourTs;
  let step = 0;
  let before: EquityValues | null = null;
  while (reader.at < stored.length) {
    const z = reader.next();
    if (z === null) throw damaged(stored, 'truncated');
    step += unzigzag(z);
    ts += step;
    if ((before !== null && step <= 0) || ts < hourTs || ts >= hourTs + HOUR_MS) throw damaged(stored, 'a time out of order');
    const codes = stored[reader.at++];
    if (codes === undefined) throw damaged(stored, 'truncated');
    const v = [0, 0, 0, 0];
    for (let f = 0; f < EQUITY_FIELDS.length; f++) {
      const code = (codes >> (2 * f)) & 3;
      if (code === RAW) {
        if (reader.at + 8 > stored.length) throw damaged(stored, 'truncated');
        v[f] = view.getFloat64(reader.at, true);
        reader.at += 8;
      } else if (code === SAME) {
        if (before === null) throw damaged(stored, 'a first value said to repeat');
        v[f] = before[EQUITY_FIELDS[f]!];
      } else if (code === AS_EQUITY) {
        if (f === 0) throw damaged(stored, 'equity said to be itself');
        v[f] = v[0]!;
      }
    }
    const row: EquityValues = { ts, equity: v[0]!, collateral: v[1]!, netDelta: v[2]!, grossNotional: v[3]! };
    rows.push(row);
    before = row;
  }
  return rows;
}

function damaged(stored: Uint8Array, why: string): DnbotError {
  return unreadableValue('an equity_hours row', stored, why, { table: 'equity_hours' });
}
