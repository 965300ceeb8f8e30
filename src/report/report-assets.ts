import { readFileSync } from 'node:fs';
import { dashboardFile, uplotFiles } from '../api/dashboard-assets.js';
import type { ReportAssets } from './report-html.js';

/**
 * Reads what a report inlines: uPlot's browser build and stylesheet, the chart script (the axis
 * ticks it shares with the dashboard, then its own), the style.
 */
export function loadReportAssets(): ReportAssets {
  const u = uplotFiles();
  const own = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  return { uplotJs: readFileSync(u.js, 'utf8'), uplotCss: readFileSync(u.css, 'utf8'), clientJs: `${readFileSync(dashboardFile('chart-ticks.js'), 'utf8')}\n${own('report-client.js')}`, css: own('report.css') };
}
