import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { Store } from '../../src/store/store.js';
import { launchChromium, SKIP_BROWSER } from './chromium.js';
import { runCli, tempDir } from './cli-harness.js';
import { layoutProblems, overlappingBoxes, textsOf, tickOverlaps } from './layout-probe.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** A phone (iPhone 12–15 portrait) and a laptop/desktop screen. */
const WIDTHS = [390, 1440] as const;
const DAY = 86_400_000;

declare const window: { dnbotDashboard: { updates: number; charts: { equity: { data: number[][] } } }; dnbotReport?: { drawn: number } };
declare const document: { getElementById(id: string): { textContent: string | null } | null; querySelector(sel: string): unknown };

/** The report has drawn every chart that has data (an empty one says so instead). */
const reportDrawn = (p: Page): Promise<unknown> =>
  p.waitForFunction(() => {
    const charts = (JSON.parse(document.getElementById('report-data')!.textContent!) as { charts: { x: unknown[] }[] }).charts;
    return window.dnbotReport?.drawn === charts.filter((c) => c.x.length > 0).length;
  }, undefined, { timeout: 20_000 });

/**
 * Stretches a short run's database over 43 UTC days: a daily volume row and hourly equity
 * snapshots for each day after the run, as a six-week replay leaves them.
 */
function stretchTo43Days(db: string, botId: string): void {
  const store = Store.open(db);
  try {
    const last = store.snapshots.latestEquity(botId)!;
    const first = Date.parse(`${new Date(last.ts).toISOString().slice(0, 10)}T00:00:00Z`) + DAY;
    for (let d = 0; d < 42; d++) {
      const day = new Date(first + d * DAY).toISOString().slice(0, 10);
      store.dailyVolume.addFill(botId, day, 8_000 + ((d * 3_517) % 19_000), 2.5 + (d % 5), ((d % 7) - 3) * 1.3);
      for (let h = 0; h < 24; h++) {
        const equity = last.equity + Math.sin((d * 24 + h) / 40) * 35 + d * 1.7;
        store.snapshots.saveEquity({ botId, ts: first + d * DAY + h * 3_600_000, equity, collateral: last.collateral, netDelta: Math.cos(h) * 20, grossNotional: 4_000 });
      }
    }
  } finally {
    store.close();
  }
}

describe.skipIf(SKIP_BROWSER)('layout at 390 and 1440 px in headless Chromium', () => {
  const dir = tempDir();
  const db = join(dir, 'layout.db');
  const report = join(dir, 'report.html');
  const longDb = join(dir, 'long.db');
  const longReport = join(dir, 'report-43d.html');
  let c: Composed;
  let server: ApiServer;
  let browser: BrowserContext;
  let base = '';

  beforeAll(async () => {
    // Three hours of a simulated bot: fills, closed pairs and one open (positions, its ladder) in SQLite.
    const config = parseConfig({ db, seed: 3, run: { speed: 'max', durationMs: 3 * 3_600_000 } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock: new LiveClock(), pushIntervalMs: 250, logger: silentLogger, handlers: apiHandlers(c, config) });
    base = `http://127.0.0.1:${await server.start()}`;
    expect((await runCli(['report', '--db', db, '--out', report])).code).toBe(0);

    const short = await compose({ config: parseConfig({ db: longDb, seed: 1, run: { speed: 'max', durationMs: 2 * 3_600_000 } }), logger: silentLogger, wall: new LiveClock() });
    await short.runtime.run();
    short.store.close();
    stretchTo43Days(longDb, 'dn-eth-sol');
    expect((await runCli(['report', '--db', longDb, '--out', longReport])).code).toBe(0);

    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    c?.store.close();
  });

  async function open(url: string, width: number, ready: (p: Page) => Promise<unknown>): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await ready(page);
    // Fonts and uPlot's resize settle before measuring.
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    return page;
  }

  for (const width of WIDTHS) {
    it(`dashboard at ${width} px: nothing wider than its container, equity and volume in full, ticks apart`, async () => {
      const page = await open(`${base}/`, width, (p) =>
        p.waitForFunction(() => window.dnbotDashboard.updates > 0 && window.dnbotDashboard.charts.equity.data[0]!.length > 10 && document.querySelector('#positions table') !== null && document.querySelector('#pairs .ladder') !== null && document.querySelector('#fills table') !== null && document.querySelector('#trades table') !== null && document.querySelector('#liquidation table') !== null, undefined, { timeout: 30_000 }),
      );
      try {
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}.png`), fullPage: true });
        const figures = await page.evaluate(textsOf, '#equity, #volume');
        expect(figures.map((f) => f.text)).toEqual([expect.stringMatching(/^\$\d{1,3}(,\d{3})*\.\d{2}$/), expect.stringMatching(/^\$[\d,]+ \/ \$[\d,]+$/)]);
        expect.soft(figures.filter((f) => f.cut)).toEqual([]);
        // The panels a trader asked for: leverage used against the cap, liquidation prices, fees and funding, history.
        expect(await page.textContent('#margin-facts')).toMatch(/Leverage used\d+\.\d{2}× of \d+(\.\d+)?× allowed/);
        expect(await page.locator('#liquidation tbody tr').count()).toBe(c.store.positions.list('dn-eth-sol', 'sim').filter((p) => p.size !== 0).length);
        expect(await page.textContent('#cost-facts')).toMatch(/Funding paid-?\$[\d,]+\.\d{2}/);
        expect(await page.locator('#fills tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('#trades tbody tr').count()).toBe(Math.min(10, c.store.roundTrips.closed('dn-eth-sol').length));
        expect.soft(await page.evaluate(layoutProblems)).toEqual([]);
        expect.soft(await page.evaluate(tickOverlaps, 'dnbotDashboard')).toEqual([]);
        // The ExitBrain ladder's labels (SL, entry, TP1–TP3, now) do not run into each other.
        expect.soft(await page.evaluate(overlappingBoxes, '.ladder .lbl, .ladder .now')).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);

    it(`report at ${width} px: nothing wider than its container, figures in full, ticks apart`, async () => {
      const page = await open(pathToFileURL(report).href, width, reportDrawn);
      try {
        await page.screenshot({ path: join(ARTIFACTS, `report-${width}.png`), fullPage: true });
        expect.soft((await page.evaluate(textsOf, '.kpi .v')).filter((f) => f.cut)).toEqual([]);
        expect.soft(await page.evaluate(layoutProblems)).toEqual([]);
        expect.soft(await page.evaluate(tickOverlaps, 'dnbotReport')).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);

    it(`43-day report at ${width} px: day labels of the volume chart apart, nothing wider than its container`, async () => {
      const page = await open(pathToFileURL(longReport).href, width, reportDrawn);
      try {
        await page.screenshot({ path: join(ARTIFACTS, `report-43d-${width}.png`), fullPage: true });
        expect.soft(await page.evaluate(tickOverlaps, 'dnbotReport')).toEqual([]);
        expect.soft(await page.evaluate(layoutProblems)).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});
