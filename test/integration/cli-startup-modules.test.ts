import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

// `dnbot --help` and `dnbot status` must start without a venue SDK: each costs seconds to load.
// The real binary runs (compiled dist/ when fresh, else the sources through tsx) under a preload
// that logs every module loaded, ESM and CommonJS.
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dnbot.js');
const preload = join(root, 'test', 'support', 'module-log.mjs');
const VENUE_SDKS = ['ccxt', '@drift-labs/sdk', '@solana/web3.js'];

let dir: string;
let db: string;
beforeAll(async () => {
  dir = tempDir('dnbot-startup-');
  db = join(dir, 'status.db');
  const r = await runCli(['run', '--duration', '10m', '--speed', 'max', '--seed', '1', '--db', db, '--json', '--log-level', 'silent']);
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadedModules(args: string[], name: string): string[] {
  const log = join(dir, `${name}.modules`);
  const r = spawnSync(process.execPath, ['--import', preload, bin, ...args], { cwd: root, env: { ...process.env, DNBOT_MODULE_LOG: log }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(existsSync(log)).toBe(true);
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
}

const packagesIn = (modules: string[]): Set<string> =>
  new Set(modules.flatMap((m) => {
    const i = m.lastIndexOf('node_modules/');
    if (i < 0) return [];
    const parts = m.slice(i + 'node_modules/'.length).split('/');
    return [parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!];
  }));

describe('start-up loads no venue SDK', () => {
  it('dnbot --help', () => {
    const modules = loadedModules(['--help'], 'help');
    // The log works: the CLI entry and commander (CommonJS) are in it.
    expect(modules.some((m) => /\/src\/cli\/main\.(js|ts)$/.test(m))).toBe(true);
    const packages = packagesIn(modules);
    expect(packages.has('commander')).toBe(true);
    for (const sdk of VENUE_SDKS) expect(packages.has(sdk), sdk).toBe(false);
  });

  it('dnbot status and status --json', () => {
    for (const [name, args] of [['status', ['status', '--db', db]], ['status-json', ['status', '--db', db, '--json']]] as const) {
      const packages = packagesIn(loadedModules([...args], name));
      // SQLite (CommonJS, native) was read: the log covers what status loads.
      expect(packages.has('better-sqlite3'), name).toBe(true);
      for (const sdk of VENUE_SDKS) expect(packages.has(sdk), `${name}: ${sdk}`).toBe(false);
    }
  });
});
