import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCandleFile, symbolFromFileName } from '../../../adapters/replay/candle-file.js';
import { downloadCommand } from '../../../src/cli/download-command.js';
import type { CliIo } from '../../../src/cli/cli-io.js';
import type { OhlcvExchange } from '../../../src/cli/candle-download.js';
import { SimClock } from '../../../src/core/clock.js';
import { tempDir } from '../../integration/cli-harness.js';

const T0 = Date.UTC(2021, 3, 1);
const MIN = 60_000;

/**
 * A recorded exchange: answers fetchOHLCV like Binance does (at most `limit` rows from `since`,
 * ascending, the current minute possibly partial), optionally failing some calls first.
 */
class RecordedExchange implements OhlcvExchange {
  readonly rateLimit = 50;
  readonly calls: { symbol: string; since: number; limit: number }[] = [];
  constructor(private readonly o: { minutes: number; failFirst?: number; gapAt?: [number, number] }) {}
  fetchOHLCV(symbol: string, timeframe: string, since: number, limit: number): Promise<(number | undefined)[][]> {
    this.calls.push({ symbol, since, limit });
    if ((this.o.failFirst ?? 0) > 0) {
      this.o.failFirst!--;
      return Promise.reject(new Error('ETIMEDOUT'));
    }
    expect(timeframe).toBe('1m');
    const rows: (number | undefined)[][] = [];
    for (let ts = Math.ceil(since / MIN) * MIN; rows.length < limit && ts < T0 + this.o.minutes * MIN; ts += MIN) {
      const i = (ts - T0) / MIN;
      if (this.o.gapAt && i >= this.o.gapAt[0] && i < this.o.gapAt[1]) continue;
      const p = symbol.startsWith('ETH') ? 2000 + i : 30 + i / 100;
      rows.push([ts, p, p * 1.001, p * 0.999, p, 10 + i]);
    }
    return Promise.resolve(rows);
  }
}

const io = (): CliIo & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
};

describe('dnbot download', () => {
  it('pages through fetchOHLCV into CSV files the replay reads, paced by the exchange rate limit', async () => {
    const dir = tempDir();
    const ex = new RecordedExchange({ minutes: 2_500 });
    const clock = new SimClock(T0 + 10 * 86_400_000);
    const sleeps: number[] = [];
    const sleepy = Object.assign(clock, { sleep: (ms: number) => (sleeps.push(ms), Promise.resolve()) });
    const code = await downloadCommand({ exchange: 'binance', symbols: 'ETH,SOL', from: '2021-04-01', to: String(T0 + 2_400 * MIN), out: dir }, io(), { exchange: ex, clock: sleepy });
    expect(code).toBe(0);
    const eth = loadCandleFile(join(dir, 'ETH_USDT-1m.csv'));
    expect(eth).toHaveLength(2_400);
    expect(eth[0]!.ts).toBe(T0);
    expect(eth[eth.length - 1]!.ts).toBe(T0 + 2_399 * MIN);
    expect(symbolFromFileName(join(dir, 'SOL_USDT-1m.csv'))).toBe('SOL-PERP');
    expect(ex.calls.filter((c) => c.symbol === 'ETH/USDT').map((c) => c.since)).toEqual([T0, T0 + 1_000 * MIN, T0 + 2_000 * MIN]);
    expect(sleeps.every((s) => s === 50)).toBe(true);
  });

  it('resumes from the last candle written, dropping a torn last line', async () => {
    const dir = tempDir();
    const clock = new SimClock(T0);
    Object.assign(clock, { sleep: () => Promise.resolve() });
    await downloadCommand({ exchange: 'binance', symbols: 'ETH', from: '2021-04-01', to: String(T0 + 1_500 * MIN), out: dir }, io(), { exchange: new RecordedExchange({ minutes: 1_500 }), clock });
    const file = join(dir, 'ETH_USDT-1m.csv');
    appendFileSync(file, `${T0 + 1_500 * MIN},20`); // a kill mid-write
    const ex = new RecordedExchange({ minutes: 3_000 });
    await downloadCommand({ exchange: 'binance', symbols: 'ETH', from: '2021-04-01', to: String(T0 + 3_000 * MIN), out: dir }, io(), { exchange: ex, clock });
    expect(ex.calls[0]!.since).toBe(T0 + 1_500 * MIN);
    const rows = loadCandleFile(file);
    expect(rows).toHaveLength(3_000);
    expect(new Set(rows.map((r) => r.ts)).size).toBe(3_000);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('timestamp,open,high,low,close,volume');
  });

  it('retries a failing page with backoff, and steps over an exchange gap', async () => {
    const dir = tempDir();
    const clock = new SimClock(T0);
    Object.assign(clock, { sleep: () => Promise.resolve() });
    const ex = new RecordedExchange({ minutes: 3_000, failFirst: 2, gapAt: [1_000, 2_200] });
    await downloadCommand({ exchange: 'binance', symbols: 'ETH', from: '2021-04-01', to: String(T0 + 3_000 * MIN), out: dir }, io(), { exchange: ex, clock });
    expect(loadCandleFile(join(dir, 'ETH_USDT-1m.csv'))).toHaveLength(3_000 - 1_200);
  });

  it('refuses bad flags naming them (exit 2 through the CLI)', async () => {
    await expect(downloadCommand({ exchange: 'binance', symbols: 'ETH', from: 'yesterday' }, io(), { exchange: new RecordedExchange({ minutes: 1 }) })).rejects.toThrow(/--from/);
    await expect(downloadCommand({ exchange: 'binance', symbols: 'E$H', from: '2021-04-01', to: '2021-04-02' }, io(), { exchange: new RecordedExchange({ minutes: 1 }) })).rejects.toThrow(/--symbols/);
    await expect(downloadCommand({ exchange: 'binance', symbols: 'ETH', from: '2021-04-02', to: '2021-04-01' }, io(), { exchange: new RecordedExchange({ minutes: 1 }) })).rejects.toThrow(/--to/);
  });
});
