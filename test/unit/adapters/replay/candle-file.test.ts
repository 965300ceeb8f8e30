import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DnbotError, ErrorCodes } from '../../../../src/core/errors.js';
import type { Candle } from '../../../../src/core/types.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candleText, loadCandleFile, parseCandles, symbolFromFileName } from '../../../../adapters/replay/candle-file.js';

const ROWS: readonly (readonly number[])[] = [
  [1617321600000, 1968.05, 1972.54, 1967.54, 1968.3, 1721.20355],
  [1617321660000, 1968.28, 1970.9, 1965.34, 1965.98, 422.37019],
  [1617321720000, 1965.98, 1967.14, 1962.68, 1963.08, 0],
];
const EXPECTED: Candle[] = ROWS.map(([ts, open, high, low, close, volume]) => ({
  ts: ts!, open: open!, high: high!, low: low!, close: close!, volume: volume!,
}));
const csvBody = ROWS.map((r) => r.join(',')).join('\n');

function thrown(fn: () => unknown): DnbotError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DnbotError) return e;
    throw e;
  }
  throw new Error('expected a DnbotError, nothing was thrown');
}

describe('parseCandles', () => {
  it.each([
    ['JSON array of arrays', JSON.stringify(ROWS), 'eth.json'],
    ['CSV without header', csvBody, 'eth.csv'],
    ['CSV with header', `timestamp,open,high,low,close,volume\n${csvBody}\n`, 'eth.csv'],
    ['CSV with CRLF, BOM, blank lines', `\uFEFFtimestamp,open,high,low,close,volume\r\n\r\n${csvBody.replaceAll('\n', '\r\n')}\r\n\r\n`, 'eth.csv'],
    ['CSV with reordered, capitalised header', `Open,High,Low,Close,Volume,Time\n${ROWS.map((r) => [...r.slice(1), r[0]].join(',')).join('\n')}`, 'eth.csv'],
    ['CSV with quoted fields', ROWS.map((r) => r.map((x) => `"${x}"`).join(',')).join('\n'), 'eth.csv'],
    ['JSON with numeric strings', JSON.stringify(ROWS.map((r) => r.map(String))), 'eth.json'],
    ['JSON with seconds timestamps', JSON.stringify(ROWS.map(([ts, ...rest]) => [ts! / 1000, ...rest])), 's.json'],
    ['CSV with seconds timestamps', ROWS.map(([ts, ...rest]) => [ts! / 1000, ...rest].join(',')).join('\n'), 's.csv'],
  ])('%s parses to the same candles', (_name, text, file) => {
    expect(parseCandles(text, file)).toEqual(EXPECTED);
  });

  it('CSV and JSON agree on arbitrary valid candles', () => {
    const candleArb = fc
      .record({
        lo: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
        span: fc.double({ min: 0, max: 100, noNaN: true }),
        a: fc.double({ min: 0, max: 1, noNaN: true }),
        b: fc.double({ min: 0, max: 1, noNaN: true }),
        volume: fc.double({ min: 0, max: 1e6, noNaN: true }),
        dt: fc.integer({ min: 1, max: 10 }),
      });
    fc.assert(
      fc.property(fc.array(candleArb, { minLength: 1, maxLength: 30 }), (specs) => {
        let ts = 1_600_000_000_000;
        const rows = specs.map((s) => {
          ts += s.dt * 60_000;
          const high = s.lo + s.span;
          return [ts, s.lo + s.span * s.a, high, s.lo, s.lo + s.span * s.b, s.volume];
        });
        const fromJson = parseCandles(JSON.stringify(rows), 'p.json');
        const fromCsv = parseCandles(`timestamp,open,high,low,close,volume\n${rows.map((r) => r.join(',')).join('\n')}`, 'p.csv');
        expect(fromCsv).toEqual(fromJson);
        expect(fromJson.map((c) => c.ts)).toEqual(rows.map((r) => r[0]));
      }),
      { numRuns: 200 },
    );
  });

  const header = 'timestamp,open,high,low,close,volume';
  const good1 = '1617321600000,10,11,9,10.5,100';
  const csvCases: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['NaN price', 'NaN,11,9,10.5,100', /open must be a finite price > 0/],
    ['text price', 'abc,11,9,10.5,100', /open must be a finite price > 0/],
    ['infinite price', '10,Infinity,9,10.5,100', /high must be a finite price > 0/],
    ['zero price', '10,11,9,0,100', /close must be a finite price > 0/],
    ['negative price', '10,11,-9,10.5,100', /low must be a finite price > 0/],
    ['empty field', '10,11,,10.5,100', /low is not a number/],
    ['missing field', '10,11,9,10.5', /expected 6 fields/],
    ['high below max(open, close)', '10,10.4,9,10.5,100', /high 10.4 is below max\(open 10, close 10.5\)/],
    ['low above min(open, close)', '10,11,10.2,10.5,100', /low 10.2 is above min\(open 10, close 10.5\)/],
    ['negative volume', '10,11,9,10.5,-1', /volume must be a finite number >= 0/],
  ];
  it.each(csvCases)('rejects %s in CSV naming the file and line', (_name, rest, pattern) => {
    const err = thrown(() => parseCandles(`${header}\n${good1}\n1617321660000,${rest}\n`, 'ETH.csv'));
    expect(err.code).toBe(ErrorCodes.DATA_FILE);
    expect(err.message).toMatch(/^ETH\.csv line 3: /);
    expect(err.message).toMatch(pattern);
    expect(err.details).toEqual({ file: 'ETH.csv', line: 3 });
  });

  it.each([
    ['duplicate timestamp', [1617321600000, 1617321600000]],
    ['decreasing timestamp', [1617321660000, 1617321600000]],
  ])('rejects a %s', (_name, [t1, t2]) => {
    const text = JSON.stringify([[t1, 10, 11, 9, 10, 1], [t2, 10, 11, 9, 10, 1]]);
    const err = thrown(() => parseCandles(text, 'SOL.json'));
    expect(err.code).toBe(ErrorCodes.DATA_FILE);
    expect(err.message).toMatch(/^SOL\.json row 2: .*strictly increasing/);
  });

  it.each([
    ['a non-array row', JSON.stringify([[1617321600000, 10, 11, 9, 10, 1], { ts: 1 }]), /row 2: expected an array/],
    ['a short row', JSON.stringify([[1617321600000, 10, 11, 9, 10, 1], [1617321660000, 10, 11, 9, 10]]), /row 2: expected an array/],
    ['a null price', JSON.stringify([[1617321600000, 10, 11, 9, 10, 1], [1617321660000, null, 11, 9, 10, 1]]), /row 2: open is not a number/],
    ['mixed s and ms timestamps', JSON.stringify([[1617321600, 10, 11, 9, 10, 1], [1617321660000, 10, 11, 9, 10, 1]]), /row 2: timestamp .* in ms but earlier rows are in s/],
    ['a zero timestamp', JSON.stringify([[0, 10, 11, 9, 10, 1]]), /row 1: timestamp must be a positive number/],
    ['a fractional ms timestamp', JSON.stringify([[1617321600000.5, 10, 11, 9, 10, 1]]), /row 1: timestamp .* whole number/],
    ['invalid JSON', '[[1617321600000, 10, 11', /invalid JSON/],
    ['a JSON object', '{"a": 1}', /expected a JSON array/],
    ['an empty array', '[]', /contains no candles/],
    ['an empty file', '  \n', /contains no candles/],
  ])('rejects %s', (_name, text, pattern) => {
    const err = thrown(() => parseCandles(text, 'BTC.json'));
    expect(err.code).toBe(ErrorCodes.DATA_FILE);
    expect(err.message).toMatch(/^BTC\.json/);
    expect(err.message).toMatch(pattern);
  });

  it('rejects a header without a required column, naming it', () => {
    const err = thrown(() => parseCandles(`timestamp,open,high,low,close\n${good1}`, 'x.csv'));
    expect(err.message).toMatch(/^x\.csv line 1: header has no "volume" column/);
  });
});

