import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LiveClock, type Clock } from '../core/clock.js';
import { ConfigError, ErrorCodes } from '../core/errors.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { readConfigFile } from './config-loader.js';
import { DEFAULT_CONFIG_PATH } from './run-command.js';
import { loadCandleFile } from '../../adapters/replay/candle-file.js';
import { configFor, expandGrid, formatSweep, rankRows, sweepCsv, type GridPoint, type SweepRow, type SweepRunResult } from './sweep-grid.js';
import { combineRuns, formatWalkForward, parseFolds, walkForward, walkWindows, type WalkWindow } from './walk-forward.js';

export interface SweepFlags {
  readonly config?: string;
  readonly grid: string;
  readonly data: readonly string[];
  /** Train before this time, test from it (ISO date or ms). */
  readonly split?: string;
  /** Walk-forward: the range cut into N + 1 windows, each fold chosen on one and tested on the next. */
  readonly walkForward?: string;
  readonly jobs?: string;
  /** Write `<out>.csv` and `<out>.json`. */
  readonly out?: string;
  readonly json?: boolean;
}

const usage = (flag: string, msg: string): ConfigError => new ConfigError(flag, msg, ErrorCodes.CLI_USAGE);

/** `bin/dnbot.js`, found upwards from this file (it runs from src/ or from dist/). */
function dnbotBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'bin', 'dnbot.js');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('bin/dnbot.js not found above the sweep command');
}

/** `--jobs`: 1 … the machine's cores (default: the cores). @throws E_CLI_USAGE naming `--jobs`. */
export function parseJobs(text: string | undefined, cores = availableParallelism()): number {
  if (text === undefined) return Math.max(1, cores);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw usage('--jobs', `expected a whole number of parallel replays >= 1, got "${text}"`);
  return Math.min(n, Math.max(1, cores));
}

/** One replay in a child process; resolves with its summary's figures, rejects with its stderr tail. */
function runChild(bin: string, config: Record<string, unknown>, data: readonly string[], dir: string, name: string): Promise<SweepRunResult> {
  const cfgPath = join(dir, `${name}.json`);
  writeFileSync(cfgPath, JSON.stringify(config));
  const args = [bin, 'replay', '--config', cfgPath, '--db', join(dir, `${name}.db`), '--json', '--log-level', 'error'];
  for (const d of data) args.push('--data', d);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`exit ${code}: ${err.trim().split('\n').at(-1) ?? ''}`));
        return;
      }
      const s = JSON.parse(line) as { volumeUsd: number; startingEquityUsd: number; endingEquityUsd: number; roundTrips: number; execution: { total: { netBpsPerVolume: number | null; makerShare: number | null; volumeUsd: number } }[] };
      const total = s.execution[0]?.total;
      resolvePromise({
        volumeUsd: s.volumeUsd,
        netBpsPerVolume: total?.netBpsPerVolume ?? null,
        pnlUsd: s.endingEquityUsd - s.startingEquityUsd,
        makerShare: total?.makerShare ?? null,
        roundTrips: s.roundTrips,
      });
    });
  });
}

/** Runs `tasks` with at most `jobs` in flight; results in task order whatever the finishing order. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], jobs: number, onDone: (done: number) => void): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

function progressLine(done: number, total: number, elapsedS: number): string {
  const width = 24;
  const filled = Math.round((width * done) / total);
  const eta = done > 0 ? Math.round((elapsedS * (total - done)) / done) : 0;
  return `sweep [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} replays, ${Math.round(elapsedS)} s, ETA ${eta} s`;
}

const marketTime = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : undefined);

/**
 * The range a replay of `data` covers under the base configuration's replay settings: from
 * `replay.from` (else the first minute all files share, after the warm-up) to `replay.to` (else
 * the last minute all files share, inclusive).
 */
function replayRange(data: readonly string[], replay: Record<string, unknown>): { from: number; to: number } {
  const interval = typeof replay['intervalMs'] === 'number' ? replay['intervalMs'] : 60_000;
  const warmup = typeof replay['warmupBars'] === 'number' ? replay['warmupBars'] : 240;
  let first = Number.NEGATIVE_INFINITY;
  let last = Number.POSITIVE_INFINITY;
  for (const d of data) {
    const eq = d.lastIndexOf('=');
    const candles = loadCandleFile(eq > 0 && !existsSync(d) ? d.slice(0, eq) : d);
    first = Math.max(first, candles[0]!.ts);
    last = Math.min(last, candles.at(-1)!.ts);
  }
  return { from: marketTime(replay['from']) ?? first + warmup * interval, to: marketTime(replay['to']) ?? last + interval };
}

/**
 * `dnbot sweep`: every combination of the grid file's values over the base configuration, each
 * replayed in its own child process on its own temp database (at most `--jobs`, default and cap
 * the machine's cores). With `--split`, each combination is replayed on the training window (up
 * to the split) and the test window (from it); the ranking uses the training window only. Prints
 * the ranked table (or one JSON object) and writes CSV and JSON with `--out`. With
 * `--walk-forward N`, each combination is replayed on N + 1 consecutive windows; fold k takes the
 * best of window k − 1 and reports it on window k (`walk-forward.ts`). Deterministic: the
 * same files give the same table, whatever order the children finish in.
 * @throws ConfigError (exit 2) for a missing or invalid grid, base configuration or flag.
 */
