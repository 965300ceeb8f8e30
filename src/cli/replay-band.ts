import { ConfigError, ErrorCodes } from '../core/errors.js';
import { formatBand, formatBandLine, pathBand, type PathBand, type PathResult } from '../metrics/path-band.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { replayOne, type CompareFlags, type CompareResult, type ReplayWindowFlags } from './compare-command.js';
import { parseConfig, readConfigFile } from './config-loader.js';
import { DEFAULT_CONFIG_PATH } from './run-command.js';
import { applyRunFlags, parseSeed } from './run-flags.js';

/** Most paths a band may ask for. */
export const MAX_BAND_PATHS = 100;

/** One configuration's band: each path's result and the spread. */
export interface BandResult {
  readonly config: string;
  readonly marketStart: string | null;
  readonly marketEnd: string | null;
  readonly paths: readonly PathResult[];
  readonly band: PathBand;
}

/** `--paths N`: an integer in [1, 100]. @throws E_CLI_USAGE naming `--paths`. */
export function parsePaths(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BAND_PATHS) {
    throw new ConfigError('--paths', `expected a whole number of bridge paths from 1 to ${MAX_BAND_PATHS}, got "${text}"`, ErrorCodes.CLI_USAGE);
  }
  return n;
}

/**
 * The first bridge seed: the configuration's `replay.pathSeed`, else `--seed`, else its `seed`.
 * Path k (0-based) uses that + k, so a band is reproducible and its paths differ.
 * @throws ConfigError naming the field when the configuration is invalid (exit code 2).
 */
export function baseSeed(configPath: string | undefined, seedFlag: string | undefined): number {
  const raw = readConfigFile(configPath, DEFAULT_CONFIG_PATH);
  const cfg = parseConfig(applyRunFlags(raw, seedFlag !== undefined ? { seed: seedFlag } : {}, 'replay'));
  return cfg.replay.pathSeed ?? (seedFlag !== undefined ? parseSeed(seedFlag) : cfg.seed);
}

function toPathResult(r: CompareResult, intrabar: 'bridge' | 'adverse', pathSeed: number | null): PathResult {
  return {
    label: intrabar === 'adverse' ? 'adverse' : `bridge seed ${pathSeed}`,
    intrabar,
    pathSeed,
    volumeUsd: r.row.volumeUsd,
    netBpsPerVolume: r.row.netBpsPerVolume,
    pnlUsd: r.row.pnlUsd,
    makerShare: r.row.makerShare,
    roundTrips: r.row.roundTrips,
    maxNakedUsd: r.summary.neutrality.maxNakedUsd,
    maxGrossUsd: r.summary.neutrality.maxGrossUsd,
    twAbsNetDeltaShare: r.summary.neutrality.twAbsNetDeltaShare,
    costs: r.summary.costs,
  };
}

/**
 * Replays one configuration over `paths` seeded bridge paths and then the adverse path, each on
 * its own fresh temp database, one after the other, and summarises them as a band.
 */
export async function replayBand(
  configPath: string | undefined,
  f: ReplayWindowFlags & { readonly seed?: string; readonly duration?: string },
  paths: number,
  io: CliIo,
  label: string,
): Promise<BandResult> {
  const base = baseSeed(configPath, f.seed);
  const results: PathResult[] = [];
  let first: CompareResult | null = null;
  const duration = f.duration !== undefined ? { duration: f.duration } : {};
  for (let k = 0; k < paths; k++) {
    const pathSeed = (base + k) % 2_147_483_648;
    const r = await replayOne(configPath, f, io, `${label} bridge ${k + 1}/${paths} (seed ${pathSeed})`, { replay: { intrabar: 'bridge', pathSeed }, ...duration });
    first ??= r;
    results.push(toPathResult(r, 'bridge', pathSeed));
  }
  const adverse = await replayOne(configPath, f, io, `${label} adverse`, { replay: { intrabar: 'adverse' }, ...duration });
  results.push(toPathResult(adverse, 'adverse', null));
  const s = (first ?? adverse).summary;
  return { config: configPath ?? DEFAULT_CONFIG_PATH, marketStart: s.marketStart, marketEnd: s.marketEnd, paths: results, band: pathBand(results) };
}

function printBand(io: CliIo, title: string, b: BandResult): void {
  io.out(`${title}: ${b.paths.length - 1} bridge paths + adverse, ${b.marketStart ?? '-'} → ${b.marketEnd ?? '-'}`);
  for (const line of formatBand(b.paths, b.band)) io.out(`  ${line}`);
}

/** `dnbot replay --paths N`: one configuration's band; `--json` prints the `BandResult`. */
export async function replayBandCommand(
  f: ReplayWindowFlags & { readonly config?: string; readonly seed?: string; readonly duration?: string; readonly json?: boolean; readonly paths: string },
  io: CliIo,
): Promise<number> {
  const n = parsePaths(f.paths);
  const b = await replayBand(f.config, f, n, io, 'band');
  if (f.json) io.out(JSON.stringify(b));
  else printBand(io, b.config, b);
  return EXIT_OK;
}

/** `dnbot compare --paths N`: both configurations' bands; `--json` prints `{ a, b }`. */
export async function compareBands(f: CompareFlags, io: CliIo): Promise<number> {
  const n = parsePaths(f.paths ?? '');
  const a = await replayBand(f.a, f, n, io, 'A');
  const b = await replayBand(f.b, f, n, io, 'B');
  if (f.json) {
    io.out(JSON.stringify({ a, b }));
    return EXIT_OK;
  }
  printBand(io, `A = ${f.a}`, a);
  printBand(io, `B = ${f.b}`, b);
  io.out(`A ${formatBandLine(a.band)}`);
  io.out(`B ${formatBandLine(b.band)}`);
  return EXIT_OK;
}
