import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig, readConfigFile } from '../../../src/cli/config-loader.js';

// The shipped example configurations (config/examples/): each must pass the strict schema (a key
// the schema refuses would stop `dnbot replay --config …` with exit 2) and be listed in the
// folder's README.
const dir = fileURLToPath(new URL('../../../config/examples', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('shipped example configurations', () => {
  it('has examples', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s passes the config schema and is listed in the README', (file) => {
    const c = parseConfig(readConfigFile(join(dir, file), 'unused'));
    expect(c.bots.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`\`${file}\``);
  });

  it('volume-phase1.json is volume mode at phase-1 volume with static sizing and a slice within 10% of a full pair', () => {
    const c = parseConfig(readConfigFile(join(dir, 'volume-phase1.json'), 'unused'));
    const bot = c.bots[0]!;
    expect(bot.dnPair.mode).toBe('volume');
    expect(c.risk.multiplier).toMatchObject({ min: 1, max: 1 });
    // Legs are capped by the capital share: collateral × LEARNING tier limit × capital share × leverage.
    const legCap = c.paper.startingCollateral * c.risk.allocation.limits.LEARNING * c.risk.capitalShare * c.phases[1].leverage;
    expect(bot.baseNotionalUsd).toBeGreaterThanOrEqual(legCap);
    // Max naked exposure is one slice: it must stay within 10% of the pair's gross (two legs).
    expect(c.execution.sliceUsd).toBeLessThanOrEqual(0.1 * 2 * legCap);
    // Phase 1's $20,000 a day within its 40 trades (10 round trips of 4 legs).
    expect(10 * 4 * legCap).toBeGreaterThanOrEqual(c.phases[1].dailyVolumeTargetUsd);
  });
});
