import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/api-server.js';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { launchChromium, SKIP_BROWSER } from './chromium.js';
import { tempDir } from './cli-harness.js';
import { equityRows } from '../support/equity-rows.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

// Browser-side globals the page functions below read (the test compiles without the DOM library).
// Functions, not strings: the page's Content-Security-Policy forbids evaluating strings.
declare const window: { dnbotDashboard: { updates: number; charts: { equity: { data: number[][] } }; eventSummary(data: unknown): string; healthText(v: number | null): string; leverageText(v: number): string } };
declare const document: { getElementById(id: string): { textContent: string | null } };

describe.skipIf(SKIP_BROWSER)('live dashboard in headless Chromium', () => {
  const db = join(tempDir(), 'dashboard.db');
  let c: Composed;
  let server: ApiServer;
  let running: Promise<void>;
  let browser: BrowserContext;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    // Three hours of history at full speed, then the same database continues live (resumed) at 300×.
    const warm = await compose({ config: parseConfig({ db, seed: 3, run: { speed: 'max', durationMs: 3 * 3_600_000 } }), logger: silentLogger, wall: new LiveClock() });
    await warm.runtime.run();
    warm.store.close();
    const config = parseConfig({ db, seed: 3, run: { speed: 300, statusIntervalMs: 1_000 }, api: { port: 0, pushIntervalMs: 250 } });
    c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock: new LiveClock(), pushIntervalMs: 250, logger: silentLogger, handlers: apiHandlers(c, config) });
    base = `http://127.0.0.1:${await server.start()}`;
    running = c.runtime.run();
    browser = await launchChromium();
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    c?.runtime.requestStop();
    await running;
    await server?.stop();
    c?.store.close();
  });

  it('shows a non-empty equity chart and the open pairs, and updates without a reload', async () => {
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/`);
    // The equity chart: uPlot's data has points (x and equity columns).
    await page.waitForFunction(() => {
      const d = window.dnbotDashboard.charts.equity.data;
      return d[0]!.length > 10 && d[1]!.length === d[0]!.length;
    }, undefined, { timeout: 30_000 });
    const points = await page.evaluate(() => window.dnbotDashboard.charts.equity.data[1]!.filter((v) => Number.isFinite(v)).length);
    const stored = equityRows(c.store.db).length;
    expect(points).toBeGreaterThan(10);
    expect(points).toBeLessThanOrEqual(stored);

    // An open pair appears with its ExitBrain ladder, and it is the one SQLite holds.
    await page.waitForSelector('#pairs .pair .ladder', { timeout: 90_000 });
    const shownPair = await page.getAttribute('#pairs .pair', 'data-pair');
    const known = c.store.db.prepare('SELECT id FROM round_trips WHERE id = ?').get(shownPair) as { id: string } | undefined;
    expect(known?.id).toBe(shownPair);

    // Updates without a reload: pushes arrive and the market time on the page moves; one page load.
    const updates = (): Promise<number> => page.evaluate(() => window.dnbotDashboard.updates);
    const u0 = await updates();
    const t0 = await page.textContent('#market-time');
    await page.waitForFunction(([t, u]) => document.getElementById('market-time').textContent !== t && window.dnbotDashboard.updates > u, [t0, u0] as const, { timeout: 20_000 });
    expect(await updates()).toBeGreaterThan(u0);
    expect(await page.textContent('#market-time')).not.toBe(t0);
    expect(loads).toHaveLength(1);
    expect(await page.textContent('#conn-text')).toBe('live');
    expect(await page.textContent('#equity')).toMatch(/^\$\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);

    // /health feeds its own panel.
    await page.waitForFunction(() => (document.getElementById('health-facts').textContent ?? '').includes('ExitBrain'), undefined, { timeout: 15_000 });

    // Recent events read as words: an action by its kind, an empty list as "none", never raw JSON.
    const words = await page.evaluate(() => window.dnbotDashboard.eventSummary({ from: null, to: 'low', action: { kind: 'none' }, reasons: [] }));
    expect(words).toBe('from – · to low · action none · reasons none');
    expect(await page.textContent('#events')).not.toContain('{"');

    // Right figures that read as bugs when raw: a health ratio far from liquidation, a small plan's leverage.
    const figures = await page.evaluate(() => [window.dnbotDashboard.healthText(167069.4), window.dnbotDashboard.healthText(245.4), window.dnbotDashboard.healthText(null), window.dnbotDashboard.leverageText(0.009812345678901234)]);
    expect(figures).toEqual(['> 1,000%', '245%', 'n/a', '0.00981×']);
    expect(await page.textContent('#pairs .pair .meta')).toMatch(/ExitBrain \S+( \(fallback levels\))? · \d+(\.\d{1,5})?× · LSF/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  }, 180_000);

  it('asks for the token when reads need it (bound beyond loopback), then shows the same data', async () => {
    const token = 'browser-test-token-42';
    const guarded = new ApiServer({ host: '127.0.0.1', port: 0, readsNeedToken: true, controlToken: token, clock: new LiveClock(), pushIntervalMs: 250, logger: silentLogger, handlers: apiHandlers(c, parseConfig({})) });
    const url = `http://127.0.0.1:${await guarded.start()}/`;
    const p = await browser.newPage();
    try {
      await p.goto(url);
      await p.waitForSelector('#token-form:not([hidden])', { timeout: 10_000 });
      expect(await p.textContent('#equity')).toBe('—');
      await p.fill('#token-input', token);
      await p.click('#token-form button');
      await p.waitForFunction(() => window.dnbotDashboard.updates > 1 && window.dnbotDashboard.charts.equity.data[0]!.length > 10, undefined, { timeout: 20_000 });
      expect(await p.textContent('#conn-text')).toBe('live');
      expect(await p.isHidden('#token-form')).toBe(true);
    } finally {
      await p.close();
      await guarded.stop();
    }
  }, 60_000);
});
