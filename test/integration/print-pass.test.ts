import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { LiveClock, type Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

// The runtime passes a print over when the market state, the paper venue and every bot say it would
// change nothing in them. A run doing so must come out as one that feeds every print to all of them.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SYMBOLS = ['ETH-PERP', 'SOL-PERP', 'BTC-PERP', 'XRP-PERP'] as const; // XRP-PERP: no instrument

/**
 * Where an extra print goes: a time the consumers' bounds turn on (bar and funding edges, ties);
 * or `drop`: every book and mark of one market second in `every` is dropped instead (a print is then
 * the first event at a bot's control tick due then, which books on whole seconds otherwise always are);
 * or `horizon`: at a fill's markout horizon, a print and then the market's next book or mark at the
 * same time (the print decides which mids a horizon due at its own time takes).
 */
type Place = 'tie' | 'next' | 'minute' | 'before-minute' | 'hour' | 'mid' | 'drop' | 'horizon';

interface Insert {
  readonly every: number;
  readonly place: Place;
  readonly symbol: number;
}

/** The simulated market with extra prints slipped in at times chosen by `inserts` (time never goes back). */
function withExtraPrints(s: MarketDataSource, inserts: readonly Insert[], horizons: readonly number[], onEvent: (n: number) => void): MarketDataSource {
  let n = 0;
  let prev = s.startTs;
  let held: MarketEvent | null = null;
  const drops = inserts.filter((x) => x.place === 'drop');
  const extra = inserts.filter((x) => x.place !== 'drop');
  return wrappedSource(s, (): MarketEvent | null => {
    if (held !== null) {
      const ev = held;
      held = null;
      prev = ev.ts;
      return ev;
    }
    let ev = s.next();
    while (ev !== null && ev.kind !== 'trade' && drops.some((x) => Math.floor(ev!.ts / 1_000) % x.every === 0)) ev = s.next();
    if (ev === null) return null;
    onEvent(++n);
    const ins = extra.find((x) => n % x.every === 0);
    if (ins === undefined) {
      prev = ev.ts;
      return ev;
    }
    const horizon = ins.place === 'horizon' ? horizons.find((h) => h > prev && h <= ev!.ts) : undefined;
    const edge = (step: number, back: number): number => Math.min(ev.ts, Math.max(prev, Math.ceil(prev / step) * step - back));
    const ts =
      ins.place === 'tie' ? prev
      : ins.place === 'next' ? ev.ts
      : ins.place === 'minute' ? edge(MINUTE, 0)
      : ins.place === 'before-minute' ? edge(MINUTE, 1)
      : ins.place === 'hour' ? edge(HOUR, 0)
      : ins.place === 'horizon' ? (horizon ?? ev.ts)
      : prev + (ev.ts - prev) / 2;
    held = horizon !== undefined && ev.kind !== 'trade' ? { ...ev, ts } : ev;
    const symbol = SYMBOLS[ins.symbol]!;
    prev = ts;
    return { kind: 'trade', ts, trade: { symbol, ts, price: symbol === 'BTC-PERP' ? 60_000 : symbol === 'SOL-PERP' ? 150 : 3_000, size: 0.01, aggressor: n % 2 ? 'buy' : 'sell', tradeId: `x${n}` } };
  });
}

const BOTS = {
  one: [{ id: 'dn', baseNotionalUsd: 500, dnPair: { mode: 'volume' } }],
  two: [
    { id: 'vol', baseNotionalUsd: 500, dnPair: { mode: 'volume' } },
    { id: 'sig', baseNotionalUsd: 300, dnPair: { legA: 'BTC-PERP', legB: 'ETH-PERP' } },
  ],
} as const;

/** Everything a run leaves: its rows, the run's stats and the paper account's, and when the bots' control ticks ran. */
async function run(seed: number, bots: keyof typeof BOTS, inserts: readonly Insert[], stopFirstAt: number | null, pass: boolean, passed: { n: number }): Promise<string> {
  const db = join(tempDir(), `${pass ? 'pass' : 'feed'}.db`);
  const config = parseConfig({ db, seed, run: { speed: 'max', durationMs: 40 * MINUTE }, bots: BOTS[bots] });
  let clock: Clock | null = null;
  // The first bot may stop mid-run (it then ignores every print while its markouts are idle), the other trading on.
  const onEvent = (n: number): void => {
    if (n === stopFirstAt) c.bots[0]!.stop();
  };
  const horizons: number[] = [];
  const c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: (s) => withExtraPrints(s, inserts, horizons, onEvent), onClock: (k) => (clock = k) });
  c.paper!.onFill((f) => horizons.push(f.ts + 1_000, f.ts + 10_000, f.ts + 60_000));
  // When each bot's control tick ran: a print passed over at a due tick would delay it to the next event.
  const ticks: string[] = [];
  for (const b of c.bots) {
    const bot = b as unknown as { controlTick(): void };
    const real = bot.controlTick.bind(bot);
    vi.spyOn(bot, 'controlTick').mockImplementation(() => {
      ticks.push(`${b.id}@${clock!.now()}`);
      real();
    });
  }
  const paper = c.paper!;
  if (!pass) vi.spyOn(paper, 'ignoresPrint').mockReturnValue(false);
  else {
    const real = paper.ignoresPrint.bind(paper);
    vi.spyOn(paper, 'ignoresPrint').mockImplementation((ev) => {
      const yes = real(ev);
      if (yes) passed.n++;
      return yes;
    });
  }
  await c.runtime.run();
  const s = c.runtime.stats;
  const stats = { events: s.eventsProcessed, first: s.firstTs, last: s.lastTs, net: s.maxAbsNetDeltaUsd, gross: s.maxGrossNotionalUsd, paper: paper.stats() };
  c.store.close();
  const d = new Database(db, { readonly: true });
  const out: unknown[] = [stats, ticks];
  // Sorted rows: some of these tables have no rowid.
  for (const table of ['orders', 'fills', 'round_trips', 'positions', 'bars']) out.push(table, d.prepare(`SELECT * FROM ${table}`).all().map((r) => JSON.stringify(r)).sort());
  d.close();
  return JSON.stringify(out);
}

