import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { unwritableReason } from './unwritable-reason.js';
import { LiveClock } from '../core/clock.js';
import { ConfigError, ErrorCodes } from '../core/errors.js';
import { loadExecutionMetrics } from '../engine/execution-metrics-loader.js';
import { loadReportAssets } from '../report/report-assets.js';
import { gatherReport, type ReportData } from '../report/report-data.js';
import { renderReportHtml } from '../report/report-html.js';
import type { Store } from '../store/store.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import type { DnbotConfig } from './config-schema.js';
import { phaseGateFor } from '../engine/phase-gate-reader.js';
import { actionTime } from './control-commands.js';

export interface ReportFlags {
  db: string;
  out: string;
  bot?: string;
  from?: string;
  to?: string;
}

/** An ISO date or date-time (UTC unless it says otherwise). @throws E_CLI_USAGE naming the flag. */
export function parseIsoFlag(flag: string, text: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ts = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ts)) throw new ConfigError(flag, `expected an ISO date such as 2026-01-01 or 2026-01-01T06:00:00Z, got "${text}"`, ErrorCodes.CLI_USAGE);
  return ts;
}

/**
 * Execution metrics for the report, through engine/execution-metrics-loader. Empty-safe: a database
 * without the tables it reads (or any failure there) gives a report without that section.
 */
function executionMetricsHook(store: Store, cfg: DnbotConfig, botId: string, fromTs: number, toTs: number, fundingUsd: number | null, gateTs: number): unknown {
  try {
    return loadExecutionMetrics(store, { botId, fromTs, toTs: toTs + 1, phases: cfg.phases, fundingUsd, gateTs });
  } catch {
    return null;
  }
}

/** `dnbot report`: a self-contained HTML report of a run or a period, written to `--out`. */
export function reportCommand(store: Store, cfg: DnbotConfig, f: ReportFlags, io: CliIo): { code: number; data: ReportData } {
  const fromTs = f.from !== undefined ? parseIsoFlag('--from', f.from) : undefined;
  const toTs = f.to !== undefined ? parseIsoFlag('--to', f.to) : undefined;
  if (fromTs !== undefined && toTs !== undefined && toTs <= fromTs) throw new ConfigError('--to', 'must be after --from', ErrorCodes.CLI_USAGE);
  // Checked before the work: a report that cannot be written is bad input, named.
  const outDir = dirname(resolve(f.out));
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) throw new ConfigError('--out', `cannot write ${resolve(f.out)}: its folder does not exist`, ErrorCodes.CLI_USAGE);
  const settings = {
    phases: cfg.phases,
    limits: cfg.risk.limits,
    thresholds: cfg.portfolio.thresholds,
    protection: cfg.portfolio.protection,
    allocation: { tiers: cfg.risk.allocation, capitalShare: cfg.risk.capitalShare, maxPortfolioLeverage: cfg.risk.limits.maxPortfolioLeverage },
  };
  const query = { ...(f.bot !== undefined ? { botId: f.bot } : {}), ...(fromTs !== undefined ? { fromTs } : {}), ...(toTs !== undefined ? { toTs } : {}) };
  const bots = store.bots.list();
  const bot = f.bot ?? bots[0]?.id;
  if (bot === undefined || !bots.some((b) => b.id === bot)) {
    throw new ConfigError('--bot', bots.length === 0 ? 'no bot in this database' : `no bot "${bot}"; bots: ${bots.map((b) => b.id).join(', ')}`, ErrorCodes.CLI_USAGE);
  }
  const wallNow = new LiveClock().now();
  const first = gatherReport(store, settings, query, wallNow);
  // The gate every surface shows: judged now (as `dnbot phase status`), or at the end of a
  // period that ends earlier (--to).
  const gateTs = toTs !== undefined ? Math.min(toTs, actionTime(store, bot, wallNow)) : actionTime(store, bot, wallNow);
  const gate = phaseGateFor(store, bot, cfg.phases, gateTs);
  const data = { ...first, phase: { ...first.phase, gate }, executionMetrics: executionMetricsHook(store, cfg, bot, first.fromTs, first.toTs, first.summary.fundingUsd, gateTs) };
  const html = renderReportHtml(data, loadReportAssets());
  const out = resolve(f.out);
  try {
    writeFileSync(out, html);
  } catch (err) {
    throw new ConfigError('--out', `cannot write ${out}: ${unwritableReason(err)}`);
  }
  const s = data.summary;
  io.out(
    `report written to ${out} (${(html.length / 1024).toFixed(0)} KiB): ${bot}, ${new Date(data.fromTs).toISOString()} → ${new Date(data.toTs).toISOString()}, ` +
      `${data.equity.total} equity snapshots, ${s.roundTrips} round trips, ${data.breakers.length} breaker trips, ${data.interventions.length} manual interventions`,
  );
  return { code: EXIT_OK, data };
}
