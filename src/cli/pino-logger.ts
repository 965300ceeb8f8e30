import { createWriteStream, openSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ConfigError } from '../core/errors.js';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../core/logger.js';
import { unwritableReason } from './unwritable-reason.js';

/** Field names that may carry secrets; their values never reach a log line. */
export const REDACTED_PATHS = ['apiKey', 'secret', 'privateKey', 'password', 'token', '*.apiKey', '*.secret', '*.privateKey', '*.password', '*.token'];

/** Where terminal log lines go instead of stderr (the progress bar clears its line first). */
export interface LogSink {
  write(line: string): unknown;
}

export interface LoggerOptions {
  readonly level: string;
  readonly file?: string;
  readonly pretty: boolean;
  /**
   * The time each line carries as `time` (epoch ms): the bot's market clock once it exists, so a
   * simulated or replayed run's log lines match its status lines, orders and journal rather than
   * the wall. The wall until then.
   */
  readonly time?: () => number;
  /** Replaces stderr for the terminal stream. */
  readonly sink?: LogSink;
}

/**
 * Logs go to stderr (stdout is kept for status lines and the `--json` summary): pretty on a
 * terminal, JSON otherwise; optionally also JSON to a file.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const time = opts.time;
  const streams: pino.StreamEntry[] = [
    {
      level: opts.level as pino.Level,
      stream: opts.pretty
        ? pretty({ destination: opts.sink ? sinkStream(opts.sink) : 2, sync: true, colorize: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'UTC:yyyy-mm-dd HH:MM:ss' })
        : (opts.sink ?? pino.destination({ fd: 2, sync: true })),
    },
  ];
  if (opts.file) streams.push({ level: opts.level as pino.Level, stream: createWriteStream(opts.file, { flags: 'a', fd: openLogFile(opts.file) }) });
  return pino(
    {
      level: opts.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(time ? { timestamp: () => `,"time":${Math.round(time())}` } : {}),
    },
    pino.multistream(streams),
  );
}

/**
 * pino-pretty pipes into its destination, so it needs a stream, not just an object with `write`
 * (given the bare sink, every run on a terminal with the progress bar stopped at start on
 * "stream.on is not a function").
 */
function sinkStream(sink: LogSink): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      sink.write(chunk.toString());
      done();
    },
  });
}

/**
 * Opens the log file for appending now, so a path that cannot be written is bad config (exit 2,
 * naming log.file) instead of an error event thrown later from inside the stream.
 */
function openLogFile(file: string): number {
  try {
    return openSync(file, 'a');
  } catch (err) {
    throw new ConfigError('log.file', `cannot write ${file}: ${unwritableReason(err)}`);
  }
}
