import { DnbotError, ErrorCodes } from '../core/errors.js';

/**
 * The step ids of an order's sizing trace as stored in `orders.trace_steps` (migration 16): a
 * format byte, then each id's difference from the one before it (the first from 0) as a zigzag
 * varint. An entry's steps were stored together, so their ids mostly follow each other: a trace
 * of 16 ids takes ~20 bytes instead of ~45 as decimal text ("573,91,574,…"), and stays that size
 * as the ids grow over a long run. Rows written before hold the text form, which
 * `SizingStepRepository.resolve` still reads.
 */

/** The first byte of a packed trace: its format. */
export const TRACE_IDS_FORMAT = 1;

/** Scratch for the varints: a zigzagged difference (under 2^53) takes at most 8 bytes. */
let scratch = new Uint8Array(64);

/**
 * Ids up to this bound pack exactly: a difference between two of them, zigzagged, stays a safe
 * integer. Ids are SQLite rowids given one by one (seed 1 stores ~3,000 steps a simulated week).
 */
export const MAX_TRACE_ID = 2 ** 51 - 1;

/**
 * Packs step ids.
 * @throws RangeError for an id that is not an integer in [0, {@link MAX_TRACE_ID}].
 */
export function packTraceIds(ids: readonly number[]): Buffer {
  if (scratch.length < 1 + ids.length * 8) scratch = new Uint8Array(1 + ids.length * 8);
  scratch[0] = TRACE_IDS_FORMAT;
  let at = 1;
  let prev = 0;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id > MAX_TRACE_ID) throw new RangeError(`sizing trace ids: ${id} is not an id`);
    const d = id - prev;
    prev = id;
    // Zigzag without 32-bit operators, which would cut a difference beyond 2^31.
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    while (z >= 0x80) {
      scratch[at++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    scratch[at++] = z;
  }
  return Buffer.from(scratch.subarray(0, at));
}

/**
 * The ids of a packed trace.
 * @throws DnbotError (`E_STORE_MIGRATION`) on an unknown format or a truncated varint: a row
 * written by a newer build, or damaged; never a trace naming wrong steps.
 */
export function unpackTraceIds(bytes: Uint8Array): number[] {
  if (bytes[0] !== TRACE_IDS_FORMAT) throw damaged(bytes, `unknown format ${String(bytes[0])}`);
  const ids: number[] = [];
  let prev = 0;
  let at = 1;
  while (at < bytes.length) {
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw damaged(bytes, 'truncated');
      z += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    ids.push(prev);
  }
  return ids;
}

function damaged(bytes: Uint8Array, why: string): DnbotError {
  return new DnbotError(ErrorCodes.STORE_MIGRATION, `an orders.trace_steps value holds ${bytes.length} bytes this build cannot read (${why}); was it written by a newer dnbot?`, { table: 'orders', column: 'trace_steps', bytes: bytes.length });
}
