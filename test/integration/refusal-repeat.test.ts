import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { EntryGates } from '../../src/engine/entry-gates.js';
import type { BotControls } from '../../src/engine/bot-controls.js';
import { CONTROL_VERSION } from '../../src/store/control-repository.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

// A flat signal-mode bot whose day has met its volume target skips the signal, the decision and
// tryEnter on a book where they could only repeat the refusal already journaled. A run doing so
// must come out as one that takes every signal: the same rows, including the multiplier's hourly
// recalculations (due while the day is closed), the refusals journaled when an operator's halt or
// the liquidation monitor's protection comes and goes, and the day's reopening at midnight.

const MINUTE = 60_000;
const MIDNIGHT = Date.UTC(2026, 0, 1);

/** An operator's or the monitor's act at the run's `at`-th event. */
interface Act {
  readonly at: number;
  readonly what: 'halt' | 'resume' | 'protect' | 'unprotect';
}

const seen = { skipped: 0, closedRecalcs: 0 };
const realOnlyRepeat = EntryGates.prototype.onlyRepeat;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every row the run leaves (sorted: some tables have no rowid) and its stats. */
async function run(seed: number, target: number, mode: 'signal' | 'volume', acts: readonly Act[], skip: boolean): Promise<string> {
  const db = join(tempDir(), `${skip ? 'skip' : 'every'}.db`);
  const config = parseConfig({
    db,
    seed,
    // Off the 5-minute grid: volume mode's cadence, moved by each refused decision, then meets
    // midnight part-way through a cycle.
    sim: { startTs: MIDNIGHT - 100 * MINUTE - 150_000 },
    run: { speed: 'max', durationMs: 200 * MINUTE },
    phases: { 1: { dailyVolumeTargetUsd: target } },
    bots: [{ id: 'dn', baseNotionalUsd: 500, dnPair: { mode, entryZ: 1.0 } }],
  });
  const onlyRepeat = vi.spyOn(EntryGates.prototype, 'onlyRepeat');
  if (skip) {
    onlyRepeat.mockImplementation(function (this: EntryGates, now: number) {
      const yes = realOnlyRepeat.call(this, now);
      if (yes) seen.skipped++;
      return yes;
    });
  } else onlyRepeat.mockReturnValue(false);
  let clock: Clock | null = null;
  let n = 0;
  const c = await compose({
    config,
    logger: silentLogger,
    wall: new LiveClock(),
    onClock: (k) => (clock = k),
    wrapSource: (s) =>
      wrappedSource(s, () => {
        n++;
        for (const a of acts) if (a.at === n) act(a.what);
        return s.next();
      }),
  });
  const bot = c.bots[0]!;
  const controls = (bot as unknown as { controls: BotControls }).controls;
  function act(what: Act['what']): void {
    if (what === 'protect' || what === 'unprotect') return controls.setProtection(what === 'protect' ? 'test: margin' : null);
    // As `dnbot halt` / `resume` write it: the row and the control version the bot re-reads.
    c.store.transaction(() => {
      c.store.controls.setHalted(bot.id, what === 'halt', 'test', clock!.now());
      c.store.sequences.next(CONTROL_VERSION);
    });
  }
  await c.runtime.run();
  const s = c.runtime.stats;
  const stats = { events: s.eventsProcessed, net: s.maxAbsNetDeltaUsd, gross: s.maxGrossNotionalUsd, paper: c.paper!.stats() };
  c.store.close();
  const d = new Database(db, { readonly: true });
  const out: unknown[] = [stats];
  const tables = d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) out.push(name, d.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort());
  if (skip) {
    const closed = d.prepare("SELECT MIN(ts) AS ts FROM events WHERE kind = 'entry_refused' AND json_extract(data, '$.check') = 'daily_volume'").get() as { ts: number | null };
    if (closed.ts !== null) {
      const after = d.prepare("SELECT COUNT(*) AS n FROM risk_adjustments WHERE ts > ? AND ts < ? AND trigger = 'elapsed'").get(closed.ts, MIDNIGHT) as { n: number };
      seen.closedRecalcs += after.n;
    }
  }
  d.close();
  return JSON.stringify(out);
}

// About 730 events a simulated minute: a small target closes the day tens of thousands of events in;
// midnight is at ~75k.
const act: fc.Arbitrary<Act> = fc.record({ at: fc.integer({ min: 1, max: 140_000 }), what: fc.constantFrom<Act['what']>('halt', 'resume', 'protect', 'unprotect') });

describe('a day at its volume target', () => {
  it('skipping repeated refusals gives the same rows as taking every signal (property: seeds, targets, halts and protection coming and going)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), fc.constantFrom(1_500, 2_500, 4_000), fc.constantFrom<'signal' | 'volume'>('signal', 'volume'), fc.array(act, { maxLength: 4 }), async (seed, target, mode, acts) => {
        const every = await run(seed, target, mode, acts, false);
        const skipping = await run(seed, target, mode, acts, true);
        expect(skipping).toBe(every);
      }),
      {
        numRuns: 5,
        examples: [
          [2, 1_500, 'signal', []],
          [2, 1_500, 'signal', [{ at: 40_000, what: 'halt' }, { at: 44_000, what: 'resume' }, { at: 50_000, what: 'protect' }, { at: 53_000, what: 'unprotect' }]],
          [2, 1_500, 'volume', []],
        ],
      },
    );
    // The runs did close their day and skip, and a multiplier recalculation fell due while it was closed.
    expect(seen.skipped).toBeGreaterThan(5_000);
    expect(seen.closedRecalcs).toBeGreaterThan(0);
  }, 120_000);
});
