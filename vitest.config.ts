import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The compiled build (dist/) that benches may load (test/bench/bench-build.ts) runs as Node runs
// it, not through vitest's transform, so a bench of it measures what `dnbot` runs.
const DIST = new RegExp(`^${fileURLToPath(new URL('./dist/', import.meta.url)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fast-check-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { external: [DIST] } },
  },
});
