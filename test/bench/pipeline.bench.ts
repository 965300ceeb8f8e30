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

// One simulated hour: ~44k events. The floor is generating them; the pipeline adds strategy,
// sizing, risk, paper matching and SQLite. Compare the two rows' hz: their ratio is the overhead.
const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-'));
let run = 0;

describe('events per second over one simulated hour', () => {
  bench(
    'floor: generate the simulated market events alone',
    () => {
      const sim = new SimMarket({ config: simMarketConfigSchema.parse({}), seed: 1, endTs: simMarketConfigSchema.parse({}).startTs + HOUR });
      let n = 0;
      while (sim.next() !== null) n++;
      if (n < 10_000) throw new Error('too few events');
    },
    { iterations: 5, warmupIterations: 1 },
  );

  bench(
    'full pipeline: strategy + sizing + risk + paper fills + SQLite',
    async () => {
      const config = parseConfig({ db: join(dir, `p${run++}.db`), seed: 1, run: { speed: 'max', durationMs: HOUR } });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
      await c.runtime.run();
      c.store.close();
      if (c.runtime.stats.eventsProcessed < 10_000) throw new Error('too few events');
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
