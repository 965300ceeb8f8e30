import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { gatherReport } from '../../src/report/report-data.js';
import { Store } from '../../src/store/store.js';
import { launchChromium, SKIP_BROWSER } from './chromium.js';
import { runCli, tempDir } from './cli-harness.js';
import { equityRows } from '../support/equity-rows.js';

interface Chart {
  id: string;
  x: number[];
  series: { label: string; values: (number | null)[] }[];
}

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe('dnbot report over a 6-hour simulated run', () => {
  const dir = tempDir();
  const db = join(dir, 'run.db');
  const out = join(dir, 'report.html');
  let html = '';
  let charts: Chart[] = [];
  let closed = 0;
  let snapshots = 0;
  let fundingPaid = 0;
  let feesPaid = 0;

  beforeAll(async () => {
    const c = await compose({ config: parseConfig({ db, seed: 4, run: { speed: 'max', durationMs: 6 * 3_600_000 } }), logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    fundingPaid = c.paper?.fundingPaid() ?? Number.NaN;
    feesPaid = (c.store.db.prepare('SELECT SUM(fee) AS f FROM fills').get() as { f: number }).f;
    c.store.controls.recordIntervention({ botId: 'dn-eth-sol', ts: c.runtime.status().ts, action: 'halt', detail: { reason: 'report <test> & check' } });
    c.store.close();
    const r = await runCli(['report', '--db', db, '--out', out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/report written to/);
    html = readFileSync(out, 'utf8');
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    charts = (JSON.parse(json) as { charts: Chart[] }).charts;
    const store = Store.open(db);
    closed = store.roundTrips.closed('dn-eth-sol').length;
    snapshots = equityRows(store.db).length;
    store.close();
  }, 240_000);

  const chart = (id: string): Chart => charts.find((c) => c.id === id)!;

  it('plots equity and drawdown from every snapshot, daily volume with its target, and the round-trip PnL distribution', () => {
    expect(snapshots).toBeGreaterThan(300);
    const eq = chart('chart-equity');
    expect(eq.x).toHaveLength(snapshots);
    expect(eq.series[0]!.values.every((v) => typeof v === 'number' && v > 0)).toBe(true);
    const dd = chart('chart-drawdown');
    expect(dd.series[0]!.values).toHaveLength(snapshots);
    expect(dd.series[0]!.values.every((v) => v !== null && v <= 0)).toBe(true);
    expect(Math.min(...(dd.series[0]!.values as number[]))).toBeLessThan(0);
    const vol = chart('chart-volume');
    expect(vol.x.length).toBeGreaterThanOrEqual(1);
    expect(vol.series[0]!.values.some((v) => (v ?? 0) > 0)).toBe(true);
    expect(vol.series[1]!.values.every((v) => v === 20_000)).toBe(true);
    expect(closed).toBeGreaterThan(0);
    const dist = chart('chart-pnl-dist');
    expect((dist.series[0]!.values as number[]).reduce((a, v) => a + v, 0)).toBe(closed);
    expect(chart('chart-cum-pnl').x).toHaveLength(closed);
  });

  it('derives funding and fees that match the paper venue and the fills', () => {
    const store = Store.open(db);
    try {
      const cfg = parseConfig({});
      const d = gatherReport(store, { phases: cfg.phases, limits: cfg.risk.limits, thresholds: cfg.portfolio.thresholds, protection: cfg.portfolio.protection }, {}, 0);
      expect(d.summary.feesUsd).toBeCloseTo(feesPaid, 9);
      expect(d.summary.makerFeesUsd + d.summary.takerFeesUsd).toBeCloseTo(feesPaid, 9);
      expect(Number.isFinite(fundingPaid)).toBe(true);
      expect(d.summary.fundingUsd).toBeCloseTo(fundingPaid, 6);
      expect(d.summary.roundTrips).toBe(closed);
    } finally {
      store.close();
    }
  });

  it('has the tables: per pair, fees and funding, risk metrics, breakers, manual interventions, events', () => {
    for (const title of ['Per pair', 'Fees and funding', 'Risk metrics', 'Circuit breaker trips', 'Manual interventions', 'Notable events', 'Phase progress', 'Execution quality']) {
      expect(html).toContain(`<h3>${title}</h3>`);
    }
    expect(html).toContain('ETH-PERP / SOL-PERP');
    expect(html).toMatch(/Sharpe \/ Sortino \/ Calmar/);
    // Six hours of equity: the annualised ratios carry their warning.
    expect(html).toMatch(/<span class="warn-note" role="note">⚠ annualised from 0\.2\d day\(s\) of data, under 30/);
    expect(html).toMatch(/<dt>Dynamic correlation \(DCC\) and regime<\/dt><dd>(\S+\/\S+: ρ -?[\d.]+ now, -?[\d.]+ long-run · regime [a-z-]+ · hedge ratio [\d.]+|n\/a \(|—)/);
    expect(html).toContain('<h4>Neutrality (from fills, at event resolution)</h4>');
    expect(html).toContain('<h4>Where the money went</h4>');
    expect(html).toMatch(/<dt>= net PnL<\/dt><dd>-?\$[\d,.]+<\/dd>/);
    // Text from the database is escaped, never markup.
    expect(html).toContain('report &lt;test&gt; &amp; check');
    expect(html).not.toContain('report <test>');
  });

  it('needs no network: no http(s) in any src or href, scripts and styles inline', () => {
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]!);
    expect(refs.filter((r) => /^(https?:)?\/\//i.test(r))).toEqual([]);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).not.toMatch(/@import/);
  });

  it.skipIf(SKIP_BROWSER)('opens in Chromium with the network blocked and draws every chart', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const blocked: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        blocked.push(url);
        return route.abort();
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(out).href);
      await page.waitForFunction('window.dnbotReport && window.dnbotReport.drawn === 5', undefined, { timeout: 20_000 });
      const lengths = await page.evaluate<Record<string, number>>(
        'Object.fromEntries(Object.entries(window.dnbotReport.charts).map(([id, u]) => [id, u.data[1].filter((v) => v !== null).length]))',
      );
      expect(lengths['chart-equity']).toBe(snapshots);
      expect(lengths['chart-pnl-dist']).toBeGreaterThan(0);
      expect(lengths['chart-volume']).toBeGreaterThan(0);
      expect(await page.locator('canvas').count()).toBe(5);
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('dnbot report arguments', () => {
  it('rejects a bad --from with exit code 2 naming it', async () => {
    const dir = tempDir();
    const c = await compose({ config: parseConfig({ db: join(dir, 'a.db'), seed: 1, run: { speed: 'max', durationMs: 600_000 } }), logger: silentLogger, wall: new LiveClock() });
    await c.runtime.run();
    c.store.close();
    const r = await runCli(['report', '--db', join(dir, 'a.db'), '--out', join(dir, 'r.html'), '--from', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--from/);
    const unknown = await runCli(['report', '--db', join(dir, 'a.db'), '--out', join(dir, 'r.html'), '--bot', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toMatch(/--bot: no bot "nope"/);
    const ranged = await runCli(['report', '--db', join(dir, 'a.db'), '--out', join(dir, 'r2.html'), '--from', '2026-01-01T00:02:00Z', '--to', '2026-01-01T00:05:00Z']);
    expect(ranged.code).toBe(0);
    const json = /id="report-data">([\s\S]*?)<\/script>/.exec(readFileSync(join(dir, 'r2.html'), 'utf8'))![1]!;
    const eq = (JSON.parse(json) as { charts: Chart[] }).charts.find((x) => x.id === 'chart-equity')!;
    expect(eq.x.length).toBeGreaterThan(0);
    expect(Math.min(...eq.x)).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:02:00Z') / 1000);
    expect(Math.max(...eq.x)).toBeLessThanOrEqual(Date.parse('2026-01-01T00:05:00Z') / 1000);
    // A period too short for returns, or with no data at all, still gives a report.
    for (const range of [['2026-01-01T00:03:00Z', '2026-01-01T00:04:00Z'], ['2030-01-01', '2030-01-02']]) {
      const r = await runCli(['report', '--db', join(dir, 'a.db'), '--out', join(dir, 'r3.html'), '--from', range[0]!, '--to', range[1]!]);
      expect(r.err).toEqual([]);
      expect(r.code).toBe(0);
    }
    expect(readFileSync(join(dir, 'r3.html'), 'utf8')).toContain('2030-01-01 00:00 → 2030-01-02 00:00');
  });
});
