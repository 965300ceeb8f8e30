import { join } from 'node:path';
import { LiveClock, type Clock } from '../core/clock.js';
import { ConfigError, ErrorCodes } from '../core/errors.js';
import { downloadCandles, type OhlcvExchange } from './candle-download.js';
import { EXIT_OK, type CliIo } from './cli-io.js';

export interface DownloadFlags {
  readonly exchange: string;
  readonly symbols: string;
  readonly from: string;
  readonly to?: string;
  readonly quote?: string;
  readonly out?: string;
  readonly pageSize?: string;
}

/** Opens a ccxt exchange by id, public endpoints only (no keys), with ccxt's own rate limiter on. */
export async function openCcxtExchange(id: string): Promise<OhlcvExchange & { readonly rateLimit: number }> {
  const ccxt = (await import('ccxt')).default as unknown as Record<string, unknown> & { exchanges: string[] };
  if (!ccxt.exchanges.includes(id)) throw new ConfigError('--exchange', `unknown exchange "${id}"; ccxt knows ${ccxt.exchanges.length}, e.g. binance, bybit, okx, kraken`, ErrorCodes.CLI_USAGE);
  const Ctor = ccxt[id] as new (o: Record<string, unknown>) => OhlcvExchange & { rateLimit: number; has: Record<string, unknown> };
  const ex = new Ctor({ enableRateLimit: true });
  if (!ex.has['fetchOHLCV']) throw new ConfigError('--exchange', `${id} has no OHLCV history in ccxt`, ErrorCodes.CLI_USAGE);
  return ex;
}

function parseTime(flag: string, v: string): number {
  const ts = /^\d+$/.test(v) ? Number(v) : Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ts)) throw new ConfigError(flag, `expected an ISO date (2021-04-01) or ms, got "${v}"`, ErrorCodes.CLI_USAGE);
  return Math.floor(ts / 60_000) * 60_000;
}

/**
 * `dnbot download --exchange X --symbols ETH,SOL --from T [--to T]`: 1-minute candles from any
 * ccxt exchange into `data/candles/<exchange>/<BASE>_<QUOTE>-1m.csv`, the layout `dnbot replay
 * --data` reads (symbol from the file name). Paged, paced, resumable: run it again and it continues
 * from the last candle written.
 */
export async function downloadCommand(f: DownloadFlags, io: CliIo, deps: { exchange?: OhlcvExchange & { readonly rateLimit?: number }; clock?: Clock } = {}): Promise<number> {
  const fromTs = parseTime('--from', f.from);
  const clock = deps.clock ?? new LiveClock();
  const toTs = f.to !== undefined ? parseTime('--to', f.to) : Math.floor(clock.now() / 60_000) * 60_000;
  if (toTs <= fromTs) throw new ConfigError('--to', 'must be after --from', ErrorCodes.CLI_USAGE);
  const bases = f.symbols.split(',').map((s) => s.trim().toUpperCase().replace(/-PERP$/, '')).filter((s) => s !== '');
  if (bases.length === 0 || bases.some((b) => !/^[A-Z0-9]{1,20}$/.test(b))) throw new ConfigError('--symbols', `expected a comma-separated list such as ETH,SOL, got "${f.symbols}"`, ErrorCodes.CLI_USAGE);
  const quote = (f.quote ?? 'USDT').toUpperCase();
  const pageSize = Number(f.pageSize ?? 1000);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000) throw new ConfigError('--page-size', 'expected an integer 1–5000', ErrorCodes.CLI_USAGE);
  const ex = deps.exchange ?? (await openCcxtExchange(f.exchange));
  const dir = f.out ?? join('data', 'candles', f.exchange);
  const files: string[] = [];
  for (const base of bases) {
    const market = `${base}/${quote}`;
    const file = join(dir, `${base}_${quote}-1m.csv`);
    let lastLine = 0;
    const rows = await downloadCandles({
      exchange: ex,
      market,
      file,
      fromTs,
      toTs,
      pageSize,
      minIntervalMs: ex.rateLimit ?? 100,
      clock,
      onPage: (p) => {
        // A line every 10 s of wall time at most: a year of minutes is 526 pages.
        if (clock.now() - lastLine < 10_000) return;
        lastLine = clock.now();
        const pct = Math.min(100, (100 * (p.lastTs - fromTs + 60_000)) / (toTs - fromTs));
        io.err(`download: ${market} ${pct.toFixed(0)}% (${new Date(p.lastTs).toISOString().slice(0, 16)}), ${p.rows.toLocaleString('en-US')} candles`);
      },
    });
    io.err(`download: ${market} done, ${rows.toLocaleString('en-US')} new candles in ${file}`);
    files.push(file);
  }
  io.out(`dnbot replay ${files.map((p) => `--data ${p}`).join(' ')}`);
  return EXIT_OK;
}
