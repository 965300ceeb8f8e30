import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import type { PaperAccountRecord } from '../../src/store/snapshot-repository.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

describe('paper collateral and fills', () => {
  it('the collateral a fill changes is written in the fill’s own transaction: a crash right after any fill keeps them together', async () => {
    const db = join(tempDir(), 'collateral.db');
    const cfg = parseConfig({ db, seed: 3, run: { speed: 'max' }, phases: { 1: { dailyVolumeTargetUsd: 1e12 } }, bots: [{ id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }] });
    let stop = (): void => undefined;
    let seen = 0;
    const c = await compose({
      config: cfg,
      logger: silentLogger,
      wall: new LiveClock(),
      wrapSource: (s) => wrappedSource(s, (): MarketEvent | null => {
        if (++seen === 12_000) stop();
        return s.next();
      }),
    });
    stop = () => c.runtime.requestStop();
    const snapshots = c.store.snapshots;
    const save = snapshots.savePaperAccount.bind(snapshots);
    let savedInTransaction: PaperAccountRecord | null = null;
    snapshots.savePaperAccount = (venue: string, a: PaperAccountRecord, ts: number): void => {
      if (c.store.db.inTransaction) savedInTransaction = a;
      save(venue, a, ts);
    };
    const checked: { paper: number; stored: number | undefined; inTx: number | undefined }[] = [];
    c.orders.onChange((_order, fill) => {
      if (!fill) return;
      // The fill is committed: what a SIGKILL at this instant would leave on disk.
      const stored = c.store.snapshots.paperAccount(c.venueName)?.collateral;
      checked.push({ paper: c.paper!.snapshot().collateral, stored, inTx: (savedInTransaction as PaperAccountRecord | null)?.collateral });
      savedInTransaction = null;
    });
    await c.runtime.run();
    c.store.close();
    expect(checked.length).toBeGreaterThan(5);
    for (const x of checked) {
      expect(x.stored).toBeCloseTo(x.paper, 9);
      expect(x.inTx).toBeCloseTo(x.paper, 9);
    }
  });
});
