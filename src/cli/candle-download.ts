import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../core/clock.js';
import { DnbotError, ErrorCodes } from '../core/errors.js';

/** One ccxt OHLCV row: [timestamp ms, open, high, low, close, volume]. */
export type OhlcvRow = readonly [number, number, number, number, number, number];

/** The one ccxt method the download needs (ccxt's Exchange satisfies it; tests pass a fake). */
export interface OhlcvExchange {
  fetchOHLCV(symbol: string, timeframe: string, since: number, limit: number): Promise<readonly (readonly (number | undefined)[])[]>;
}

const MINUTE = 60_000;

/** The last complete line's timestamp of a candle CSV, after cutting a torn last line; null when empty. */
export function resumePoint(file: string): number | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const end = text.lastIndexOf('\n');
  // A run killed mid-write leaves a partial line: drop it, the download fetches it again.
  if (end + 1 < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, end + 1)));
  const lines = text.slice(0, end + 1).trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const ts = Number(lines[i]!.split(',')[0]);
    if (Number.isFinite(ts) && lines[i] !== '') return ts;
  }
  return null;
}

/** A row as received, or null when it is not a sound candle (the file only ever holds sound ones). */
function sound(r: readonly (number | undefined)[]): OhlcvRow | null {
  const v = r.slice(0, 6).map((x) => (typeof x === 'number' ? x : Number.NaN));
  if (v.length < 6 || !v.every(Number.isFinite) || v[0]! % MINUTE !== 0 || v.slice(1, 5).some((p) => p <= 0) || v[5]! < 0) return null;
  return v as unknown as OhlcvRow;
}

export interface DownloadOptions {
  readonly exchange: OhlcvExchange;
  /** The exchange's market, e.g. ETH/USDT. */
  readonly market: string;
  /** CSV file (ccxt layout, header line): appended to, so a stopped download resumes. */
  readonly file: string;
  readonly fromTs: number;
  /** Exclusive end. */
  readonly toTs: number;
  /** Candles per request (exchanges cap it: 1,000 on Binance). */
  readonly pageSize: number;
  /** Wall time between requests, on top of the exchange's own limiter. */
  readonly minIntervalMs: number;
  readonly clock: Clock;
  /** Attempts per page before giving up, with a doubling backoff from `minIntervalMs`. */
  readonly attempts?: number;
  readonly onPage?: (p: { readonly market: string; readonly lastTs: number; readonly rows: number }) => void;
}

/**
 * Downloads 1-minute candles through ccxt's fetchOHLCV, page by page from the last candle already
 * in the file (or `fromTs`) to `toTs`, paced, appending each page as CSV rows the replay reads.
 * Returns the rows written.
 * @throws DnbotError E_VENUE_UNAVAILABLE when a page keeps failing (what was written stays).
 */
export async function downloadCandles(o: DownloadOptions): Promise<number> {
  mkdirSync(dirname(o.file), { recursive: true });
  const last = resumePoint(o.file);
  if (last === null) appendFileSync(o.file, 'timestamp,open,high,low,close,volume\n');
  let since = Math.max(o.fromTs, last === null ? o.fromTs : last + MINUTE);
  let written = 0;
  let first = true;
  while (since < o.toTs) {
    if (!first) await o.clock.sleep(o.minIntervalMs);
    first = false;
    const page = await fetchPage(o, since);
    const rows = page.map(sound).filter((r): r is OhlcvRow => r !== null && r[0] >= since && r[0] < o.toTs);
    if (rows.length === 0) {
      // Nothing in this page: a gap (maintenance) or the end of the exchange's history.
      const next = page.map((r) => Number(r[0])).filter(Number.isFinite).reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
      if (!(next >= since)) break;
      since = next + MINUTE;
      continue;
    }
    rows.sort((a, b) => a[0] - b[0]);
    const unique = rows.filter((r, i) => i === 0 || r[0] !== rows[i - 1]![0]);
    appendFileSync(o.file, unique.map((r) => r.join(',')).join('\n') + '\n');
    written += unique.length;
    since = unique[unique.length - 1]![0] + MINUTE;
    o.onPage?.({ market: o.market, lastTs: since - MINUTE, rows: written });
  }
  return written;
}

async function fetchPage(o: DownloadOptions, since: number): Promise<readonly (readonly (number | undefined)[])[]> {
  const attempts = o.attempts ?? 4;
  for (let i = 1; ; i++) {
    try {
      return await o.exchange.fetchOHLCV(o.market, '1m', since, o.pageSize);
    } catch (err) {
      if (i >= attempts) {
        throw new DnbotError(ErrorCodes.VENUE_UNAVAILABLE, `${o.market}: fetchOHLCV failed ${attempts} times at ${new Date(since).toISOString()}: ${err instanceof Error ? err.message : String(err)}; run the same command again to resume`, { market: o.market, since });
      }
      await o.clock.sleep(Math.max(o.minIntervalMs, 500) * 2 ** (i - 1));
    }
  }
}
