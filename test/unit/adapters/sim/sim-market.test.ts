import { describe, expect, it } from 'vitest';
import type { Book, MarketEvent } from '../../../../src/core/types.js';
import { simMarketConfigSchema, SIM_SYMBOLS, type SimMarketConfig } from '../../../../adapters/sim/sim-config.js';
import { SimMarket, type SimMarketOptions } from '../../../../adapters/sim/sim-market.js';
import { marketEventProblem } from '../../../../src/engine/market-event-guard.js';
import { bestAsk, bestBid } from '../../../../src/core/book-touch.js';
import { bookProblems, books, isCanonicalOnGrid, marks, take, takeUntil, trades } from './sim-test-helpers.js';

const config = simMarketConfigSchema.parse({});
const T0 = config.startTs;
const HOUR = 3_600_000;

const market = (o: Partial<SimMarketOptions> = {}) => new SimMarket({ config, seed: 1, ...o });
const symbolOf = (e: MarketEvent) => (e.kind === 'book' ? e.book.symbol : e.kind === 'trade' ? e.trade.symbol : e.mark.symbol);

// One hour of default market, shared by the read-only checks below.
const HOUR_EVENTS = takeUntil(market(), T0 + HOUR);

describe('SimMarket basics', () => {
  it('lists the three perps as sim instruments with the configured grids and fees', () => {
    const m = market();
    expect(m.instruments.map((i) => [i.symbol, i.baseAsset, i.quoteAsset, i.venue])).toEqual([
      ['ETH-PERP', 'ETH', 'USD', 'sim'],
      ['SOL-PERP', 'SOL', 'USD', 'sim'],
      ['BTC-PERP', 'BTC', 'USD', 'sim'],
    ]);
    expect(m.instruments[1]).toMatchObject({ tickSize: 0.001, lotSize: 0.01, minSize: 0.01, takerFeeRate: 0.0005 });
    expect(m.startTs).toBe(T0);
  });

  it('opens with book + mark per symbol in fixed order at startTs, at the start prices', () => {
    const first = HOUR_EVENTS.slice(0, 6);
    expect(first.map((e) => [e.kind, symbolOf(e), e.ts])).toEqual(
      SIM_SYMBOLS.flatMap((s) => [
        ['book', s, T0],
        ['mark', s, T0],
      ]),
    );
    expect(marks(first).map((m) => m.markPrice)).toEqual([3000, 150, 60000]);
  });

  it('is byte-identical for the same seed and options, and different for another seed', () => {
    const a = JSON.stringify(take(market(), 10_000));
    const b = JSON.stringify(take(market(), 10_000));
    const c = JSON.stringify(take(market({ seed: 2 }), 10_000));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('keeps each symbol independent of the others’ trade flow', () => {
    const busySol: SimMarketConfig = simMarketConfigSchema.parse({ symbols: { 'SOL-PERP': { tradeMeanIntervalMs: 50 } } });
    const other = takeUntil(new SimMarket({ config: busySol, seed: 1 }), T0 + 10 * 60_000);
    const base = HOUR_EVENTS.filter((e) => e.ts < T0 + 10 * 60_000);
    for (const sym of ['ETH-PERP', 'BTC-PERP']) {
      expect(JSON.stringify(other.filter((e) => symbolOf(e) === sym))).toBe(
        JSON.stringify(base.filter((e) => symbolOf(e) === sym)),
      );
    }
    // SOL's marks follow the price process only, so they match too; its trades do not.
    const solMarks = (evs: MarketEvent[]) => marks(evs).filter((m) => m.symbol === 'SOL-PERP');
    expect(solMarks(other)).toEqual(solMarks(base));
    expect(trades(other).filter((t) => t.symbol === 'SOL-PERP').length).toBeGreaterThan(
      5 * trades(base).filter((t) => t.symbol === 'SOL-PERP').length,
    );
  });
});

describe('SimMarket event stream (one hour at defaults)', () => {
  it('has non-decreasing timestamps, books and marks on the step grid in fixed order, trades between', () => {
    const bad: string[] = [];
    HOUR_EVENTS.forEach((e, i) => {
      if (e.ts < (HOUR_EVENTS[i - 1]?.ts ?? -Infinity)) bad.push(`ts goes back at ${i}`);
    });
    const stepEvents = HOUR_EVENTS.filter((e) => e.kind !== 'trade');
    expect(stepEvents).toHaveLength(3600 * 6);
    stepEvents.forEach((e, i) => {
      const k = i % 6;
      const want = `${k % 2 === 0 ? 'book' : 'mark'} ${SIM_SYMBOLS[Math.floor(k / 2)]} ${T0 + Math.floor(i / 6) * 1000}`;
      if (`${e.kind} ${symbolOf(e)} ${e.ts}` !== want) bad.push(`step event ${i}: want ${want}`);
    });
    expect(bad).toEqual([]);
  });

  it('emits valid books with per-symbol seq 1, 2, 3, ...', () => {
    const bs = books(HOUR_EVENTS);
    for (const sym of SIM_SYMBOLS) {
      const inst = config.symbols[sym];
      const mine = bs.filter((b) => b.symbol === sym);
      expect(mine.map((b) => b.seq)).toEqual(mine.map((_, i) => i + 1));
      expect(mine.flatMap((b) => bookProblems(b, inst).map((p) => `${b.seq}: ${p}`))).toEqual([]);
    }
  });

  it('marks at the book mid with a small funding rate around the base', () => {
    const bs = books(HOUR_EVENTS);
    const ms = marks(HOUR_EVENTS);
    const bad = ms.filter((m, i) => {
      const b = bs[i] as Book;
      const mid = ((b.bids[0]?.price ?? 0) + (b.asks[0]?.price ?? 0)) / 2;
      const tick = config.symbols[m.symbol as 'ETH-PERP'].tickSize;
      return b.symbol !== m.symbol || Math.abs(m.markPrice - mid) > tick || !(Math.abs(m.fundingRate) < 1e-4);
    });
    expect(bad).toEqual([]);
    const meanFunding = ms.reduce((a, m) => a + m.fundingRate, 0) / ms.length;
    expect(Math.abs(meanFunding)).toBeLessThan(5e-5);
    expect(new Set(ms.map((m) => m.fundingRate)).size).toBeGreaterThan(100);
  });

  it('prints every trade at the touch of the latest book, or at the worst level a sweep reached', () => {
    const live = new Map<string, { bids: { price: number; size: number }[]; asks: { price: number; size: number }[] }>();
    let atTouch = 0;
    let swept = 0;
    const bad: string[] = [];
    for (const e of HOUR_EVENTS) {
      if (e.kind === 'book') {
        live.set(e.book.symbol, { bids: e.book.bids.map((l) => ({ ...l })), asks: e.book.asks.map((l) => ({ ...l })) });
      }
      if (e.kind !== 'trade') continue;
      const t = e.trade;
      const inst = config.symbols[t.symbol as 'ETH-PERP'];
      if (!(isCanonicalOnGrid(t.size, inst.lotSize) && t.size >= inst.lotSize)) bad.push(`${t.tradeId} size ${t.size}`);
      if (!isCanonicalOnGrid(t.price, inst.tickSize)) bad.push(`${t.tradeId} price ${t.price}`);
      const side = live.get(t.symbol)?.[t.aggressor === 'buy' ? 'asks' : 'bids'] ?? [];
      const touch = side.find((l) => l.size > 1e-12)?.price;
      let need = t.size;
      let worst = Number.NaN;
      for (const l of side) {
        if (need <= 1e-12) break;
        if (l.size <= 1e-12) continue;
        const f = Math.min(l.size, need);
        l.size -= f;
        need -= f;
        worst = l.price;
      }
      if (need >= inst.lotSize / 2) bad.push(`${t.tradeId} larger than the book`);
      if (t.price !== worst) bad.push(`${t.tradeId} at ${t.price}, expected ${worst}`);
      if (t.price === touch) atTouch++;
      else swept++;
    }
    expect(bad).toEqual([]);
    expect(atTouch).toBeGreaterThan(0.9 * (atTouch + swept));
    expect(swept).toBeGreaterThan(0);
  });

  it('has Poisson trade counts near the configured rates and sequential trade ids', () => {
    const ts = trades(HOUR_EVENTS);
    for (const sym of SIM_SYMBOLS) {
      const mine = ts.filter((t) => t.symbol === sym);
      const expected = HOUR / config.symbols[sym].tradeMeanIntervalMs;
      expect(mine.length).toBeGreaterThan(expected * 0.95);
      expect(mine.length).toBeLessThan(expected * 1.05);
      expect(mine.map((t) => t.tradeId)).toEqual(mine.map((_, i) => `sim-${sym}-${i + 1}`));
    }
  });

  it('biases the aggressor towards the direction of the latest move', () => {
    const lastMark = new Map<string, number>();
    const prevMark = new Map<string, number>();
    const counts = { up: [0, 0], down: [0, 0] };
    for (const e of HOUR_EVENTS) {
      if (e.kind === 'mark') {
        prevMark.set(e.mark.symbol, lastMark.get(e.mark.symbol) ?? e.mark.markPrice);
        lastMark.set(e.mark.symbol, e.mark.markPrice);
      }
      if (e.kind !== 'trade') continue;
      const move = (lastMark.get(e.trade.symbol) ?? 0) - (prevMark.get(e.trade.symbol) ?? 0);
      const bucket = move > 0 ? counts.up : move < 0 ? counts.down : null;
      if (bucket === null) continue;
      bucket[0] = (bucket[0] ?? 0) + (e.trade.aggressor === 'buy' ? 1 : 0);
      bucket[1] = (bucket[1] ?? 0) + 1;
    }
    const share = (b: number[]) => (b[0] ?? 0) / (b[1] ?? 1);
    expect(share(counts.up) - share(counts.down)).toBeGreaterThan(0.1);
  });
});

describe('SimMarket liquidity consumption', () => {
  /** A market whose mid never moves and whose fresh books are identical, so depletion is exact. */
  const still = (refillPerBook: number) =>
    simMarketConfigSchema.parse({
      factor: { annualVol: 0 },
      spread: { stationaryStd: 0 },
      jumps: { commonPerDay: 0, symbolPerDay: 0 },
      symbols: {
        'ETH-PERP': { idioVol: 0, depthJitter: 0, medianTradeUsd: 20_000, tradeMeanIntervalMs: 200 },
        'SOL-PERP': { idioVol: 0 },
        'BTC-PERP': { idioVol: 0 },
      },
      trades: { refillPerBook },
    });

  it.each([0, 0.5])('the next book shows what trades left at the same prices (refill %s)', (refill) => {
    const evs = takeUntil(new SimMarket({ config: still(refill), seed: 4, warmupBars: 0 }), T0 + 20_000);
    const ethBooks = books(evs).filter((b) => b.symbol === 'ETH-PERP');
    const fresh = ethBooks[0] as Book;
    const lot = 0.001;
    let depleted = 0;
    for (let k = 1; k < ethBooks.length; k++) {
      const prev = ethBooks[k - 1] as Book;
      const next = ethBooks[k] as Book;
      const between = trades(evs).filter((t) => t.symbol === 'ETH-PERP' && t.ts >= prev.ts && t.ts < next.ts);
      for (const side of ['bids', 'asks'] as const) {
        const left = new Map(prev[side].map((l) => [l.price, l.size]));
        for (const t of between) {
          if ((t.aggressor === 'buy') !== (side === 'asks')) continue;
          let need = t.size;
          for (const l of prev[side]) {
            const avail = left.get(l.price) ?? 0;
            const f = Math.min(avail, need);
            left.set(l.price, avail - f);
            need -= f;
            if (need <= 1e-12) break;
          }
        }
        const expected = fresh[side].flatMap((l) => {
          const was = prev[side].find((p) => p.price === l.price)?.size ?? l.size;
          const rest = left.get(l.price) ?? l.size;
          const lots = Math.round(rest / lot);
          const freshLots = Math.round(l.size / lot);
          const size = rest < was - 1e-12 ? lots + Math.floor(refill * (freshLots - lots)) : freshLots;
          return size >= 1 ? [{ price: l.price, size: Number((size * lot).toFixed(3)) }] : [];
        });
        if (JSON.stringify(expected) !== JSON.stringify(fresh[side])) depleted++;
        expect(next[side]).toEqual(expected);
      }
    }
    expect(depleted).toBeGreaterThan(10);
  });
});

describe('SimMarket prints', () => {
  it('serialise as plain trades, their ids spelled out when read', () => {
    const t = trades(HOUR_EVENTS)[0]!;
    const plain = { symbol: t.symbol, ts: t.ts, price: t.price, size: t.size, aggressor: t.aggressor, tradeId: t.tradeId };
    expect(JSON.stringify(t)).toBe(JSON.stringify(plain));
    expect(plain.tradeId).toBe(`sim-${t.symbol}-1`);
  });
});

describe('SimMarket events are sound by construction (soundEvents: the runtime does not check them)', () => {
  it.each([
    ['defaults', {}],
    ['thin, busy and volatile', { levels: 2, trades: { refillPerBook: 0 }, symbols: { 'SOL-PERP': { touchDepthUsd: 50, tradeMeanIntervalMs: 20, medianTradeUsd: 5_000 } }, regime: { volMultiplier: 10, calmToVolatilePerHour: 1 } }],
    ['one level a side', { levels: 1, symbols: { 'ETH-PERP': { touchDepthUsd: 1, tradeMeanIntervalMs: 10 } } }],
  ])('every event passes the market event guard: %s', (_name, overrides) => {
    const m = new SimMarket({ config: simMarketConfigSchema.parse(overrides), seed: 5 });
    expect(m.soundEvents).toBe(true);
    const problems = new Map<string, number>();
    for (const e of takeUntil(m, T0 + 20 * 60_000)) {
      const p = marketEventProblem(e);
      if (p !== null) problems.set(p, (problems.get(p) ?? 0) + 1);
    }
    expect(Object.fromEntries(problems)).toEqual({});
  });

  it("tells each book's touch without its levels, equal to the first level of each side", () => {
    const bad = books(HOUR_EVENTS.slice(0, 20_000)).filter((b) => bestBid(b) !== b.bids[0]?.price || bestAsk(b) !== b.asks[0]?.price);
    expect(bad).toEqual([]);
    expect('bestBid' in (books(HOUR_EVENTS)[0] as Book)).toBe(true);
  });
});
