import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, bench, describe } from 'vitest';
import { freshDistEntry } from '../../bin/dist-freshness.js';

// `dnbot --help` and `dnbot status` against the floor of starting node at all (`node -e 0`), in the
// same run. Compiled (dist/, built by `npm install` or `npm run build`) and through tsx (a checkout
// whose sources changed since the last build). Target: each ≤ 6× the floor compiled.
// `status` reads a small database made once here: 30 simulated minutes at --speed max.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/dnbot.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}): void => {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
};
const opts = { iterations: 4, warmupIterations: 1, time: 0 };
const compiled = freshDistEntry(root) !== null;
if (!compiled) console.warn('dist/ is missing or stale: run `npm run build` to bench the compiled start-up');

const dir = mkdtempSync(join(tmpdir(), 'dnbot-startup-'));
const db = join(dir, 'status.db');
run([bin, 'run', '--duration', '30m', '--speed', 'max', '--seed', '1', '--db', db, '--log-level', 'silent', '--json']);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start-up: dnbot --help and dnbot status', () => {
  bench('floor: node -e 0', () => run(['-e', '0']), opts);
  bench.skipIf(!compiled)('dnbot --help, compiled (dist/)', () => run([bin, '--help']), opts);
  bench.skipIf(!compiled)('dnbot status, compiled (dist/)', () => run([bin, 'status', '--db', db]), opts);
  bench.skipIf(!compiled)('dnbot status --json, compiled (dist/)', () => run([bin, 'status', '--db', db, '--json']), opts);
  bench('dnbot --help, sources through tsx', () => run([bin, '--help'], { DNBOT_NO_DIST: '1' }), opts);
  bench('dnbot status, sources through tsx', () => run([bin, 'status', '--db', db], { DNBOT_NO_DIST: '1' }), opts);
});
