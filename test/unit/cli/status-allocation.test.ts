import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/cli-io.js';
import { statusCommand } from '../../../src/cli/status-command.js';
import { allocationTierConfigSchema } from '../../../src/risk/allocation-tier.js';
import { DEFAULT_PHASES } from '../../../src/sizing/phases.js';
import { Store } from '../../../src/store/store.js';

const T0 = Date.UTC(2026, 1, 1);

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
}

describe('dnbot status shows seed 001 allocation and seed 000 bounds', () => {
  it("shows both tier limits, the position cap, the latest over-allocation cut and how often the multiplier sat at a bound", () => {
    const db = join(mkdtempSync(join(tmpdir(), 'dnbot-status-')), 'status.db');
    const store = Store.open(db);
    store.bots.ensure('b', 'dn-pair', 'sim', T0);
    store.bots.setLastMarketTs('b', T0 + 3_600_000);
    for (const [k, bound] of (['cap', 'floor', null] as const).entries()) {
      store.riskAdjustments.record({ botId: 'b', ts: T0 + k, previousMultiplier: 1, multiplier: 1, signalStrength: 0.6, confidence: 0.5, avgPnlLast50: null, tradesInWindow: 0, trigger: 'entry', inputs: bound === null ? {} : { bound } });
    }
    store.events.record(T0 + 60_000, 'b', 'over_allocation', { reason: "EMERGENCY tier: this bot's margin 2.7% of equity above 1%: cutting both legs by 62.8%" });
    store.close();

    const out = io();
    const tiers = allocationTierConfigSchema.parse({ totalLimits: { LEARNING: 0.3 } });
    expect(statusCommand({ db }, out, { phases: DEFAULT_PHASES, now: T0 + 3_600_000, allocation: tiers, capitalShare: 0.2 })).toBe(0);
    const text = out.lines.join('\n');
    // A fresh bot is in the LEARNING tier: 25% for itself, the configured 30% for all bots, 20% × 25% per position.
    expect(text).toContain("allocation tier LEARNING (this bot's margin ≤ 25% of equity, all bots' ≤ 30% (total leveraged assets), each position's margin ≤ 5.0% (20% of available capital)");
    expect(text).toContain('over-allocation reduced at 2026-02-01T00:01:00.000Z: EMERGENCY tier');
    expect(text).toContain('risk multiplier at a bound in 2 of the last 3 recalculations (floor 1, cap 1, defensive 0)');
  });
});