const insert: fc.Arbitrary<Insert> = fc.record({
  every: fc.integer({ min: 2, max: 60 }),
  place: fc.constantFrom<Place>('tie', 'next', 'minute', 'before-minute', 'hour', 'mid', 'drop', 'horizon'),
  symbol: fc.nat(SYMBOLS.length - 1),
});

describe('the runtime passing prints over', () => {
  it('gives the same orders, fills, markouts, bars and stats as feeding every print (property: seeds, one or two bots, extra prints at edges)', async () => {
    const passed = { n: 0 };
    let withMarkouts = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000 }), fc.constantFrom<keyof typeof BOTS>('one', 'two'), fc.array(insert, { maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: null }), async (seed, bots, inserts, stopFirstAt) => {
        const fed = await run(seed, bots, inserts, stopFirstAt, false, passed);
        const passing = await run(seed, bots, inserts, stopFirstAt, true, passed);
        expect(passing).toBe(fed);
        if (/\\"markout_saved\\":1/.test(fed)) withMarkouts++;
      }),
      {
        numRuns: 6,
        examples: [
          [1, 'one', [{ every: 3, place: 'drop', symbol: 0 }, { every: 5, place: 'minute', symbol: 1 }], null],
          [3, 'one', [{ every: 2, place: 'horizon', symbol: 0 }], null],
          [2, 'two', [{ every: 3, place: 'drop', symbol: 0 }, { every: 11, place: 'hour', symbol: 3 }], 2_000],
        ],
      },
    );
    expect(passed.n).toBeGreaterThan(10_000);
    expect(withMarkouts).toBeGreaterThan(3);
  }, 120_000);
});
