import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DnbotError } from '../../../src/core/errors.js';
import { MAX_TRACE_ID, packTraceIds, TRACE_IDS_FORMAT, unpackTraceIds } from '../../../src/store/trace-ids.js';

describe('packed sizing trace ids', () => {
  it('give back any ids in order, from 0 to 2^51 - 1 (property)', () => {
    const id = fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 2 ** 31 + 5 }), fc.integer({ min: 0, max: MAX_TRACE_ID }), fc.constant(MAX_TRACE_ID));
    fc.assert(
      fc.property(fc.array(id, { maxLength: 40 }), (ids) => {
        const packed = packTraceIds(ids);
        expect(packed[0]).toBe(TRACE_IDS_FORMAT);
        expect(unpackTraceIds(packed)).toEqual(ids);
      }),
      { numRuns: 2000 },
    );
  });

  it('an entry trace of ids stored together takes under half its decimal text, and stays so as ids grow', () => {
    for (const first of [573, 120_000, 9_000_000]) {
      // An entry's own steps follow each other; a shared one (the base) is older; the slice is newer.
      const ids = [first, 91, ...Array.from({ length: 12 }, (_, k) => first + 1 + k), first + 30];
      expect(packTraceIds(ids).length).toBeLessThan(ids.join(',').length / 2);
    }
  });

  it('refuses an unknown format and a truncated varint instead of naming wrong steps', () => {
    for (const [bytes, why] of [[[2, 1], 'unknown format 2'], [[TRACE_IDS_FORMAT, 0x80], 'truncated'], [[], 'unknown format undefined']] as const) {
      const err = (() => { try { unpackTraceIds(Buffer.from(bytes)); } catch (e) { return e; } return null; })();
      expect(err).toBeInstanceOf(DnbotError);
      expect((err as DnbotError).code).toBe('E_STORE_MIGRATION');
      expect((err as DnbotError).message).toContain(why);
      expect((err as DnbotError).message).toContain('orders.trace_steps');
    }
    expect(unpackTraceIds(Buffer.from([TRACE_IDS_FORMAT]))).toEqual([]);
    for (const bad of [-1, 1.5, MAX_TRACE_ID + 1, Number.NaN]) expect(() => packTraceIds([3, bad])).toThrow(RangeError);
  });
});
