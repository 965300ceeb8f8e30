import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { SimMarket } from '../../adapters/sim/sim-market.js';
import { simMarketConfigSchema } from '../../adapters/sim/sim-config.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';

// Six simulated hours: ~263k events. The floor is generating them; the pipeline adds strategy,
// sizing, risk, paper matching and SQLite (start-up included). Compare the two rows' hz: their
// ratio is the overhead. Each pipeline run also prints the best CPU time of each row so far (what
// a busy machine inflates least), in events per CPU second, and the ratio of the two.
const SPAN = 6 * 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-'));
const sim = simMarketConfigSchema.parse({});
let run = 0;
let events = 0;
const best = { floor: Infinity, pipeline: Infinity };

function cpuMs(u0: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1e3;
}

describe('events per second over six simulated hours', () => {
  bench(
    'floor: generate the simulated market events alone',
    () => {
      const u0 = process.cpuUsage();
      const market = new SimMarket({ config: sim, seed: 1, endTs: sim.startTs + SPAN });
      let n = 0;
      while (market.next() !== null) n++;
      best.floor = Math.min(best.floor, cpuMs(u0));
      events = n;
      if (n < 100_000) throw new Error('too few events');
    },
    { iterations: 5, warmupIterations: 1 },
  );

  bench(
    'full pipeline: strategy + sizing + risk + paper fills + SQLite',
    async () => {
      const u0 = process.cpuUsage();
      const config = parseConfig({ db: join(dir, `p${run++}.db`), seed: 1, run: { speed: 'max', durationMs: SPAN } });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
      await c.runtime.run();
      c.store.close();
      best.pipeline = Math.min(best.pipeline, cpuMs(u0));
      if (c.runtime.stats.eventsProcessed < 100_000) throw new Error('too few events');
      const rate = (ms: number): string => `${(events / ms).toFixed(0)}k events/s`;
      process.stderr.write(
        `pipeline: ${events} events; best CPU so far: floor ${best.floor.toFixed(0)} ms (${rate(best.floor)}), ` +
          `full pipeline ${best.pipeline.toFixed(0)} ms (${rate(best.pipeline)}): ${(best.pipeline / best.floor).toFixed(2)}× the floor\n`,
      );
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
