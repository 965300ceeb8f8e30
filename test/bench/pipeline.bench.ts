import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { loadBenchBuild } from './bench-build.js';

// One simulated day, seed 1: 1.05M events. The floor is generating them; the pipeline adds
// strategy, sizing, risk, paper matching and SQLite (start-up and shutdown included). Compare the
// two rows' hz: their ratio is the overhead. Each pipeline run also prints the best CPU time of each
// row so far (what a busy machine inflates least), in events per CPU second, and the ratio of the
// two. Both rows run the same build: dist/ when fresh, which is what `dnbot` runs
// (DNBOT_BENCH_BUILD, test/bench/bench-build.ts). DNBOT_BENCH_SIM_HOURS shortens or lengthens the
// span (24).
const build = await loadBenchBuild();
const hours = Number(process.env['DNBOT_BENCH_SIM_HOURS'] ?? 24);
if (!(hours > 0)) throw new Error(`DNBOT_BENCH_SIM_HOURS: expected a number of hours above 0, got ${process.env['DNBOT_BENCH_SIM_HOURS']}`);
const SPAN = hours * 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-'));
const sim = build.simMarketConfigSchema.parse({});
let run = 0;
let events = 0;
const best = { floor: Infinity, pipeline: Infinity };

function cpuMs(u0: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1e3;
}

describe(`events per second over ${hours} simulated hours, ${build.label}`, () => {
  bench(
    'floor: generate the simulated market events alone',
    () => {
      const u0 = process.cpuUsage();
      const market = new build.SimMarket({ config: sim, seed: 1, endTs: sim.startTs + SPAN });
      let n = 0;
      while (market.next() !== null) n++;
      best.floor = Math.min(best.floor, cpuMs(u0));
      events = n;
      if (n < 1_000) throw new Error('too few events');
    },
    { iterations: 5, warmupIterations: 1 },
  );

  bench(
    'full pipeline: strategy + sizing + risk + paper fills + SQLite',
    async () => {
      const u0 = process.cpuUsage();
      const config = build.parseConfig({ db: join(dir, `p${run++}.db`), seed: 1, run: { speed: 'max', durationMs: SPAN } });
      const c = await build.compose({ config, logger: build.silentLogger, wall: new build.LiveClock() });
      await c.runtime.run();
      c.store.close();
      best.pipeline = Math.min(best.pipeline, cpuMs(u0));
      if (c.runtime.stats.eventsProcessed !== events) throw new Error(`the pipeline saw ${c.runtime.stats.eventsProcessed} events, the floor ${events}`);
      const rate = (ms: number): string => `${(events / ms).toFixed(0)}k events/s`;
      process.stderr.write(
        `pipeline (${build.label}): ${events} events; best CPU so far: floor ${best.floor.toFixed(0)} ms (${rate(best.floor)}), ` +
          `full pipeline ${best.pipeline.toFixed(0)} ms (${rate(best.pipeline)}): ${(best.pipeline / best.floor).toFixed(2)}× the floor\n`,
      );
    },
    { iterations: 5, warmupIterations: 1 },
  );
});
