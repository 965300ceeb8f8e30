import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DnbotError, ErrorCodes } from '../../src/core/errors.js';
import type { Candle } from '../../src/core/types.js';
import { CANDLE_FIELDS, scanJsonCandleRows } from './candle-json-scan.js';
import { CANDLE_ROW, CandleTable } from './candle-table.js';

/**
 * Recorded OHLCV candles in ccxt's layout: `[timestamp, open, high, low, close, volume]`, as a
 * JSON array of arrays (ccxt / freqtrade) or as CSV with or without a header row.
 *
 * Timestamps: milliseconds since the epoch. A file whose first timestamp is below 1e11 (at most
 * 11 digits, i.e. before 1973 in ms) is read as SECONDS and converted to ms; every row of a file
 * must then use the same unit, or the file is rejected.
 */

/** Timestamps below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_THRESHOLD = 1e11;

const HEADER_ALIASES: Readonly<Record<string, readonly string[]>> = {
  timestamp: ['timestamp', 'time', 'ts', 'date', 'datetime', 'open_time', 'opentime'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
};
const COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Quote assets stripped from a glued pair name (`ETHUSDT` → `ETH`). Longest first. */
const GLUED_QUOTES = ['USDT', 'USDC', 'BUSD', 'PERP', 'USD'] as const;

function dataError(where: string, message: string, details: Record<string, unknown>): DnbotError {
  return new DnbotError(ErrorCodes.DATA_FILE, `${where}: ${message}`, details);
}

/** Where a row sits: `file.csv line 7` (1-based text line) or `file.json row 7` (1-based element). */
interface RowRef {
  readonly file: string;
  readonly kind: 'line' | 'row';
  readonly n: number;
}

function refText(r: RowRef): string {
  return `${r.file} ${r.kind} ${r.n}`;
}

function rowError(r: RowRef, message: string): DnbotError {
  return dataError(refText(r), message, { file: r.file, [r.kind]: r.n });
}

function badPrice(o: number, h: number, l: number, c: number): readonly [string, number] {
  const all = [['open', o], ['high', h], ['low', l], ['close', c]] as const;
  return all.find(([, p]) => !(Number.isFinite(p) && p > 0)) ?? ['price', NaN];
}

/**
 * Checks one candle against the previous one and returns its timestamp in ms.
 * @throws DnbotError `E_DATA_FILE` naming the file and row.
 */
function checkedTs(
  ts: number,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
  file: string,
  kind: RowRef['kind'],
  n: number,
  unit: { seconds: boolean | null },
  prevTs: number | null,
): number {
  if (
    Number.isFinite(ts) && ts >= SECONDS_THRESHOLD && unit.seconds === false && Number.isInteger(ts) &&
    o > 0 && h > 0 && l > 0 && c > 0 && o < Infinity && h < Infinity && l < Infinity && c < Infinity &&
    Number.isFinite(v) && v >= 0 && h >= Math.max(o, c) && l <= Math.min(o, c) && (prevTs === null || ts > prevTs)
  ) {
    // A sound row in milliseconds after the first: every check below passes.
    return ts;
  }
  const r: RowRef = { file, kind, n };
  if (!Number.isFinite(ts) || ts <= 0) throw rowError(r, `timestamp must be a positive number, got ${String(ts)}`);
  const isSeconds = ts < SECONDS_THRESHOLD;
  if (unit.seconds === null) unit.seconds = isSeconds;
  else if (unit.seconds !== isSeconds) {
    throw rowError(r, `timestamp ${ts} is in ${isSeconds ? 's' : 'ms'} but earlier rows are in ${unit.seconds ? 's' : 'ms'}`);
  }
  const tsMs = isSeconds ? Math.round(ts * 1000) : ts;
  if (!Number.isInteger(tsMs)) throw rowError(r, `timestamp ${ts} is not a whole number of milliseconds`);
  if (!(o > 0 && h > 0 && l > 0 && c > 0 && o < Infinity && h < Infinity && l < Infinity && c < Infinity)) {
    const [name, p] = badPrice(o, h, l, c);
    throw rowError(r, `${name} must be a finite price > 0, got ${String(p)}`);
  }
  if (!Number.isFinite(v) || v < 0) throw rowError(r, `volume must be a finite number >= 0, got ${String(v)}`);
  if (h < Math.max(o, c)) throw rowError(r, `high ${h} is below max(open ${o}, close ${c})`);
  if (l > Math.min(o, c)) throw rowError(r, `low ${l} is above min(open ${o}, close ${c})`);
  if (prevTs !== null && tsMs <= prevTs) {
    throw rowError(r, `timestamp ${tsMs} is not after the previous row's ${prevTs} (must be strictly increasing)`);
  }
  return tsMs;
}

