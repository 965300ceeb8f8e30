import type { DnbotError } from '../core/errors.js';
import { unreadableValue } from './unreadable-value.js';
import { pushVarint, unzigzag, VarintReader, zigzag } from './varint.js';

/**
 * An hour of 1-minute closes as `bar_hours` stores it. Pure.
 *
 * In memory an hour is {@link RAW_HOUR_BYTES} bytes: 60 little-endian doubles, NaN for a minute
 * without a close. On disk it is packed when that is exact: prices on a decimal grid (a tick's
 * decimals, a mid's one more) are whole numbers of 10^-d, and a minute's move is a few hundred of
 * them, so each close is the change from the one before as a zigzag varint (1–3 bytes instead of
 * 8). Packed:
 *
 * - byte 0: the format ({@link PACKED_FORMAT});
 * - byte 1: d, the decimals (0–9);
 * - bytes 2–9: which of the 60 minutes have a close (bit m % 8 of byte 2 + ⌊m / 8⌋);
 * - then, for each of those minutes in order, the zigzag varint of n − the previous n (the first:
 *   of n itself), where the close is n / 10^d exactly.
 *
 * An hour that does not pack exactly (a close off every grid up to 10^-9, -0, an infinity) or
 * would not be smaller is stored as it is in memory. The two are told apart by length: a raw hour
 * is exactly {@link RAW_HOUR_BYTES} long, a packed one never is. Every hour written before packing
 * (raw) is still read as it was.
 */
export const HOUR_SLOTS = 60;
export const RAW_HOUR_BYTES = HOUR_SLOTS * 8;
export const PACKED_FORMAT = 1;
const HEADER_BYTES = 10;
const MAX_DECIMALS = 9;

/** An hour with no close yet (every minute NaN). */
export function emptyHour(): Buffer {
  const buf = Buffer.allocUnsafe(RAW_HOUR_BYTES);
  for (let i = 0; i < HOUR_SLOTS; i++) buf.writeDoubleLE(Number.NaN, i * 8);
  return buf;
}

/** What to store for the raw hour `raw`: packed when that is exact and smaller, else `raw` itself. */
export function packHour(raw: Buffer): Buffer {
  const present: number[] = [];
  for (let m = 0; m < HOUR_SLOTS; m++) {
    const close = raw.readDoubleLE(m * 8);
    if (!Number.isNaN(close)) present.push(m);
  }
  const decimals = gridDecimals(raw, present);
  if (decimals === null) return raw;
  const scale = 10 ** decimals;
  const out: number[] = [PACKED_FORMAT, decimals, 0, 0, 0, 0, 0, 0, 0, 0];
  let previous = 0;
  for (const m of present) {
    out[2 + (m >> 3)]! |= 1 << (m & 7);
    const n = Math.round(raw.readDoubleLE(m * 8) * scale);
    const z = zigzag(n - previous);
    if (!Number.isSafeInteger(z)) return raw;
    pushVarint(out, z);
    previous = n;
    if (out.length >= RAW_HOUR_BYTES) return raw;
  }
  return Buffer.from(out);
}

/**
 * The raw hour (a new buffer of {@link RAW_HOUR_BYTES}) that `stored` holds.
 * @throws DnbotError (`E_STORE_MIGRATION`) when `stored` is neither a raw hour nor a packed one
 *   this build reads (a newer format, or damaged).
 */
export function unpackHour(stored: Uint8Array): Buffer {
  if (stored.length === RAW_HOUR_BYTES) return Buffer.from(stored);
  if (stored.length < HEADER_BYTES || stored[0] !== PACKED_FORMAT || stored[1]! > MAX_DECIMALS) throw damaged(stored, 'unknown format');
  const scale = 10 ** stored[1]!;
  const raw = emptyHour();
  const steps = new VarintReader(stored, HEADER_BYTES);
  let n = 0;
  for (let m = 0; m < HOUR_SLOTS; m++) {
    if ((stored[2 + (m >> 3)]! & (1 << (m & 7))) === 0) continue;
    const z = steps.next();
    if (z === null) throw damaged(stored, 'truncated');
    n += unzigzag(z);
    raw.writeDoubleLE(n / scale, m * 8);
  }
  if (steps.at !== stored.length) throw damaged(stored, 'trailing bytes');
  return raw;
}

/**
 * The fewest decimals d ≤ 9 on whose grid every present close lies exactly (n / 10^d gives the
 * close back, bit for bit, with n a safe integer); null when none does.
 */
function gridDecimals(raw: Buffer, present: readonly number[]): number | null {
  // -0 would come back as 0.
  for (const m of present) if (Object.is(raw.readDoubleLE(m * 8), -0)) return null;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    const scale = 10 ** d;
    let fits = true;
    for (const m of present) {
      const close = raw.readDoubleLE(m * 8);
      const n = Math.round(close * scale);
      if (!Number.isSafeInteger(n) || !Object.is(n / scale, close)) {
        fits = false;
        break;
      }
    }
    if (fits) return d;
  }
  return null;
}

function damaged(stored: Uint8Array, why: string): DnbotError {
  return unreadableValue('a bar_hours row', stored, why, { table: 'bar_hours' });
}
