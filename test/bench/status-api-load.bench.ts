import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bench, describe } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';

// The bot's event rate over six simulated hours (long enough that the load is felt for over a
// second of wall time), alone and while a client on loopback asks GET /status about 600 times a
// second and GET /metrics 10 times a second (from its own thread, over keep-alive connections as
// browsers and Prometheus do). Each iteration runs the bot alone, then under load, back to back:
// the printed drop is the median over the pairs, so a machine whose load moves between runs moves
// both halves of a pair alike. The target is under 20%. Reads are served from documents rebuilt at
// most every api.readCacheMs (250 ms).
const RUN_MS = 6 * 60 * 60_000;
const GETS_PER_SECOND = 600;
const dir = mkdtempSync(join(tmpdir(), 'dnbot-api-bench-'));
let run = 0;
let pairs = 0;
const drops: number[] = [];
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A load generator on its own thread: `perTick` GET /status and a GET /metrics every tenth tick, every 10 ms, not waiting for answers. */
function startLoad(port: number, perSecond: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const get = (path) => http.get({ host: '127.0.0.1', port: workerData.port, path, agent }, (res) => res.resume()).on('error', () => {});
    const perTick = Math.max(1, Math.round(workerData.perSecond / 100));
    let tick = 0;
    setInterval(() => {
      for (let i = 0; i < perTick; i++) get('/status');
      if (++tick % 10 === 0) get('/metrics');
    }, 10);
  `;
  return new Worker(code, { eval: true, workerData: { port, perSecond } });
}

/** Events per wall second of one run, with `getsPerSecond` reads against its API (0: none). */
async function rate(getsPerSecond: number): Promise<number> {
  const config = parseConfig({ db: join(dir, `b${run++}.db`), seed: 1, run: { speed: 'max', durationMs: RUN_MS }, api: { port: 0 } });
  const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
  const api = new ApiServer({ host: '127.0.0.1', port: 0, logger: silentLogger, handlers: apiHandlers(c, config), readCacheMs: config.api.readCacheMs });
  const port = (await api.start())!;
  const load = getsPerSecond > 0 ? startLoad(port, getsPerSecond) : null;
  const t0 = performance.now();
  await c.runtime.run();
  const secs = (performance.now() - t0) / 1000;
  await load?.terminate();
  await api.stop();
  c.store.close();
  return c.runtime.stats.eventsProcessed / secs;
}

describe('bot event rate under status API reads', () => {
  bench(
    `bot alone, then while a client sends ~${GETS_PER_SECOND} GET /status (and 10 GET /metrics) per second`,
    async () => {
      const alone = await rate(0);
      const loaded = await rate(GETS_PER_SECOND);
      // The first pair warms the JIT up (its bot alone runs cold): not counted.
      if (pairs++ === 0) return;
      drops.push(1 - loaded / alone);
      const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
      console.log(`status API load: ${alone.toFixed(0)} events/s alone, ${loaded.toFixed(0)} under ~${GETS_PER_SECOND} GET/s: drop ${pct(1 - loaded / alone)}; median over ${drops.length} pairs ${pct(median(drops))} (runs ${drops.map(pct).join(', ')}), target < 20%`);
    },
    { iterations: 5, warmupIterations: 0 },
  );
});