/** Checked rows appended to a growing `Float64Array`, six numbers a row (CSV and `JSON.parse`d files). */
class RowSink {
  private data = new Float64Array(CANDLE_ROW * 1024);
  private n = 0;
  private readonly unit = { seconds: null as boolean | null };
  private prevTs: number | null = null;

  constructor(
    private readonly file: string,
    private readonly kind: RowRef['kind'],
  ) {}

  /** @throws DnbotError `E_DATA_FILE` for a bad row (see {@link checkedTs}). */
  push(ts: number, o: number, h: number, l: number, c: number, v: number, rowNumber: number): void {
    const tsMs = checkedTs(ts, o, h, l, c, v, this.file, this.kind, rowNumber, this.unit, this.prevTs);
    this.prevTs = tsMs;
    if (this.n + CANDLE_ROW > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    const j = this.n;
    d[j] = tsMs;
    d[j + 1] = o;
    d[j + 2] = h;
    d[j + 3] = l;
    d[j + 4] = c;
    d[j + 5] = v;
    this.n += CANDLE_ROW;
  }

  table(): CandleTable {
    return new CandleTable(this.data.subarray(0, this.n));
  }
}

function fieldNumber(raw: unknown, r: RowRef, column: string): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw);
  throw rowError(r, `${column} is not a number: ${JSON.stringify(raw) ?? String(raw)}`);
}

/**
 * The usual file's rows of six plain numbers, read without JSON.parse's array per row, checked
 * where they lie (only a timestamp in seconds is rewritten).
 */
function checkedRows(flat: Float64Array, file: string): CandleTable {
  const rows = flat.length / CANDLE_FIELDS;
  const unit = { seconds: null as boolean | null };
  let prevTs: number | null = null;
  for (let i = 0, j = 0; i < rows; i++, j += CANDLE_FIELDS) {
    const ts = checkedTs(flat[j]!, flat[j + 1]!, flat[j + 2]!, flat[j + 3]!, flat[j + 4]!, flat[j + 5]!, file, 'row', i + 1, unit, prevTs);
    flat[j] = ts;
    prevTs = ts;
  }
  return new CandleTable(flat);
}

function parseJsonCandles(text: string, file: string): CandleTable {
  const flat = scanJsonCandleRows(text);
  if (flat !== null) return checkedRows(flat, file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw dataError(file, `invalid JSON: ${e instanceof Error ? e.message : String(e)}`, { file });
  }
  if (!Array.isArray(data)) throw dataError(file, 'expected a JSON array of [timestamp, open, high, low, close, volume]', { file });
  const sink = new RowSink(file, 'row');
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    if (!Array.isArray(row) || row.length < 6) {
      throw rowError({ file, kind: 'row', n: i + 1 }, 'expected an array [timestamp, open, high, low, close, volume]');
    }
    const [t, o, h, l, c, v] = row as unknown[];
    if (typeof t === 'number' && typeof o === 'number' && typeof h === 'number' && typeof l === 'number' && typeof c === 'number' && typeof v === 'number') {
      // The usual row, six numbers: no field to convert, and the row's reference built only for an error.
      sink.push(t, o, h, l, c, v, i + 1);
    } else {
      const r: RowRef = { file, kind: 'row', n: i + 1 };
      const f = (k: number): number => fieldNumber(row[k], r, COLUMNS[k] ?? `column ${k}`);
      sink.push(f(0), f(1), f(2), f(3), f(4), f(5), i + 1);
    }
  }
  return sink.table();
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field;
}

/** Column indexes from a header row, or null when the row is data (its first field is numeric). */
function headerIndexes(fields: readonly string[], r: RowRef): number[] | null {
  const first = unquote((fields[0] ?? '').trim());
  if (first !== '' && Number.isFinite(Number(first))) return null;
  const names = fields.map((f) => f.trim().replace(/^"|"$/g, '').toLowerCase());
  return COLUMNS.map((col) => {
    const idx = names.findIndex((n) => (HEADER_ALIASES[col] ?? []).includes(n));
    if (idx < 0) throw rowError(r, `header has no "${col}" column (got: ${names.join(',')})`);
    return idx;
  });
}

