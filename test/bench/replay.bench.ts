import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bench, describe } from 'vitest';
import { loadBenchBuild } from './bench-build.js';

// The six weeks of 2021 ETH/SOL candles in ../shared (1.46M events). Floor: loading the candles
// and generating the replay's events alone. The pipeline row runs the bots over them at full
// speed; beside it, the wall time per event of the last tenth of the run against the first tenth
// (a cost that grows with history shows as a ratio above 1). Each row also prints its wall and CPU
// time (compose included) to stderr. DNBOT_BENCH_REPLAY_TO (ISO date) shortens the window;
// DNBOT_BENCH_REPLAY_RUNS (default 1) runs each row that many times: the first run of a process
// carries V8's warm-up (its first tenth is several times slower than the rest), the later ones show
// the steady state a long replay runs at. Both rows run dist/ when fresh, which is what `dnbot`
// runs (DNBOT_BENCH_BUILD, test/bench/bench-build.ts).
const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const present = existsSync(join(DATA, 'ETH_USDT-1m.json'));
if (!present) console.warn(`skipping the replay bench: ${DATA} not found (../shared beside the checkout)`);
const replay = [{ path: join(DATA, 'ETH_USDT-1m.json') }, { path: join(DATA, 'SOL_USDT-1m.json') }];
const to = process.env['DNBOT_BENCH_REPLAY_TO'];
const runs = Math.max(1, Math.floor(Number(process.env['DNBOT_BENCH_REPLAY_RUNS'] ?? 1)) || 1);
const dir = mkdtempSync(join(tmpdir(), 'dnbot-bench-replay-'));
const { compose, parseConfig, LiveClock, silentLogger, isLiveSource, label } = await loadBenchBuild();
let run = 0;

/** Wall and CPU time since `t0`/`u0`, and events per second of each: CPU time is what a busy machine inflates least. */
function report(t0: number, u0: NodeJS.CpuUsage, n: number): string {
  const wall = performance.now() - t0;
  const u = process.cpuUsage(u0);
  const cpu = (u.user + u.system) / 1e3;
  return `wall ${wall.toFixed(0)} ms (${((n / wall) * 1e3).toFixed(0)} events/s), CPU ${cpu.toFixed(0)} ms (${((n / cpu) * 1e3).toFixed(0)} events/s)`;
}

async function composeReplay() {
  const config = parseConfig({ db: join(dir, `r${run++}.db`), venue: 'replay', mode: 'replay', run: { speed: 'max' }, ...(to ? { replay: { to } } : {}) });
  return compose({ config, logger: silentLogger, wall: new LiveClock(), replay });
}

describe.skipIf(!present)(`replay of six weeks of 2021 candles, ${label}`, () => {
  bench(
    'floor: load the candles and generate the replay events',
    async () => {
      const t0 = performance.now();
      const u0 = process.cpuUsage();
      const c = await composeReplay();
      const src = c.source;
      if (isLiveSource(src)) throw new Error('replay source expected');
      let n = 0;
      while (src.next() !== null) n++;
      c.store.close();
      if (n < 100_000) throw new Error('too few events');
      process.stderr.write(`floor: ${n} events; ${report(t0, u0, n)}\n`);
    },
    { iterations: runs, warmupIterations: 0, warmupTime: 0, time: 0 },
  );

  bench(
    'full replay pipeline (and per-event wall time, last tenth ÷ first tenth)',
    async () => {
      const t0 = performance.now();
      const u0 = process.cpuUsage();
      const c = await composeReplay();
      const src = c.source;
      if (isLiveSource(src)) throw new Error('replay source expected');
      // Stamp the wall every 1,000 events the runtime pulls.
      const stamps: number[] = [performance.now()];
      const next = src.next.bind(src);
      let n = 0;
      src.next = () => {
        if (++n % 1_000 === 0) stamps.push(performance.now());
        return next();
      };
      await c.runtime.run();
      c.store.close();
      const k = Math.floor((stamps.length - 1) / 10);
      const first = (stamps[k]! - stamps[0]!) / (k * 1_000);
      const last = (stamps[stamps.length - 1]! - stamps[stamps.length - 1 - k]!) / (k * 1_000);
      process.stderr.write(`pipeline: ${n} events; ${report(t0, u0, n)}\n`);
      process.stderr.write(`replay: ${n} events; µs per event, first tenth ${(first * 1e3).toFixed(2)}, last tenth ${(last * 1e3).toFixed(2)}: ratio ${(last / first).toFixed(2)}\n`);
    },
    { iterations: runs, warmupIterations: 0, warmupTime: 0, time: 0 },
  );
});
