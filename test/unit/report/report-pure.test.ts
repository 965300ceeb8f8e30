import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';
import { thinIndices } from '../../../src/report/equity-series.js';
import { histogram, pairTable } from '../../../src/report/pair-table.js';
import { drawdownSeries } from '../../../src/report/report-data.js';
import { esc, inlineJson } from '../../../src/report/report-format.js';
import { executionSection } from '../../../src/report/report-sections.js';

const trip = (over: Partial<RoundTrip>): RoundTrip => ({
  id: 'x',
  botId: 'b',
  status: 'closed',
  longSymbol: 'ETH-PERP',
  shortSymbol: 'SOL-PERP',
  targetNotional: 500,
  entryTs: 0,
  openTs: 60_000,
  exitTs: 3_660_000,
  exitReason: 'tp3',
  realizedPnl: 1,
  fees: 0.2,
  signal: {},
  updatedTs: 0,
  ...over,
});

describe('thinIndices', () => {
  it('keeps everything under the cap, else at most the cap with first and last', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(thinIndices(0, 10)).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 2, max: 600 }), (n, max) => {
        const idx = thinIndices(n, max);
        expect(idx.length).toBeLessThanOrEqual(Math.min(n, max));
        expect(idx[0]).toBe(0);
        expect(idx.at(-1)).toBe(n - 1);
        for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
      }),
    );
  });
});

describe('drawdownSeries', () => {
  it.each([
    [[100, 110, 99, 121], [0, 0, 99 / 110 - 1, 0]],
    [[100, 90, 80], [0, -0.1, -0.2]],
    [[], []],
  ])('%j → %j', (equity, dd) => {
    const got = drawdownSeries(equity);
    got.forEach((v, i) => expect(v).toBeCloseTo(dd[i]!, 12));
    expect(got).toHaveLength(dd.length);
  });
});

describe('histogram', () => {
  it('counts every finite value once, in equal-width bins covering min..max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (vals, bins) => {
        const h = histogram(vals, bins);
        expect(h.counts.reduce((a, v) => a + v, 0)).toBe(vals.length);
        expect(h.edges[0]).toBe(Math.min(...vals));
      }),
    );
  });
  it('counts values whose span is so small that the bin width underflows to zero', () => {
    const h = histogram([0, 5e-324], 2);
    expect(h.counts.reduce((a, v) => a + v, 0)).toBe(2);
  });
  it('puts equal values in one bin and ignores NaN', () => {
    expect(histogram([2, 2, Number.NaN], 10)).toEqual({ edges: [2], counts: [2], width: 0 });
    expect(histogram([], 10).counts).toEqual([]);
  });
});

describe('pairTable', () => {
  it('groups by long/short symbols with wins, PnL, fees, hold and exit reasons', () => {
    const rows = pairTable([
      trip({ id: 'a', realizedPnl: 3, fees: 0.5 }),
      trip({ id: 'b', realizedPnl: -1, fees: 0.5, exitReason: 'stop_loss', exitTs: 60_000 + 1_800_000 }),
      trip({ id: 'c', longSymbol: 'SOL-PERP', shortSymbol: 'ETH-PERP', realizedPnl: 2 }),
    ]);
    expect(rows.map((r) => r.pair)).toEqual(['ETH-PERP / SOL-PERP', 'SOL-PERP / ETH-PERP']);
    const r = rows[0]!;
    expect([r.trades, r.wins, r.pnlUsd, r.feesUsd, r.bestUsd, r.worstUsd]).toEqual([2, 1, 2, 1, 3, -1]);
    expect(r.avgHoldMs).toBe((3_600_000 + 1_800_000) / 2);
    expect(r.exits).toEqual({ tp3: 1, stop_loss: 1 });
  });
});

describe('report text safety', () => {
  it('escapes markup and keeps inlined JSON from closing its script element', () => {
    expect(esc(`<b a="1">&'`)).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
    const s = inlineJson({ t: '</script><script>alert(1)</script>' });
    expect(s).not.toContain('</script');
    expect(JSON.parse(s)).toEqual({ t: '</script><script>alert(1)</script>' });
  });
  it('the execution section is empty-safe and shows metrics when handed in', () => {
    expect(executionSection(null)).toMatch(/not available/);
    expect(executionSection({})).toMatch(/not available/);
    const html = executionSection({ total: { makerShare: 0.625, netBpsPerVolume: 4.5, fills: 12 }, days: [{ day: '2026-01-01', metrics: { makerShare: 0.5 } }] });
    expect(html).toContain('62.5%');
    expect(html).toContain('4.50');
    expect(html).toContain('2026-01-01');
  });
});