function parseCsvCandles(text: string, file: string): CandleTable {
  const lines = text.split('\n');
  const sink = new RowSink(file, 'line');
  let idx: number[] | null = null;
  let sawFirst = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const r: RowRef = { file, kind: 'line', n: i + 1 };
    const fields = line.split(',');
    if (!sawFirst) {
      sawFirst = true;
      idx = headerIndexes(fields, r);
      if (idx !== null) continue;
    }
    const f = (k: number): number => {
      const col = idx === null ? k : (idx[k] ?? k);
      const raw = fields[col];
      if (raw === undefined) throw rowError(r, `expected 6 fields (timestamp,open,high,low,close,volume), got ${fields.length}`);
      return fieldNumber(unquote(raw), r, COLUMNS[k] ?? `column ${k}`);
    };
    sink.push(f(0), f(1), f(2), f(3), f(4), f(5), i + 1);
  }
  return sink.table();
}

/**
 * Parses candles from text: JSON when the first non-blank character is `[` or `{`,
 * otherwise CSV (comma-separated, optional header row whose names are matched case-insensitively).
 * Rows are validated at the boundary: finite prices > 0, `high >= max(open, close)`,
 * `low <= min(open, close)`, volume >= 0, strictly increasing timestamps.
 * @param sourceName file name used in error messages.
 * @throws DnbotError `E_DATA_FILE` naming `sourceName` and the line (CSV) or row (JSON).
 */
export function parseCandles(text: string, sourceName: string): Candle[] {
  return parseCandleTable(text, sourceName).toCandles();
}

/**
 * {@link parseCandles} into a {@link CandleTable}: the same candles, checked the same way and
 * rejected with the same errors, without an object per candle.
 * @throws DnbotError `E_DATA_FILE` naming `sourceName` and the line (CSV) or row (JSON).
 */
export function parseCandleTable(text: string, sourceName: string): CandleTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstChar = body.trimStart().charAt(0);
  const table = firstChar === '[' || firstChar === '{' ? parseJsonCandles(body, sourceName) : parseCsvCandles(body, sourceName);
  if (table.length === 0) throw dataError(sourceName, 'contains no candles', { file: sourceName });
  return table;
}

/**
 * Reads and parses a candle file (see {@link parseCandles}).
 * @throws DnbotError `E_DATA_FILE` when the file cannot be read or is invalid.
 */
export function loadCandleFile(path: string): Candle[] {
  return loadCandleTable(path).toCandles();
}

/**
 * Reads and parses a candle file into a {@link CandleTable} (see {@link parseCandleTable}).
 * @throws DnbotError `E_DATA_FILE` when the file cannot be read or is invalid.
 */
export function loadCandleTable(path: string): CandleTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw dataError(path, `cannot read: ${e instanceof Error ? e.message : String(e)}`, { file: path });
  }
  // The usual JSON file is read from its bytes, never decoded to a string; anything else (a BOM,
  // CSV, JSON that is not plain six-number rows) is decoded and parsed as text.
  const flat = scanJsonCandleRows(bytes);
  const table = flat !== null ? checkedRows(flat, path) : parseCandleTable(candleText(bytes), path);
  if (table.length === 0) throw dataError(path, 'contains no candles', { file: path });
  return table;
}

/**
 * A candle file's text. The usual file is ASCII, which decodes to the same string as Latin-1 at a
 * tenth of UTF-8's cost (and V8 parses JSON from that one-byte string about twice as fast); any
 * other file is decoded as UTF-8.
 */
export function candleText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * Our perp symbol for a candle file: the base asset (first token of the file name, up to `_`, `-`,
 * `.` or a space), upper-cased, plus `-PERP`. `ETH_USDT-1m.json`, `ETH.csv`, `eth-usd.csv`,
 * `ETHUSDT.csv` → `ETH-PERP`.
 * @throws DnbotError `E_DATA_FILE` when no base asset can be read from the name.
 */
export function symbolFromFileName(path: string): string {
  const name = basename(path);
  let base = (name.split(/[_\-. ]/)[0] ?? '').toUpperCase();
  for (const q of GLUED_QUOTES) {
    if (base.length > q.length + 1 && base.endsWith(q)) {
      base = base.slice(0, -q.length);
      break;
    }
  }
  if (!/^[A-Z0-9]+$/.test(base)) {
    throw dataError(path, 'cannot derive a symbol from the file name; pass the symbol explicitly', { file: path });
  }
  return `${base}-PERP`;
}
