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

// The bot's event rate over six simulated hours (long enough that the 600 GET/s load is felt for
// over a second of wall time), alone and while a client on loopback asks GET /status about 600
// times a second (from its own thread). The printed drop compares the mean rate of each row's
// runs: the target is under 20%. Reads are served from a document rebuilt at most every 250 ms.
const RUN_MS = 6 * 60 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'dnbot-api-bench-'));
let run = 0;
const rates: Record<string, number[]> = {};
const mean = (xs: readonly number[] | undefined): number => (xs && xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** A load generator on its own thread: `perTick` GETs every 10 ms, not waiting for answers. */
function startLoad(port: number, perSecond: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const url = 'http://127.0.0.1:' + workerData.port + '/status';
    const perTick = Math.max(1, Math.round(workerData.perSecond / 100));
    setInterval(() => { for (let i = 0; i < perTick; i++) fetch(url).then((r) => r.arrayBuffer()).catch(() => {}); }, 10);
  `;
  return new Worker(code, { eval: true, workerData: { port, perSecond } });
}

async function runBot(label: string, getsPerSecond: number): Promise<void> {
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
  (rates[label] ??= []).push(c.runtime.stats.eventsProcessed / secs);
  const alone = mean(rates['alone']);
  const loaded = mean(rates['loaded']);
  if (label === 'loaded' && alone > 0) {
    console.log(`status API load: ${alone.toFixed(0)} events/s alone, ${loaded.toFixed(0)} under ~${getsPerSecond} GET/s (mean of ${rates['alone']!.length} and ${rates['loaded']!.length} runs; drop ${(100 * (1 - loaded / alone)).toFixed(1)}%, target < 20%)`);
  }
}

describe('bot event rate under status API reads', () => {
  bench('bot alone', () => runBot('alone', 0), { iterations: 3, warmupIterations: 1 });
  bench('bot while a client sends ~600 GET /status per second', () => runBot('loaded', 600), { iterations: 3, warmupIterations: 1 });
});
