import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { median } from 'simple-statistics';
import { bench, describe } from 'vitest';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { wrappedSource } from '../support/wrapped-source.js';
import { loadBenchBuild } from './bench-build.js';

// Memory and CPU over a long simulated run: the default bots on the simulated market for 30 days at
// max speed (DNBOT_BENCH_MEMORY_DAYS shortens it), with the heap measured after a full GC once the
// first simulated hour is through (start-up and warm-up done), then every 5 days and at the end.
// Flat means the end is within a few MB of the start: nothing the run keeps grows with its length.
//
// It also prints each simulated day's CPU time (the GCs of the heap samples left out) against the
// same day's events generated alone (the floor: the same market and seed, each day run in the same
// process right after the pipeline's, see FloorDays), so a cost that grew with the run's length
// would show as a rising ratio. The first days are dearer than the rest whatever the code does: V8
// optimises a function only once it has run often enough, and much of the pipeline (orders, fills,
// each minute's risk) runs a few hundred times a day, so it is compiled (on V8's own threads,
// counted here) and re-compiled over several simulated days. The days after that are what a long
// run or replay pays; a one-day run pays the first. Runs the compiled build when fresh, as the
// pipeline bench does (test/bench/bench-build.ts).
const DAY = 86_400_000;
const build = await loadBenchBuild();
const days = Number(process.env['DNBOT_BENCH_MEMORY_DAYS'] ?? 30);
if (!(days >= 1) || !Number.isInteger(days)) throw new Error(`DNBOT_BENCH_MEMORY_DAYS: expected a whole number of days, 1 or more, got ${process.env['DNBOT_BENCH_MEMORY_DAYS']}`);
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-memory-'));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  readonly day: number;
  readonly heapMb: number;
  readonly rssMb: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

/** CPU time per simulated day of a run, less what `pause` was told to leave out. */
class DayClock {
  readonly perDay: number[] = [];
  private dayStart = cpuMs();
  private left = 0;

  /** Leaves the CPU time of `fn` out of the current day. */
  pause<T>(fn: () => T): T {
    const t = cpuMs();
    try {
      return fn();
    } finally {
      this.left += cpuMs() - t;
    }
  }

  endDay(): void {
    const now = cpuMs();
    this.perDay.push(now - this.dayStart - this.left);
    this.dayStart = now;
    this.left = 0;
  }
}

function sample(day: number): Sample {
  gc();
  const m = process.memoryUsage();
  return { day, heapMb: m.heapUsed / 1e6, rssMb: m.rss / 1e6 };
}

/**
 * The floor, one day at a time: the same market and seed, its events generated and dropped. Each
 * day runs right after the pipeline's, so that a host whose speed drifts moves both alike.
 */
class FloorDays {
  readonly perDay: number[] = [];
  private readonly market: InstanceType<typeof build.SimMarket>;
  private nextDay: number;
  private ended = false;

  constructor() {
    const config = build.simMarketConfigSchema.parse({});
    this.market = new build.SimMarket({ config, seed: 3, endTs: config.startTs + days * DAY });
    this.nextDay = config.startTs + DAY;
  }

  /** Generates the next day's events (the first event past it is generated and dropped too). */
  day(): void {
    if (this.ended) return;
    const t = cpuMs();
    for (let ev = this.market.next(); ev !== null; ev = this.market.next()) if (ev.ts >= this.nextDay) break;
    this.perDay.push(cpuMs() - t);
    this.nextDay += DAY;
    if (this.perDay.length >= days) this.ended = true;
  }
}

/**
 * Forwards `s`, taking a heap sample after the first simulated hour and at every 5th day boundary,
 * and at each day boundary ending the day's CPU count and running the floor's day (neither counted
 * in the pipeline's days).
 */
function sampled(s: MarketDataSource, out: Sample[], clock: DayClock, floor: FloorDays): MarketDataSource {
  const marks = [s.startTs + 3_600_000];
  for (let d = 5; d < days; d += 5) marks.push(s.startTs + d * DAY);
  let k = 0;
  let nextDay = s.startTs + DAY;
  return wrappedSource(
    s,
    (): MarketEvent | null => {
      const ev = s.next();
      while (ev !== null && ev.ts >= nextDay) {
        clock.endDay();
        clock.pause(() => floor.day());
        nextDay += DAY;
      }
      while (ev !== null && k < marks.length && ev.ts >= marks[k]!) out.push(clock.pause(() => sample((marks[k++]! - s.startTs) / DAY)));
      return ev;
    },
    { soundEvents: true },
  );
}

describe(`memory and CPU over ${days} simulated days, ${build.label}`, () => {
  bench(
    'heap after GC: after the first hour, every 5 days, at the end; CPU per day against the floor',
    async () => {
      const samples: Sample[] = [];
      const clock = new DayClock();
      const floor = new FloorDays();
      const config = build.parseConfig({ db: join(dir, `m${Date.now()}.db`), seed: 3, run: { speed: 'max', durationMs: days * DAY } });
      const c = await build.compose({ config, logger: build.silentLogger, wall: new build.LiveClock(), wrapSource: (s) => sampled(s, samples, clock, floor) });
      await c.runtime.run();
      clock.endDay();
      floor.day();
      samples.push(sample(days));
      c.store.close();
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const lines = samples.map((x) => `  day ${x.day.toFixed(2).padStart(6)}: heap ${x.heapMb.toFixed(1)} MB, rss ${x.rssMb.toFixed(0)} MB`);
      lines.push(`memory: ${c.runtime.stats.eventsProcessed} events; heap after GC ${first.heapMb.toFixed(1)} MB after the first hour, ${last.heapMb.toFixed(1)} MB at the end (${(last.heapMb - first.heapMb).toFixed(1)} MB)`);
      // The run's last day ends with shutdown: it is left out of the medians.
      const n = Math.min(clock.perDay.length, floor.perDay.length, days);
      const ratios = clock.perDay.slice(0, n).map((ms, d) => ms / floor.perDay[d]!);
      lines.push(`CPU per simulated day, pipeline / floor (ms): ${clock.perDay.slice(0, n).map((ms, d) => `${ms.toFixed(0)}/${floor.perDay[d]!.toFixed(0)}`).join(' ')}`);
      // Days 2–7 and days 8 on, each without the last day.
      const early = ratios.slice(1, Math.min(7, n - 1));
      const settled = ratios.slice(7, n - 1);
      const med = (xs: readonly number[]): string => (xs.length > 0 ? `${median(xs).toFixed(2)}×` : '–');
      lines.push(`CPU ratio to the floor: day 1 (cold) ${ratios[0]!.toFixed(2)}×; days 2–7 median ${med(early)}; days 8 on median ${med(settled)} over ${settled.length} days (the last day, with shutdown, left out)`);
      process.stderr.write(`${lines.join('\n')}\n`);
    },
    { iterations: 1, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
});
