import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Book, MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import type { OrderIntent } from '../../src/execution/order-manager.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { tempDir } from './cli-harness.js';
import { wrappedSource } from '../support/wrapped-source.js';

/** Keeps only `levels` levels of `usdPerLevel` on each side: a book an urgent exit cannot clear within 10 bps at once. */
function thin(book: Book, usdPerLevel: number, levels: number): Book {
  const cut = (side: Book['bids']) => side.slice(0, levels).map((l) => ({ price: l.price, size: usdPerLevel / l.price }));
  return { ...book, bids: cut(book.bids), asks: cut(book.asks) };
}

interface Sent {
  readonly req: OrderIntent;
  readonly touch: number | undefined;
  readonly afterFlatten: boolean;
}

describe('seed 003: unwinds and urgent exits stay within the 10 bps slippage cap', () => {
  it('an urgent flatten on a thin book is worked by IOC limits at the cap from each new touch, never a market order, until flat', async () => {
    const db = join(tempDir(), 'unwind.db');
    const config = parseConfig({ db, seed: 2, run: { speed: 'max', durationMs: 6 * 3_600_000 }, api: { enabled: false }, phases: { 1: { dailyVolumeTargetUsd: 1e12, maxTradesPerDay: 1e9 } } });
    let c: Composed | null = null;
    let flattened: string | null = null;
    let thinSince: number | null = null;
    let events = 0;
    const sent: Sent[] = [];
    const source = (s: MarketDataSource): MarketDataSource => wrappedSource(s, (): MarketEvent | null => {
      const bot = c?.bots[0];
      const pair = bot?.activePair;
      events++;
      if (c && bot && thinSince === null && pair?.status === 'open') thinSince = events;
      // Both books are thin before the flatten starts.
      if (bot && pair && !flattened && thinSince !== null && events > thinSince + 20) {
        flattened = pair.id;
        bot.applyProtection({ kind: 'flatten' }, 'test: urgent flatten');
      }
      const ev = s.next();
      // Each side of the book holds $60 in 3 levels: one IOC cannot close a $500 leg.
      return ev && thinSince !== null && ev.kind === 'book' ? { ...ev, book: thin(ev.book, 20, 3) } : ev;
    });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock(), wrapSource: source });
    const submit = c.orders.submit.bind(c.orders);
    c.orders.submit = (req: OrderIntent) => {
      const book = c!.market.book(req.symbol);
      sent.push({ req, touch: req.side === 'buy' ? book?.asks[0]?.price : book?.bids[0]?.price, afterFlatten: flattened !== null });
      return submit(req);
    };
    await c.runtime.run();
    const pair = c.store.roundTrips.closed().find((rt) => rt.id === flattened);
    c.store.close();

    expect(flattened).not.toBeNull();
    const exits = sent.filter((s) => s.afterFlatten && s.req.pairId === flattened);
    // The thin book needs several rounds of IOC; the pair still ends flat.
    expect(exits.length).toBeGreaterThan(4);
    expect(pair?.status).toBe('closed');
    for (const s of sent) expect(s.req.type).toBe('limit');
    for (const { req, touch } of exits) {
      expect(req.tif).toBe('IOC');
      expect(req.reduceOnly).toBe(true);
      expect(touch).toBeDefined();
      const slip = req.side === 'buy' ? req.price! / touch! - 1 : 1 - req.price! / touch!;
      expect(slip).toBeLessThanOrEqual(10 / 10_000 + 1e-12);
    }
  }, 120_000);
});