describe('loadCandleFile', () => {
  it('rejects an unreadable file with E_DATA_FILE naming the path', () => {
    const err = thrown(() => loadCandleFile('/nonexistent/dir/ETH.csv'));
    expect(err.code).toBe(ErrorCodes.DATA_FILE);
    expect(err.message).toContain('/nonexistent/dir/ETH.csv');
  });

  it('reads any file as UTF-8 text: an ASCII file by the faster decoding, the same string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'binary' })), (s) => {
        const bytes = Buffer.from(s, 'utf8');
        expect(candleText(bytes)).toBe(bytes.toString('utf8'));
      }),
    );
  });

  it('loads a UTF-8 file with a BOM and a non-ASCII header name the same as its text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-candles-'));
    const text = `\uFEFFtimestamp,open,high,low,close,volume,note é\n${ROWS.map((r) => r.join(',')).join('\n')}\n`;
    writeFileSync(join(dir, 'ETH.csv'), text, 'utf8');
    expect(loadCandleFile(join(dir, 'ETH.csv'))).toEqual(EXPECTED);
    writeFileSync(join(dir, 'ETH.json'), JSON.stringify(ROWS), 'utf8');
    expect(loadCandleFile(join(dir, 'ETH.json'))).toEqual(EXPECTED);
  });
});

describe('symbolFromFileName', () => {
  it.each([
    ['ETH_USDT-1m.json', 'ETH-PERP'],
    ['SOL_USDT-1m.json', 'SOL-PERP'],
    ['/data/candles/BTC_USDT-1m.json', 'BTC-PERP'],
    ['ETH.csv', 'ETH-PERP'],
    ['eth-usd.csv', 'ETH-PERP'],
    ['sol.json', 'SOL-PERP'],
    ['ETHUSDT-1m.csv', 'ETH-PERP'],
    ['btcusd.csv', 'BTC-PERP'],
    ['ETH-PERP.csv', 'ETH-PERP'],
    ['1000PEPE_USDT.csv', '1000PEPE-PERP'],
  ])('%s → %s', (file, symbol) => {
    expect(symbolFromFileName(file)).toBe(symbol);
  });

  it.each(['.csv', '_x.json', 'é.csv'])('rejects %s', (file) => {
    expect(thrown(() => symbolFromFileName(file)).code).toBe(ErrorCodes.DATA_FILE);
  });
});
