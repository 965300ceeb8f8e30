import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DnbotError, ErrorCodes } from '../../src/core/errors.js';
import type { Candle, Instrument, MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { recordedInstrumentsProblem } from './recorded-instrument.js';

/**
 * A recording of a live venue's public streams (`dnbot record`), as JSON lines:
 * line 1 `{"format":"dnbot-recording/1","venue":"nado","startTs":ms,"instruments":[Instrument…]}`,
 * then one normalised MarketEvent per line, stamped with its local receive time:
 * `{"ts":ms,"kind":"book","book":{symbol,ts,seq,bids:[{price,size}],asks}}` or
 * `{"ts":ms,"kind":"trade","trade":{symbol,ts,price,size,aggressor,tradeId}}`.
 */
export const RECORDING_FORMAT = 'dnbot-recording/1';

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly venue: string;
  readonly startTs: number;
  readonly instruments: readonly Instrument[];
}

export function recordingHeader(venue: string, startTs: number, instruments: readonly Instrument[]): string {
  const h: RecordingHeader = { format: RECORDING_FORMAT, venue, startTs, instruments };
  return JSON.stringify(h);
}

export function recordingLine(ev: MarketEvent): string {
  return JSON.stringify(ev);
}

/** True when the file starts with a recording header (cheap: reads the first line only). */
export function isRecordingFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    const buf = Buffer.alloc(1 << 20); // a header with its instruments fits well within 1 MB
    const n = readSync(fd, buf, 0, buf.length, 0);
    closeSync(fd);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return (JSON.parse(nl < 0 ? text : text.slice(0, nl)) as { format?: unknown }).format === RECORDING_FORMAT;
  } catch {
    return false;
  }
}

function bad(path: string, line: number, why: string): DnbotError {
  return new DnbotError(ErrorCodes.DATA_FILE, `${path}:${line}: ${why}`, { file: path, line });
}

function isLevels(v: unknown): boolean {
  return Array.isArray(v) && v.every((l) => typeof l === 'object' && l !== null && Number.isFinite((l as { price: unknown }).price) && Number.isFinite((l as { size: unknown }).size));
}

/** Checks one event line; throws naming the line when it is not a sound book or trade event. */
function parseEvent(path: string, n: number, text: string): MarketEvent {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    throw bad(path, n, 'not JSON');
  }
  const ev = e as { ts?: unknown; kind?: unknown; book?: Record<string, unknown>; trade?: Record<string, unknown> };
  if (!Number.isFinite(ev.ts)) throw bad(path, n, 'no ts');
  if (ev.kind === 'book' && ev.book && typeof ev.book['symbol'] === 'string' && isLevels(ev.book['bids']) && isLevels(ev.book['asks'])) return e as MarketEvent;
  if (ev.kind === 'trade' && ev.trade && typeof ev.trade['symbol'] === 'string' && Number.isFinite(ev.trade['price']) && Number.isFinite(ev.trade['size'])) return e as MarketEvent;
  if (ev.kind === 'mark' && e !== null) return e as MarketEvent;
  throw bad(path, n, `not a book, trade or mark event`);
}

/** Replays a recording as a pull-based MarketDataSource, in receive-time order. */
export class RecordedStreamSource implements MarketDataSource {
  readonly instruments: readonly Instrument[];
  readonly startTs: number;
  readonly venue: string;
  private readonly events: MarketEvent[];
  private i = 0;

  constructor(path: string) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new DnbotError(ErrorCodes.DATA_FILE, `${path}: cannot read: ${(err as Error).message}`, { file: path });
    }
    const lines = text.split('\n');
    let header: RecordingHeader;
    try {
      header = JSON.parse(lines[0] ?? '') as RecordingHeader;
    } catch {
      throw bad(path, 1, 'no recording header');
    }
    if (header.format !== RECORDING_FORMAT || !Array.isArray(header.instruments)) throw bad(path, 1, `not a ${RECORDING_FORMAT} file`);
    const problem = recordedInstrumentsProblem(header.instruments);
    if (problem !== null) throw bad(path, 1, `header ${problem}`);
    this.venue = header.venue;
    this.instruments = header.instruments;
    this.events = [];
    for (let n = 1; n < lines.length; n++) {
      const l = lines[n]!.trim();
      if (l !== '') this.events.push(parseEvent(path, n + 1, l));
    }
    if (this.events.length === 0) throw bad(path, 2, 'the recording holds no events');
    this.events.sort((a, b) => a.ts - b.ts); // stable: equal stamps keep their recorded order
    this.startTs = this.events[0]!.ts;
  }

  /** Recordings hold no candles from before their start: strategies warm up on the stream itself. */
  history(_symbol: string, _bars: number): readonly Candle[] {
    return [];
  }

  next(): MarketEvent | null {
    return this.events[this.i++] ?? null;
  }
}
