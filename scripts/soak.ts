/**
 * `npm run soak -- --kills 200 [--seed N] [--max-life-ms MS] [--dir DIR]`: the crash soak (see
 * test/soak/crash-soak.ts). Exit 0 when every invariant held, 1 otherwise, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { runSoak } from '../test/soak/crash-soak.js';

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`soak: --${name}: expected an integer ≥ 1, got "${v}"\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: { kills: { type: 'string' }, seed: { type: 'string' }, 'max-life-ms': { type: 'string' }, dir: { type: 'string' } },
});
const kills = positiveInt('kills', values.kills, 200);
const started = Date.now();
const report = await runSoak({
  kills,
  seed: positiveInt('seed', values.seed, 1),
  maxLifeMs: positiveInt('max-life-ms', values['max-life-ms'], 1_500),
  ...(values.dir ? { dir: values.dir } : {}),
  log: (l) => process.stderr.write(`${l}\n`),
});
const secs = ((Date.now() - started) / 1000).toFixed(0);
process.stdout.write(`soak: ${report.kills} kills, ${report.restarts} restarts in ${secs}s on ${report.databases.join(', ')}\n`);
for (const f of report.failures) process.stdout.write(`FAIL ${f}\n`);
process.stdout.write(report.failures.length === 0 ? 'soak: every invariant held\n' : `soak: ${report.failures.length} invariants broken\n`);
process.exitCode = report.failures.length === 0 ? 0 : 1;
