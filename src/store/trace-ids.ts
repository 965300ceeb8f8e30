import type { DnbotError } from '../core/errors.js';
import { unreadableValue } from './unreadable-value.js';
import { pushVarint, unzigzag, VarintReader, zigzag } from './varint.js';

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
  const out = [TRACE_IDS_FORMAT];
  let prev = 0;
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id > MAX_TRACE_ID) throw new RangeError(`sizing trace ids: ${id} is not an id`);
    pushVarint(out, zigzag(id - prev));
    prev = id;
  }
  return Buffer.from(out);
}

/**
 * The ids of a packed trace.
 * @throws DnbotError (`E_STORE_MIGRATION`) on an unknown format or a truncated varint: a row
 * written by a newer build, or damaged; never a trace naming wrong steps.
 */
export function unpackTraceIds(bytes: Uint8Array): number[] {
  if (bytes[0] !== TRACE_IDS_FORMAT) throw damaged(bytes, `unknown format ${String(bytes[0])}`);
  const ids: number[] = [];
  const steps = new VarintReader(bytes, 1);
  let prev = 0;
  while (steps.at < bytes.length) {
    const z = steps.next();
    if (z === null) throw damaged(bytes, 'truncated');
    prev += unzigzag(z);
    ids.push(prev);
  }
  return ids;
}

function damaged(bytes: Uint8Array, why: string): DnbotError {
  return unreadableValue('an orders.trace_steps value', bytes, why, { table: 'orders', column: 'trace_steps' });
}
