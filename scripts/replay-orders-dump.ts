// Runs the six-week 2021 ETH/SOL replay (or up to argv[3], an ISO date) as the replay bench does
// and writes every row of orders, fills, round trips, sizing steps and risk snapshots, in row order, to argv[2]: two dumps of
// the same seed must be byte-identical before and after a speed change (`cmp a b`).
// `--sim-seed N` runs one simulated day of seed N instead (the sim pipeline's check).
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { LiveClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { compose } from '../src/cli/compose.js';
import { parseConfig } from '../src/cli/config-loader.js';

const out = process.argv[2];
const floor = process.argv.includes('--floor');
const simSeedAt = process.argv.indexOf('--sim-seed');
const simSeed = simSeedAt > 0 ? Number(process.argv[simSeedAt + 1]) : null;
const to = process.argv.slice(3).find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--sim-seed');
if (!out) throw new Error('usage: tsx scripts/replay-orders-dump.ts OUT [TO_ISO_DATE] [--sim-seed N] [--floor]');
const DATA = resolve(process.cwd(), '../shared/data/candles/binance-spot-2021-1m');
const db = join(mkdtempSync(join(tmpdir(), 'dnbot-dump-')), 'r.db');
const tc = performance.now();
const config =
  simSeed !== null
    ? parseConfig({ db, seed: simSeed, run: { speed: 'max', durationMs: 86_400_000 } })
    : parseConfig({ db, venue: 'replay', mode: 'replay', run: { speed: 'max' }, ...(to ? { replay: { to } } : {}) });
const replay = simSeed !== null ? {} : { replay: [{ path: join(DATA, 'ETH_USDT-1m.json') }, { path: join(DATA, 'SOL_USDT-1m.json') }] };
const c = await compose({ config, logger: silentLogger, wall: new LiveClock(), ...replay });
const t0 = performance.now();
const u0 = process.cpuUsage();
const cpuMs = (): number => {
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1e3;
};
if (floor) {
  const src = c.source as { next(): unknown };
  let n = 0;
  while (src.next() !== null) n++;
  const t1 = performance.now();
  process.stderr.write(`floor: compose ${(t0 - tc).toFixed(0)} ms, ${n} events in ${(t1 - t0).toFixed(0)} ms, CPU ${cpuMs().toFixed(0)} ms\n`);
  process.exit(0);
}
await c.runtime.run();
const ms = performance.now() - t0;
const cpu = cpuMs();
c.store.close();
const d = new Database(db, { readonly: true });
const lines: string[] = [];
for (const table of ['orders', 'fills', 'round_trips', 'sizing_steps', 'risk_snapshots']) {
  const rows = d.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  lines.push(`# ${table}: ${rows.length}`);
  for (const r of rows) lines.push(JSON.stringify(r));
}
d.close();
writeFileSync(out, lines.join('\n') + '\n');
process.stderr.write(`pipeline ${ms.toFixed(0)} ms, CPU ${cpu.toFixed(0)} ms; ${lines.length} lines to ${out}\n`);
