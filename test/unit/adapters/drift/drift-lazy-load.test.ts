import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Which modules a fresh Node process has loaded after importing `target` through tsx: the SDK is
 * CommonJS, so it shows up in the shared require cache if anything pulled it in.
 */
function loadsDriftSdk(target: string): boolean {
  const script = `
    import { register } from 'tsx/esm/api';
    import { createRequire } from 'node:module';
    register();
    await import(${JSON.stringify(target)});
    const cache = Object.keys(createRequire(import.meta.url).cache);
    process.stdout.write(JSON.stringify(cache.some((k) => k.includes('@drift-labs/sdk'))));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as boolean;
}

describe('the Drift adapter loads only when configured', () => {
  it('importing the composition root does not load @drift-labs/sdk; importing the adapter does', () => {
    expect(loadsDriftSdk('./src/cli/compose.ts')).toBe(false);
    // The control: the probe does see the SDK when the adapter is imported.
    expect(loadsDriftSdk('./adapters/drift/index.ts')).toBe(true);
  });
});
