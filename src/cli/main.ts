import { Command, CommanderError, Option } from 'commander';
import { basename } from 'node:path';
import { ConfigError, DnbotError, ErrorCodes, isDnbotError } from '../core/errors.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './cli-io.js';
import { ordersCommand } from './orders-command.js';
import { runCommand } from './run-command.js';
import type { RunFlags } from './run-flags.js';
import { statusCommand } from './status-command.js';

const USAGE_CODES = new Set<string>([ErrorCodes.CONFIG_INVALID, ErrorCodes.CLI_USAGE]);

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON config file (default: config/default.json)')
    .option('--duration <d>', 'bound the run in market time, e.g. 30m, 6h, 2d')
    .option('--speed <max|N>', 'market time per wall time: N× real time, or max (simulated clock, as fast as the CPU allows)')
    .option('--seed <n>', 'seed of the simulated market (same seed, same orders)')
    .option('--db <path>', 'SQLite file holding all state (default: data/dnbot.db)')
    .option('--json', 'print exactly one JSON summary on stdout at the end; logs go to stderr')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']));
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
    .showHelpAfterError('(run with --help for usage)');

  addRunOptions(
    program
      .command('run')
      .description('run the configured bots (paper mode on the built-in simulated market by default); Ctrl-C stops cleanly')
      .addOption(new Option('--venue <venue>', 'market to trade').choices(['sim']).default('sim')),
  ).action(async (flags: RunFlags) => {
    setCode((await runCommand({ flags, venue: 'sim', io })).code);
  });

  addRunOptions(
    program
      .command('replay')
      .description('run the same bots over recorded 1-minute OHLCV candles (ccxt layout: timestamp,open,high,low,close,volume; CSV or JSON)')
      .requiredOption('--data <file[=SYMBOL]>', 'candle file; repeat per symbol; symbol from the file name (ETH_USDT-1m.json → ETH-PERP) unless given as FILE=SYMBOL', collect, []),
  ).action(async (flags: RunFlags & { data: string[] }) => {
    const replay = flags.data.map((d) => {
      const eq = d.lastIndexOf('=');
      return eq > 0 ? { path: d.slice(0, eq), symbol: d.slice(eq + 1) } : { path: d };
    });
    setCode((await runCommand({ flags, venue: 'replay', replay, io })).code);
  });

  program
    .command('orders')
    .description('list orders with status, purpose (entry/exit/hedge) and the sizing trace of each')
    .requiredOption('--db <path>', 'SQLite file')
    .option('--bot <id>', 'only this bot')
    .option('--status <status>', 'only this status')
    .option('--limit <n>', 'at most n orders')
    .option('--json', 'JSON output')
    .action((flags: { db: string; bot?: string; status?: string; limit?: string; json?: boolean }) => {
      setCode(ordersCommand(flags, io));
    });

  program
    .command('status')
    .description('bots, positions, open pairs, open orders, the day’s volume and PnL, read from SQLite (bot running or not)')
    .requiredOption('--db <path>', 'SQLite file')
    .option('--json', 'JSON output')
    .action((flags: { db: string; json?: boolean }) => {
      setCode(statusCommand(flags, io));
    });
  return program;
}

/** Entry point: returns the process exit code (0 done, 1 runtime failure, 2 bad arguments or config). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
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
    io.err(`dnbot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT_FAILURE;
  }
}

export const programName = basename(process.argv[1] ?? 'dnbot');
