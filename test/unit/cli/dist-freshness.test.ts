import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAMP, freshDistEntry } from '../../../bin/dist-freshness.js';

/** A checkout with one file per source folder, all modified at `sourceS` (epoch seconds). */
function checkout(sourceS: number): string {
  const root = mkdtempSync(join(tmpdir(), 'dnbot-dist-'));
  for (const [dir, file] of [['src/cli', 'main.ts'], ['adapters/sim', 'sim.ts'], ['strategies/dn-pair', 'dn.ts']] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, file), '');
    utimesSync(join(root, dir, file), sourceS, sourceS);
  }
  writeFileSync(join(root, 'package.json'), '{}');
  utimesSync(join(root, 'package.json'), sourceS, sourceS);
  mkdirSync(join(root, 'dist'));
  return root;
}

describe('bin/dnbot.js runs dist/ only when it is fresh', () => {
  it('no build stamp: the sources', () => {
    expect(freshDistEntry(checkout(1_000))).toBeNull();
  });

  it('built after every source: the compiled entry', () => {
    const root = checkout(1_000);
    writeFileSync(join(root, STAMP), String(2_000_000));
    expect(freshDistEntry(root)).toBe(join(root, 'dist', 'src', 'cli', 'main.js'));
  });

  it('a source edited after the build: the sources', () => {
    const root = checkout(1_000);
    writeFileSync(join(root, STAMP), String(2_000_000));
    utimesSync(join(root, 'strategies/dn-pair/dn.ts'), 3_000, 3_000);
    expect(freshDistEntry(root)).toBeNull();
  });

  it('package.json changed after the build: the sources', () => {
    const root = checkout(1_000);
    writeFileSync(join(root, STAMP), String(2_000_000));
    utimesSync(join(root, 'package.json'), 3_000, 3_000);
    expect(freshDistEntry(root)).toBeNull();
  });

  it('a garbled stamp: the sources', () => {
    const root = checkout(1_000);
    writeFileSync(join(root, STAMP), 'soon');
    expect(freshDistEntry(root)).toBeNull();
  });
});
