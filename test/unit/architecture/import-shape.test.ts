import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatViolations, importViolations, ruleBroken, type SourceFile } from './import-rules.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function tsFilesUnder(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...tsFilesUnder(rel));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push({ path: relative(ROOT, join(ROOT, rel)).split(sep).join('/'), text: readFileSync(join(ROOT, rel), 'utf8') });
    }
  }
  return out;
}

describe('import shape', () => {
  it('src, adapters and strategies follow the layout rules (each offending import is named)', () => {
    const files = ['src', 'adapters', 'strategies'].flatMap(tsFilesUnder);
    expect(files.length).toBeGreaterThan(100);
    expect(formatViolations(importViolations(files))).toBe('');
  });

  it('flags a synthetic violation of each rule, naming the file, line and import', () => {
    const files: SourceFile[] = [
      { path: 'src/core/types.ts', text: "import { x } from '../engine/runtime.js';\n" },
      { path: 'adapters/nado/nado-venue.ts', text: "import type { A } from '../../src/core/types.js';\nimport { B } from '../coinbase/coinbase-parse.js';\n" },
      { path: 'adapters/ccxt-common/reconnecting-socket.ts', text: "export { C } from '../nado/x18.js';\n" },
      { path: 'adapters/drift/drift-venue.ts', text: "import { D } from '../ccxt-common/venue-quirks.js';\n" },
      { path: 'adapters/sim/sim-market.ts', text: "import { E } from '../../src/execution/order-manager.js';\n" },
      { path: 'strategies/dn-pair/dn-pair-strategy.ts', text: "import { F } from '../../src/engine/market-state.js';\n" },
      { path: 'src/engine/runtime.ts', text: "const m = await import('../../adapters/nado/index.js');\n" },
      { path: 'src/analytics/garch.ts', text: "import { G } from '../sizing/phases.js';\n" },
    ];
    const found = importViolations(files);
    expect(found.map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'src/core/types.ts:1 ../engine/runtime.js',
      'adapters/nado/nado-venue.ts:2 ../coinbase/coinbase-parse.js',
      'adapters/ccxt-common/reconnecting-socket.ts:1 ../nado/x18.js',
      'adapters/drift/drift-venue.ts:1 ../ccxt-common/venue-quirks.js',
      'adapters/sim/sim-market.ts:1 ../../src/execution/order-manager.js',
      'strategies/dn-pair/dn-pair-strategy.ts:1 ../../src/engine/market-state.js',
      'src/engine/runtime.ts:1 ../../adapters/nado/index.js',
      'src/analytics/garch.ts:1 ../sizing/phases.js',
    ]);
    expect(formatViolations(found)).toContain("adapters/nado/nado-venue.ts:2 imports '../coinbase/coinbase-parse.js' (adapters/coinbase/coinbase-parse.ts): a venue imports no other venue (adapters/nado → adapters/coinbase)");
  });

  it.each([
    ['src/cli/open-venue.ts', 'adapters/nado/index.ts'],
    ['adapters/nado/nado-stream.ts', 'adapters/ccxt-common/reconnecting-socket.ts'],
    ['adapters/coinbase/coinbase-rest.ts', 'src/core/venue-limiter.ts'],
    ['strategies/dn-pair/dn-pair-strategy.ts', 'strategies/dn-pair/spread-model.ts'],
    ['src/engine/dn-pair-bot.ts', 'strategies/dn-pair/dn-pair-strategy.ts'],
    ['src/analytics/portfolio-var.ts', 'src/core/rng.ts'],
  ])('allows %s → %s', (from, target) => {
    expect(ruleBroken(from, target)).toBeNull();
  });
});
