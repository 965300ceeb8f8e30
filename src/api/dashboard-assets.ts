import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** One static file the status server hands out: the dashboard page, its script and style, uPlot. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const require = createRequire(import.meta.url);
const DASHBOARD_DIR = fileURLToPath(new URL('./dashboard/', import.meta.url));

/** Where uPlot's browser build and stylesheet are installed (resolved through node's module lookup). */
export function uplotFiles(): { js: string; css: string } {
  return { js: require.resolve('uplot/dist/uPlot.iife.min.js'), css: require.resolve('uplot/dist/uPlot.min.css') };
}

/** The dashboard's own files, by file name under src/api/dashboard/. */
export function dashboardFile(name: 'index.html' | 'dashboard.js' | 'chart-ticks.js' | 'dashboard.css'): string {
  return `${DASHBOARD_DIR}${name}`;
}

/**
 * Reads the dashboard's files once, keyed by URL path. No build step: the page, two plain scripts
 * (the chart ticks it shares with the report, and its own), one stylesheet and uPlot as shipped in
 * node_modules.
 */
export function loadDashboardAssets(): ReadonlyMap<string, StaticAsset> {
  const u = uplotFiles();
  const entries: [string, string, string][] = [
    ['/', dashboardFile('index.html'), 'text/html; charset=utf-8'],
    ['/dashboard.js', dashboardFile('dashboard.js'), 'text/javascript; charset=utf-8'],
    ['/chart-ticks.js', dashboardFile('chart-ticks.js'), 'text/javascript; charset=utf-8'],
    ['/dashboard.css', dashboardFile('dashboard.css'), 'text/css; charset=utf-8'],
    ['/assets/uPlot.iife.min.js', u.js, 'text/javascript; charset=utf-8'],
    ['/assets/uPlot.min.css', u.css, 'text/css; charset=utf-8'],
  ];
  return new Map(entries.map(([path, file, contentType]) => [path, { contentType, body: readFileSync(file) }]));
}
