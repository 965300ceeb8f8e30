import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

// `dnbot status` without --db takes the database from its config: the config is read and
// validated once, not once for the settings and again for the path.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/cli/config-loader.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/cli/config-loader.js')>();
  return {
    ...real,
    parseConfig: (raw: unknown) => {
      parses.count += 1;
      return real.parseConfig(raw);
    },
  };
});

describe('dnbot status and its config', () => {
  it('validates the config once when the database comes from it', async () => {
    const dir = tempDir('dnbot-status-config-');
    const db = join(dir, 'state.db');
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ db, api: { enabled: false }, log: { level: 'silent' } }));
    expect((await runCli(['run', '--config', cfg, '--duration', '5m', '--speed', 'max', '--json'])).code).toBe(0);
    parses.count = 0;
    const r = await runCli(['status', '--json', '--config', cfg]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect((JSON.parse(r.out[0]!) as { bots: unknown[] }).bots).toHaveLength(1);
    expect(parses.count).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});
