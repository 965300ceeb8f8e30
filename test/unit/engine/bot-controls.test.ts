import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { BotControls } from '../../../src/engine/bot-controls.js';
import { Store } from '../../../src/store/store.js';

const T = Date.UTC(2024, 2, 1, 0, 5);
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('BotControls accessors', () => {
  it('tier, haltReason and protectionReason read what snapshot() reports, as the state changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-controls-'));
    dirs.push(dir);
    const store = Store.open(join(dir, 'c.db'));
    const cfg = parseConfig({ db: join(dir, 'c.db') });
    const clock = new SimClock(T);
    const config = { phases: cfg.phases, phaseBreach: cfg.phaseBreach, lossLimits: cfg.risk.lossLimits, allocation: cfg.risk.allocation, multiplier: cfg.risk.multiplier };
    const controls = new BotControls({ botId: 'b1', venue: 'paper', store, clock, logger: silentLogger, config, initialCollateral: 10_000 });
    const same = (): void => {
      const s = controls.snapshot();
      expect(controls.tier()).toBe(s.tier);
      expect(controls.haltReason()).toBe(s.halted);
      expect(controls.protectionReason()).toBe(s.protection);
      expect(controls.lossLimits.hasActive()).toBe(s.breakers.length > 0);
    };
    same();
    controls.setProtection('liquidation risk high');
    same();
    expect(controls.protectionReason()).toBe('liquidation risk high');
    store.controls.setHalted('b1', true, 'operator', T);
    clock.advanceTo(T + 86_400_000); // the next day: controls are re-read
    controls.refresh(7_000); // a month down 30%: another tier
    same();
    expect(controls.haltReason()).not.toBeNull();
    store.close();
  });
});
