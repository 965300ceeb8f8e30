import { Argument, Command, CommanderError, Option } from 'commander';
import { ConfigError, DnbotError, ErrorCodes, isDnbotError } from '../core/errors.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './cli-io.js';
import { DOCTOR_VENUES, RECORD_VENUES } from './command-venues.js';
import { DEFAULT_CONFIG_PATH, packageVersion } from './package-root.js';
import { RUN_VENUES, type RunFlags } from './run-flags.js';
import type { ReportFlags } from './report-command.js';
import type { CompareFlags } from './compare-command.js';
import type { DoctorFlags } from './doctor-command.js';
import type { RecordFlags } from './record-command.js';
import type { ControlContext } from './control-commands.js';
import type { DnbotConfig } from './config-schema.js';

// Each command's module (and what it pulls in: SQLite, zod, the engine, adapters) is imported
// only when that command runs, so `dnbot --help` and `--version` start in a fraction of a second.

/** The config of a read command: `--config FILE` or config/default.json, validated. */
async function loadConfig(file: string | undefined): Promise<DnbotConfig> {
  const [{ parseConfig, readConfigFile }, { z }] = await Promise.all([import('./config-loader.js'), import('zod')]);
  // A read command validates one config and exits: zod's compiled fast path (code generated per
  // object schema on its first parse) costs more than it saves here. Same checks, same errors.
  z.config({ jitless: true });
  return parseConfig(readConfigFile(file, DEFAULT_CONFIG_PATH));
}

/** `--db` when given, else the config's `db` (data/dnbot.db by default), as `dnbot run` uses. */
async function dbPath(flags: { db?: string; config?: string }): Promise<string> {
  return flags.db ?? (await loadConfig(flags.config)).db;
}

const DB_HELP = "SQLite file (default: the config's db, data/dnbot.db)";
const CONFIG_HELP = 'JSON config file (default: config/default.json)';

const USAGE_CODES = new Set<string>([ErrorCodes.CONFIG_INVALID, ErrorCodes.CLI_USAGE, ErrorCodes.STORE_LOCKED, ErrorCodes.STORE_MIGRATION]);

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', CONFIG_HELP)
    .option('--duration <d>', 'bound the run in market time, e.g. 30m, 6h, 2d')
    .option('--speed <max|N>', 'market time per wall time: N× real time, or max (simulated clock, as fast as the CPU allows)')
    .option('--seed <n>', 'seed of the simulated market (same seed, same orders)')
    .option('--db <path>', 'SQLite file holding all state (default: data/dnbot.db)')
    .option('--json', 'print exactly one JSON summary on stdout at the end; logs go to stderr')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']))
    .option('--api-port <n>', 'port of the local status API on 127.0.0.1 (0 picks a free port)');
}

