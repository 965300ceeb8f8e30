import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { freshDistEntry } from '../../bin/dist-freshness.js';

// `dnbot --help` against the floor of starting node at all (`node -e 0`), in the same run.
// Compiled (dist/, built by `npm install` or `npm run build`) and through tsx (a checkout whose
// sources changed since the last build). Target: compiled ≤ 0.5 s, a small multiple of the floor.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/dnbot.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}): void => {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
};
const opts = { iterations: 5, warmupIterations: 1, time: 0 };
const compiled = freshDistEntry(root) !== null;
if (!compiled) console.warn('dist/ is missing or stale: run `npm run build` to bench the compiled start-up');

describe('start-up: dnbot --help', () => {
  bench('floor: node -e 0', () => run(['-e', '0']), opts);
  bench.skipIf(!compiled)('dnbot --help, compiled (dist/)', () => run([bin, '--help']), opts);
  bench('dnbot --help, sources through tsx', () => run([bin, '--help'], { DNBOT_NO_DIST: '1' }), opts);
});