export async function sweepCommand(f: SweepFlags, io: CliIo, clock: Clock = new LiveClock()): Promise<number> {
  if (!existsSync(f.grid)) throw usage('--grid', `file not found: ${f.grid}`);
  let gridRaw: unknown;
  try {
    gridRaw = JSON.parse(readFileSync(f.grid, 'utf8'));
  } catch (err) {
    throw usage('--grid', `not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const points = expandGrid(gridRaw);
  const jobs = parseJobs(f.jobs);
  const base = readConfigFile(f.config, DEFAULT_CONFIG_PATH);
  const baseReplay = (base['replay'] as Record<string, unknown> | undefined) ?? {};
  const split = f.split;
  if (split !== undefined && !Number.isFinite(/^\d+$/.test(split) ? Number(split) : Date.parse(split))) throw usage('--split', `expected an ISO date or ms, got "${split}"`);
  if (split !== undefined && f.walkForward !== undefined) throw usage('--walk-forward', 'cannot be combined with --split');
  const folds = f.walkForward === undefined ? null : parseFolds(f.walkForward);
  const data = f.data.map((d) => resolve(d));
  const walk: WalkWindow[] | null = folds === null ? null : (() => {
    const r = replayRange(data, baseReplay);
    return walkWindows(r.from, r.to, folds);
  })();
  const windows: ReadonlyArray<readonly [string, Record<string, unknown>]> =
    walk !== null ? walk.map((w) => [`w${w.index}`, { from: w.from, to: w.to }] as const) : split === undefined ? [['train', {}]] : [['train', { to: split }], ['test', { from: split }]];
  const dir = mkdtempSync(join(tmpdir(), 'dnbot-sweep-'));
  const bin = dnbotBin();
  const started = clock.now();
  try {
    const tasks = points.flatMap((point, i) =>
      windows.map(([name, window]) => async (): Promise<{ i: number; name: string; r: SweepRunResult | null; error?: string }> => {
        const cfg = configFor({ ...base, api: { enabled: false } }, point);
        const replay = { ...baseReplay, ...((cfg['replay'] as Record<string, unknown> | undefined) ?? {}), ...window };
        try {
          return { i, name, r: await runChild(bin, { ...cfg, replay }, data, dir, `p${i}-${name}`) };
        } catch (err) {
          return { i, name, r: null, error: err instanceof Error ? err.message : String(err) };
        } finally {
          rmSync(join(dir, `p${i}-${name}.db`), { force: true });
          rmSync(join(dir, `p${i}-${name}.db-wal`), { force: true });
          rmSync(join(dir, `p${i}-${name}.db-shm`), { force: true });
        }
      }),
    );
    io.err(`sweep: ${points.length} combinations × ${windows.length} window${windows.length > 1 ? 's' : ''} = ${tasks.length} replays, ${jobs} at a time`);
    const outcomes = await pool(tasks, jobs, (done) => io.err(progressLine(done, tasks.length, (clock.now() - started) / 1000)));
    const rows: SweepRow[] = points.map((point: GridPoint, i) => {
      const mine = outcomes.filter((o) => o.i === i);
      const error = mine.find((o) => o.error !== undefined)?.error;
      // Walk-forward: a row's figures are its windows' together (in sample, for the table).
      const train = walk !== null ? combineRuns(walk.map((w) => mine.find((o) => o.name === `w${w.index}`)?.r ?? null)) : mine.find((o) => o.name === 'train')?.r ?? null;
      return { index: i, point, train, test: mine.find((o) => o.name === 'test')?.r ?? null, ...(error !== undefined ? { error } : {}) };
    });
    const ranked = rankRows(rows);
    const wf =
      walk === null
        ? null
        : walkForward(
            points,
            points.map((_, i) => walk.map((w) => outcomes.find((o) => o.i === i && o.name === `w${w.index}`)?.r ?? null)),
            walk,
          );
    const doc = {
      grid: f.grid,
      config: f.config ?? DEFAULT_CONFIG_PATH,
      split: split ?? null,
      rows: ranked.map((r, k) => ({ rank: k + 1, parameters: Object.fromEntries(r.point), train: r.train, test: r.test, ...(r.error ? { error: r.error } : {}) })),
      ...(wf !== null
        ? {
            walkForward: {
              windows: wf.windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() })),
              folds: wf.folds.map((x) => ({ fold: x.fold, train: { from: new Date(x.train.from).toISOString(), to: new Date(x.train.to).toISOString() }, test: { from: new Date(x.test.from).toISOString(), to: new Date(x.test.to).toISOString() }, parameters: x.point ? Object.fromEntries(x.point) : null, trainResult: x.trainResult, testResult: x.testResult })),
              outOfSample: wf.outOfSample,
            },
          }
        : {}),
    };
    if (f.out !== undefined) {
      writeFileSync(`${f.out}.csv`, sweepCsv(ranked));
      writeFileSync(`${f.out}.json`, JSON.stringify(doc, null, 2) + '\n');
    }
    if (f.json) io.out(JSON.stringify(doc));
    else {
      for (const line of formatSweep(ranked, split !== undefined)) io.out(line);
      if (wf !== null) for (const line of formatWalkForward(wf)) io.out(line);
    }
    return EXIT_OK;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