/** Parses `--data FILE[:SYMBOL]` occurrences. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name('dnbot')
    .description('Delta-neutral pair trading bots: paper on a simulated market, replay of recorded candles, and live venues.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)')
    .version(packageVersion(), '-V, --version', 'print the version');

  addRunOptions(
    program
      .command('run')
      .description('run the configured bots (paper mode on the built-in simulated market by default); Ctrl-C stops cleanly')
      .addOption(new Option('--venue <venue>', 'market: sim (offline, default), or nado, coinbase, drift (network)').choices([...RUN_VENUES]))
      .addOption(new Option('--mode <mode>', 'paper (default: the paper engine fills against the venue\'s live books) or live (real orders)').choices(['paper', 'live']))
      .option('--live', 'confirm live trading: real orders with real money (needed with --mode live)'),
  ).action(async (flags: RunFlags) => {
    const { runCommand } = await import('./run-command.js');
    setCode((await runCommand({ flags, command: 'run', io })).code);
  });

  addRunOptions(
    program
      .command('replay')
      .description('run the same bots over recorded 1-minute OHLCV candles (ccxt layout: timestamp,open,high,low,close,volume; CSV or JSON)')
      .requiredOption('--data <file[=SYMBOL]>', 'candle file; repeat per symbol; symbol from the file name (ETH_USDT-1m.json → ETH-PERP) unless given as FILE=SYMBOL', collect, [])
      .option('--paths <n>', 'results as a band: replay over n seeded bridge paths plus the adverse path, each on its own temp database, and report net bps per volume min / median / max and the share of paths >= 0 (--db is not used)'),
  ).action(async (flags: RunFlags & { data: string[]; paths?: string }) => {
    if (flags.paths !== undefined) {
      const { replayBandCommand } = await import('./replay-band.js');
      setCode(await replayBandCommand({ ...flags, paths: flags.paths }, io));
      return;
    }
    const replay = flags.data.map((d) => {
      const eq = d.lastIndexOf('=');
      return eq > 0 ? { path: d.slice(0, eq), symbol: d.slice(eq + 1) } : { path: d };
    });
    const { runCommand } = await import('./run-command.js');
    setCode((await runCommand({ flags, command: 'replay', replay, io })).code);
  });

  program
    .command('orders')
    .description('list orders with status, purpose (entry/exit/hedge) and the sizing trace of each')
    .option('--db <path>', DB_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--bot <id>', 'only this bot')
    .option('--status <status>', 'only this status')
    .option('--limit <n>', 'at most n orders')
    .option('--json', 'JSON output')
    .action(async (flags: { db?: string; config?: string; bot?: string; status?: string; limit?: string; json?: boolean }) => {
      const { ordersCommand } = await import('./orders-command.js');
      setCode(ordersCommand({ ...flags, db: await dbPath(flags) }, io));
    });

  program
    .command('compare')
    .description('replay two configurations over the same candles (each on a fresh temp SQLite file) and print them side by side')
    .requiredOption('--data <file[=SYMBOL]>', 'candle file; repeat per symbol (as for replay)', collect, [])
    .requiredOption('--a <config>', 'first configuration (JSON)')
    .requiredOption('--b <config>', 'second configuration (JSON)')
    .option('--from <time>', 'first candle to replay: ISO date or ms (earlier candles warm up)')
    .option('--to <time>', 'stop before this time: ISO date or ms')
    .option('--json', 'print one JSON object { a, b } with each run\'s summary and column')
    .option('--paths <n>', 'compare bands: each configuration over n seeded bridge paths plus the adverse path')
    .addOption(new Option('--log-level <level>', 'log level of the runs').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']))
    .action(async (flags: CompareFlags) => {
      const { compareCommand } = await import('./compare-command.js');
      setCode(await compareCommand(flags, io));
    });

  program
    .command('sweep')
    .description('replay every combination of a grid of parameters over a base configuration, in parallel child processes (each on its own temp database), optionally split into train and test windows, and rank them')
    .requiredOption('--grid <file>', 'JSON object of "dotted.config.path": [values to try]')
    .requiredOption('--data <file[=SYMBOL]>', 'candle file; repeat per symbol (as for replay)', collect, [])
    .option('--config <file>', 'base configuration (default: the shipped default)')
    .option('--split <time>', 'train before this time, test from it (ISO date or ms); the ranking uses the training window only')
    .option('--walk-forward <folds>', 'cut the replay range into folds + 1 equal windows; each fold picks the best combination on one window and reports it on the next')
    .option('--jobs <n>', 'replays at a time (default and cap: the machine\'s cores)')
    .option('--out <prefix>', 'also write <prefix>.csv and <prefix>.json')
    .option('--json', 'print one JSON object with the ranked rows')
    .action(async (flags: { grid: string; data: string[]; config?: string; split?: string; walkForward?: string; jobs?: string; out?: string; json?: boolean }) => {
      const { sweepCommand } = await import('./sweep-command.js');
      setCode(await sweepCommand(flags, io));
    });

  program
    .command('status')
    .description('bots, positions, open pairs, open orders, the day’s volume and PnL, read from SQLite (bot running or not)')
    .option('--db <path>', DB_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--json', 'JSON output')
    .action(async (flags: { db?: string; config?: string; json?: boolean }) => {
      const [{ statusCommand }, { LiveClock }] = await Promise.all([import('./status-command.js'), import('../core/clock.js')]);
      const cfg = await loadConfig(flags.config);
      setCode(statusCommand({ ...flags, db: flags.db ?? cfg.db }, io, { phases: cfg.phases, now: new LiveClock().now(), allocation: cfg.risk.allocation, capitalShare: cfg.risk.capitalShare }));
    });

  program
    .command('record')
    .description('record a live venue\'s public books and trades as JSON lines (receive time + normalised event); dnbot replay --data FILE replays them')
    .addOption(new Option('--venue <venue>', 'venue to record').choices([...RECORD_VENUES]).makeOptionMandatory())
    .requiredOption('--symbols <list>', 'comma-separated, e.g. ETH,SOL (→ ETH-PERP, SOL-PERP)')
    .requiredOption('--out <file>', 'JSON-lines file to write')
    .option('--duration <d>', 'stop after this much wall time, e.g. 10m (default: until Ctrl-C)')
    .option('--config <file>', CONFIG_HELP)
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']))
    .action(async (flags: RecordFlags) => {
      const { recordCommand } = await import('./record-command.js');
      setCode(await recordCommand(flags, io, { defaultConfigPath: DEFAULT_CONFIG_PATH }));
    });

  program
    .command('doctor')
    .description('check a real venue before trading: config, keys (names only), clock skew, connectivity, instruments, rate limits; exit 0 when all pass, 1 otherwise')
    .addOption(new Option('--venue <venue>', 'venue to check').choices([...DOCTOR_VENUES]).makeOptionMandatory())
    .addOption(new Option('--mode <mode>', 'check for this mode (default: the config\'s); live requires the keys').choices(['paper', 'live']))
    .option('--config <file>', CONFIG_HELP)
    .option('--json', 'JSON output')
    .action(async (flags: DoctorFlags) => {
      const { doctorCommand } = await import('./doctor-command.js');
      setCode(await doctorCommand(flags, io, { defaultConfigPath: DEFAULT_CONFIG_PATH }));
    });
  const withControl = async (flags: { db?: string; config?: string }, fn: (c: ControlContext, m: typeof import('./control-commands.js')) => number): Promise<void> => {
    const cfg = await loadConfig(flags.config);
    const [{ openExisting }, { LiveClock }, control] = await Promise.all([import('./orders-command.js'), import('../core/clock.js'), import('./control-commands.js')]);
    const store = openExisting(flags.db ?? cfg.db);
    try {
      setCode(fn({ store, io, now: new LiveClock().now(), phases: cfg.phases }, control));
    } finally {
      store.close();
    }
  };

  program
    .command('risk')
    .description('portfolio risk report from SQLite: VaR and ES, volatility, correlation, drawdown, limits and headroom, liquidation and stress tests')
    .option('--db <path>', DB_HELP)
    .option('--config <file>', 'config holding the limits (default: config/default.json)')
    .option('--bars <n>', 'recent 1-minute bars used for returns', '10080')
    .option('--horizon <d>', 'VaR horizon, e.g. 1d, 7d, 12h (overlapping windows when the bars allow, else √t, flagged)', '1d')
    .option('--risk-tolerance <fraction>', 'the 1-day VaR the suggested position size may bring the book to, share of equity (default: risk.limits.maxVar1dPercent)')
    .option('--json', 'JSON output')
    .action(async (flags: { db?: string; config?: string; bars: string; horizon: string; riskTolerance?: string; json?: boolean }) => {
      const bars = Number(flags.bars);
      if (!Number.isInteger(bars) || bars < 2) throw new ConfigError('--bars', `expected an integer ≥ 2, got "${flags.bars}"`, ErrorCodes.CLI_USAGE);
      const hm = /^(\d+(?:\.\d+)?)(d|h|m)$/.exec(flags.horizon.trim());
      const horizonDays = hm ? Number(hm[1]) / (hm[2] === 'd' ? 1 : hm[2] === 'h' ? 24 : 1_440) : Number.NaN;
      if (!(horizonDays > 0) || !Number.isInteger(Math.round(horizonDays * 1_440 * 1e6) / 1e6)) {
        throw new ConfigError('--horizon', `expected a whole number of minutes > 0 such as 1d, 7d, 12h or 30m, got "${flags.horizon}"`, ErrorCodes.CLI_USAGE);
      }
      const riskTolerance = flags.riskTolerance === undefined ? undefined : Number(flags.riskTolerance);
      if (riskTolerance !== undefined && !(riskTolerance > 0 && riskTolerance <= 1)) {
        throw new ConfigError('--risk-tolerance', `expected a share of equity in (0, 1] such as 0.05, got "${flags.riskTolerance}"`, ErrorCodes.CLI_USAGE);
      }
      const cfg = await loadConfig(flags.config);
      const [{ openExisting }, { riskCommand }] = await Promise.all([import('./orders-command.js'), import('./risk-command.js')]);
      const store = openExisting(flags.db ?? cfg.db);
      try {
        setCode(riskCommand(store, cfg, io, { bars, horizonDays, ...(riskTolerance === undefined ? {} : { riskTolerance }), ...(flags.json ? { json: true } : {}) }));
      } finally {
        store.close();
      }
    });

  program
    .command('rebalance')
    .description('the trades that bring the book to target (seed 002 rebalance_portfolio): --target SYMBOL=FRACTION,… of equity, else delta-neutral within the hedging band; queued for the running bot, which sends them as a resize of its open pair')
    .option('--db <path>', DB_HELP)
    .option('--config <file>', 'config holding the limits and the hedging band (default: config/default.json)')
    .option('--target <list>', 'signed notional per market as a share of equity, e.g. ETH-PERP=0.1,SOL-PERP=-0.1 (markets not named are left alone)')
    .option('--bot <id>', 'the bot whose pair is rebalanced (needed when the database has several)')
    .option('--dry-run', 'print the trades, send nothing')
    .option('--live', 'confirm sending on a live venue: real orders with real money')
    .option('--ttl <duration>', 'how long the request may wait for the bot to start it, e.g. 2m, 30m (default 10m); past it, expired unsent')
    .option('--json', 'JSON output')
    .action(async (flags: { db?: string; config?: string; target?: string; bot?: string; dryRun?: boolean; live?: boolean; ttl?: string; json?: boolean }) => {
      const cfg = await loadConfig(flags.config);
      const [{ openExisting }, { rebalanceCommand }, { LiveClock }] = await Promise.all([import('./orders-command.js'), import('./rebalance-command.js'), import('../core/clock.js')]);
      const dbPath = flags.db ?? cfg.db;
      const store = openExisting(dbPath);
      try {
        setCode(rebalanceCommand(store, cfg, io, flags, { dbPath, now: new LiveClock().now() }));
      } finally {
        store.close();
      }
    });

  program
    .command('report')
    .description('self-contained HTML report of a run or period (opens offline): equity and drawdown, daily volume and phase progress, round-trip PnL, fees, funding, per-pair results, risk metrics, breaker trips, manual interventions')
    .option('--db <path>', DB_HELP)
    .requiredOption('--out <file>', 'HTML file to write')
    .option('--bot <id>', 'bot id (default: the first)')
    .option('--from <iso>', 'start of the period (market time, UTC), e.g. 2026-01-01 or 2026-01-01T06:00:00Z')
    .option('--to <iso>', 'end of the period (market time, UTC)')
    .option('--config <file>', 'config holding phase targets and risk limits (default: config/default.json)')
    .action(async (flags: Omit<ReportFlags, 'db'> & { db?: string; config?: string }) => {
      const cfg = await loadConfig(flags.config);
      const [{ openExisting }, { reportCommand }] = await Promise.all([import('./orders-command.js'), import('./report-command.js')]);
      const store = openExisting(flags.db ?? cfg.db);
      try {
        setCode(reportCommand(store, cfg, { ...flags, db: flags.db ?? cfg.db }, io).code);
      } finally {
        store.close();
      }
    });

  program
    .command('phase')
    .description('seed 003 phases: where a bot stands against the next gate; approve (operator only) or roll back')
    .addArgument(new Argument('<action>', 'what to do').choices(['status', 'approve', 'rollback']))
    .option('--db <path>', DB_HELP)
    .option('--bot <id>', 'bot id (needed when the database has several)')
    .option('--config <file>', 'config holding the phase definitions (default: config/default.json)')
    .option('--force', 'approve although the gate is not met (counted as a manual intervention)')
    .option('--reason <text>', 'why, for the record')
    .action(async (action: 'status' | 'approve' | 'rollback', flags: { db?: string; bot?: string; config?: string; force?: boolean; reason?: string }) => {
      await withControl(flags, (c, { phaseCommand }) => phaseCommand(c, action, flags.bot, { ...(flags.force ? { force: true } : {}), ...(flags.reason ? { reason: flags.reason } : {}) }));
    });

  program
    .command('breaker')
    .description('loss-limit circuit breakers: list them, or reset them (counted as a manual intervention)')
    .addArgument(new Argument('<action>', 'what to do').choices(['status', 'reset']))
    .option('--db <path>', DB_HELP)
    .option('--config <file>', CONFIG_HELP)
    .option('--bot <id>', 'bot id (needed when the database has several)')
    .action(async (action: 'status' | 'reset', flags: { db?: string; config?: string; bot?: string }) => {
      await withControl(flags, (c, { breakerCommand }) => breakerCommand(c, action, flags.bot));
    });

  for (const [name, halted] of [
    ['halt', true],
    ['resume', false],
  ] as const) {
    program
      .command(name)
      .description(halted ? 'kill switch: stop all new entries at once (exits and hedges continue)' : 'allow new entries again after a halt')
      .option('--db <path>', DB_HELP)
      .option('--config <file>', CONFIG_HELP)
      .option('--bot <id|all>', 'one bot, or all (default: the only bot)')
      .option('--reason <text>', 'why, for the record', '')
      .action(async (flags: { db?: string; config?: string; bot?: string; reason: string }) => {
        await withControl(flags, (c, { setHalt }) => setHalt(c, flags.bot, halted, flags.reason));
      });
  }

  program
    .command('download')
    .description("download 1-minute candles from a ccxt exchange (public data, no keys) into the replay's format; paged, paced and resumable")
    .requiredOption('--exchange <id>', 'ccxt exchange id, e.g. binance, bybit, okx')
    .requiredOption('--symbols <list>', 'comma-separated bases, e.g. ETH,SOL')
    .requiredOption('--from <time>', 'first minute: ISO date or ms')
    .option('--to <time>', 'stop before this time: ISO date or ms (default: now)')
    .option('--quote <asset>', 'quote asset of the markets', 'USDT')
    .option('--out <dir>', 'folder of the CSV files (default: data/candles/<exchange>)')
    .option('--page-size <n>', 'candles per request', '1000')
    .action(async (flags: import('./download-command.js').DownloadFlags) => {
      const { downloadCommand } = await import('./download-command.js');
      setCode(await downloadCommand(flags, io));
    });

  const config = program.command('config').description('the configuration: print the effective config, or its JSON Schema for editors');
  config
    .command('print')
    .description('the effective configuration as JSON: the file, environment toggles and every default (keys come only from the environment and are never printed)')
    .option('--config <file>', CONFIG_HELP)
    .action(async (flags: { config?: string }) => {
      const { configPrint } = await import('./config-command.js');
      setCode(configPrint(flags, io));
    });
  config
    .command('schema')
    .description('the JSON Schema of config files (point an editor at it for completion and checks)')
    .action(async () => {
      const { configSchemaCommand } = await import('./config-command.js');
      setCode(configSchemaCommand(io));
    });
  return program;
}

/** Entry point: returns the process exit code (0 done, 1 runtime failure, 2 bad arguments or config). */
export async function main(argvIn: readonly string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  // --verbose anywhere on the line: stack traces of unexpected errors (off by default).
  const verbose = argvIn.includes('--verbose');
  const argv = argvIn.filter((a) => a !== '--verbose');
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (err instanceof ConfigError || (isDnbotError(err) && USAGE_CODES.has(err.code))) {
      io.err(`dnbot: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof DnbotError && err.code === ErrorCodes.DATA_FILE) {
      io.err(`dnbot: ${err.message}`);
      return EXIT_USAGE;
    }
    if (verbose) io.err(`dnbot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    else if (isDnbotError(err)) io.err(`dnbot: ${err.message}`);
    else io.err(`dnbot: ${err instanceof Error ? err.message : String(err)} (run again with --verbose for the stack trace)`);
    return EXIT_FAILURE;
  }
}

