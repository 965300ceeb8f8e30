import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src/engine/runtime.js';
import { formatStatusLine } from '../../../src/engine/status-line.js';

/** Only what the status line reads of a snapshot. */
const snapshot = { ts: Date.UTC(2026, 0, 1, 0, 38, 10), account: { equity: 10_001.84 }, netDeltaUsd: 3.94, grossNotionalUsd: 1_363.3, openPairs: 1 } as unknown as StatusSnapshot;

describe('the status line', () => {
  it('says trading PnL today (fills net of fees), leaving "realised PnL" to closed pairs in the summary', () => {
    const line = formatStatusLine(snapshot, { day: '2026-01-01', volumeUsd: 1_359.44, feesUsd: 0.14, fills: 15, realizedPnl: 0 }, 20_000);
    expect(line).toBe('[2026-01-01 00:38:10] equity $10,001.84 | net Δ $3.94 | gross $1,363.30 | open pairs 1 | vol today $1,359.44 / $20,000.00 | fees $0.14 | trading PnL today -$0.14');
    expect(line.toLowerCase()).not.toContain('realised');
  });
});
