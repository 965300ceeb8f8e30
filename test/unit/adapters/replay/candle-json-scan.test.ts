import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Buffer } from 'node:buffer';
import { scanJsonCandleRows } from '../../../../adapters/replay/candle-json-scan.js';

/** JSON.parse's reading of a file of six-number rows, flattened: the reference. */
function parsed(text: string): number[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(data)) return null;
  const out: number[] = [];
  for (const row of data as unknown[]) {
    if (!Array.isArray(row) || row.length !== 6 || !row.every((x) => typeof x === 'number')) return null;
    out.push(...(row as number[]));
  }
  return out;
}

function sameBits(a: ArrayLike<number>, b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** A JSON number as a file might write it: sign, digits, decimals, sometimes an exponent. */
const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,17}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,25}$/), { nil: undefined }),
    fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/), { nil: undefined, freq: 8 }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp ?? ''}`);
const space = fc.constantFrom('', '', '', ' ', '\n', '\r\n', '\t ');

describe('scanJsonCandleRows', () => {
  it('reads every number to the same double as JSON.parse (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(numberText, { minLength: 6, maxLength: 6 }), space), { maxLength: 20 }), space, (rows, ws) => {
        const text = `${ws}[${rows.map(([r, w]) => `${w}[${r.join(`,${w}`)}]${w}`).join(',')}]${ws}`;
        const got = scanJsonCandleRows(text);
        expect(got).not.toBeNull();
        expect(sameBits(got!, parsed(text)!)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reads doubles written by JSON.stringify back to the same bits (property)', () => {
    const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 2 ** 53 }).map((n) => n / 1e8));
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 20 }), (rows) => {
        const text = JSON.stringify(rows);
        expect(sameBits(scanJsonCandleRows(text)!, parsed(text)!)).toBe(true);
      }),
    );
  });

  it('answers null, leaving JSON.parse to report, for anything but plain six-number rows', () => {
    const row = '[1617321600000,1968.05,1972.54,1967.54,1968.3,1721.20355]';
    for (const text of [
      `[${row}`, `${row}]`, `[${row},]`, `[${row}] x`, `{"a":1}`, `[${row.replace('1968.05', '"1968.05"')}]`,
      `[${row.replace('1968.05', 'null')}]`, `[${row.replace(']', ',1]')}]`, `[${row.replace(',1721.20355', '')}]`,
      `[${row.replace('1968.05', '01968.05')}]`, `[${row.replace('1968.05', '1968.')}]`, `[${row.replace('1968.05', '.05')}]`,
      `[${row.replace('1968.05', '+1968.05')}]`, `[${row.replace('1968.05', '1e')}]`, `[${row.replace('1968.05', 'NaN')}]`, '', 'x',
    ]) {
      expect(scanJsonCandleRows(text), text).toBeNull();
    }
    expect(Array.from(scanJsonCandleRows(' [ ] ')!)).toEqual([]);
  });

  it('never reads a text JSON.parse rejects or reads otherwise (property)', () => {
    const row = '[1617321600000,1968.05,1972.54,1967.54,-0,1721.2e3]';
    const text = `[${row},${row}]`;
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.nat({ max: 3 }), fc.constantFrom('', ',', '[', ']', '0', '.', '-', 'e', ' ', '"'), (at, cut, insert) => {
        const mutated = text.slice(0, at) + insert + text.slice(at + cut);
        const got = scanJsonCandleRows(mutated);
        const want = parsed(mutated);
        if (got === null) return;
        expect(want).not.toBeNull();
        expect(sameBits(got, want!)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the bytes of a text as it reads the text: same rows, same refusals (property)', () => {
    const row = '[1617321600000,1968.05,1972.54,1967.54,-0,1721.2e3]';
    const text = `[${row},\n${row}]`;
    fc.assert(
      fc.property(fc.nat({ max: text.length }), fc.nat({ max: 3 }), fc.constantFrom('', ',', '[', ']', '0', '.', 'e', ' ', '"', '\uFEFF', 'é', '\u0131'), (at, cut, insert) => {
        const mutated = text.slice(0, at) + insert + text.slice(at + cut);
        const fromText = scanJsonCandleRows(mutated);
        const fromBytes = scanJsonCandleRows(Buffer.from(mutated, 'utf8'));
        if (fromText === null) expect(fromBytes).toBeNull();
        else expect(sameBits(fromBytes!, Array.from(fromText))).toBe(true);
        if (fromBytes !== null) expect(sameBits(fromBytes, parsed(mutated)!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
