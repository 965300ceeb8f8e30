import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshDistEntry } from '../../bin/dist-freshness.js';
import type * as SimMarketModule from '../../adapters/sim/sim-market.js';
import type * as SimConfigModule from '../../adapters/sim/sim-config.js';
import type * as ClockModule from '../../src/core/clock.js';
import type * as LoggerModule from '../../src/core/logger.js';
import type * as VenueModule from '../../src/core/venue.js';
import type * as ComposeModule from '../../src/cli/compose.js';
import type * as ConfigLoaderModule from '../../src/cli/config-loader.js';

/**
 * What a bench runs: the compiled JavaScript in dist/ that `dnbot` itself runs (`npm install` and
 * `npm run build` make it), or the TypeScript sources as vitest transforms them. vitest's
 * transform reaches every imported binding through a module object, which costs the simulated
 * pipeline a quarter to a third more time: the figure users get is the compiled one.
 *
 * `DNBOT_BENCH_BUILD`: `dist` (fails unless dist/ is fresh), `src`, or unset: dist/ when it is newer
 * than every source file, else the sources.
 */
export interface BenchBuild {
  readonly label: string;
  /** `module` (`adapters/sim/sim-market`, ...) as a file URL node can import: the compiled file, or null with the sources (only vitest can load those). */
  readonly distUrl: (module: string) => string | null;
  readonly SimMarket: typeof SimMarketModule.SimMarket;
  readonly simMarketConfigSchema: typeof SimConfigModule.simMarketConfigSchema;
  readonly LiveClock: typeof ClockModule.LiveClock;
  readonly silentLogger: typeof LoggerModule.silentLogger;
  readonly isLiveSource: typeof VenueModule.isLiveSource;
  readonly compose: typeof ComposeModule.compose;
  readonly parseConfig: typeof ConfigLoaderModule.parseConfig;
}

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The build named by `DNBOT_BENCH_BUILD` (see {@link BenchBuild}). */
export async function loadBenchBuild(): Promise<BenchBuild> {
  const wanted = process.env['DNBOT_BENCH_BUILD'];
  if (wanted !== undefined && wanted !== 'dist' && wanted !== 'src') throw new Error(`DNBOT_BENCH_BUILD: expected dist or src, got ${JSON.stringify(wanted)}`);
  const fresh = freshDistEntry(ROOT) !== null;
  if (wanted === 'dist' && !fresh) throw new Error('DNBOT_BENCH_BUILD=dist: dist/ is missing or older than the sources; run npm run build');
  const useDist = wanted === 'dist' || (wanted === undefined && fresh);
  const from = useDist ? (rel: string) => pathToFileURL(join(ROOT, 'dist', `${rel}.js`)).href : (rel: string) => pathToFileURL(join(ROOT, `${rel}.ts`)).href;
  const [sim, simConfig, clock, logger, venue, composeModule, configLoader] = await Promise.all([
    import(from('adapters/sim/sim-market')) as Promise<typeof SimMarketModule>,
    import(from('adapters/sim/sim-config')) as Promise<typeof SimConfigModule>,
    import(from('src/core/clock')) as Promise<typeof ClockModule>,
    import(from('src/core/logger')) as Promise<typeof LoggerModule>,
    import(from('src/core/venue')) as Promise<typeof VenueModule>,
    import(from('src/cli/compose')) as Promise<typeof ComposeModule>,
    import(from('src/cli/config-loader')) as Promise<typeof ConfigLoaderModule>,
  ]);
  return {
    label: useDist ? 'compiled (dist/)' : 'TypeScript sources through vitest',
    distUrl: (rel) => (useDist ? from(rel) : null),
    SimMarket: sim.SimMarket,
    simMarketConfigSchema: simConfig.simMarketConfigSchema,
    LiveClock: clock.LiveClock,
    silentLogger: logger.silentLogger,
    isLiveSource: venue.isLiveSource,
    compose: composeModule.compose,
    parseConfig: configLoader.parseConfig,
  };
}
