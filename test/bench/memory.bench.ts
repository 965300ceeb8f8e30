import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bench, describe } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { wrappedSource } from '../support/wrapped-source.js';

// Memory over a long simulated run: the default bots on the simulated market for 30 days at max
// speed (DNBOT_BENCH_MEMORY_DAYS shortens it), with the heap measured after a full GC once the
// first simulated hour is through (start-up and warm-up done), then every 5 days and at the end.
// Flat means the end is within a few MB of the start: nothing the run keeps grows with its length.
const DAY = 86_400_000;
const days = Number(process.env['DNBOT_BENCH_MEMORY_DAYS'] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-memory-'));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  readonly day: number;
  readonly heapMb: number;
  readonly rssMb: number;
}

function sample(day: number): Sample {
  gc();
  const m = process.memoryUsage();
  return { day, heapMb: m.heapUsed / 1e6, rssMb: m.rss / 1e6 };
}

/** Forwards `s`, taking a sample after the first simulated hour and at every 5th day boundary. */
function sampled(s: MarketDataSource, out: Sample[]): MarketDataSource {
  const marks = [s.startTs + 3_600_000];
  for (let d = 5; d < days; d += 5) marks.push(s.startTs + d * DAY);
  let k = 0;
  return wrappedSource(s, (): MarketEvent | null => {
    const ev = s.next();
    while (ev !== null && k < marks.length && ev.ts >= marks[k]!) out.push(sample((marks[k++]! - s.startTs) / DAY));
    return ev;
  });
}

describe(`memory over ${days} simulated days`, () => {
  bench(
    'heap after GC: after the first hour, every 5 days, at the end',
    async () => {
      const samples: Sample[] = [];
      const config = parseConfig({ db: join(dir, `m${Date.now()}.db`), seed: 3, run: { speed: 'max', durationMs: days * DAY } });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: (s) => sampled(s, samples) });
      await c.runtime.run();
      samples.push(sample(days));
      c.store.close();
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const lines = samples.map((x) => `  day ${x.day.toFixed(2).padStart(6)}: heap ${x.heapMb.toFixed(1)} MB, rss ${x.rssMb.toFixed(0)} MB`);
      lines.push(`memory: ${c.runtime.stats.eventsProcessed} events; heap after GC ${first.heapMb.toFixed(1)} MB after the first hour, ${last.heapMb.toFixed(1)} MB at the end (${(last.heapMb - first.heapMb).toFixed(1)} MB)`);
      process.stderr.write(`${lines.join('\n')}\n`);
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
});
