import { createWriteStream } from 'node:fs';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../core/logger.js';

/** Field names that may carry secrets; their values never reach a log line. */
export const REDACTED_PATHS = ['apiKey', 'secret', 'privateKey', 'password', 'token', '*.apiKey', '*.secret', '*.privateKey', '*.password', '*.token'];

/**
 * Logs go to stderr (stdout is kept for status lines and the `--json` summary): pretty on a
 * terminal, JSON otherwise; optionally also JSON to a file.
 */
export function createLogger(opts: { level: string; file?: string; pretty: boolean }): Logger {
  const streams: pino.StreamEntry[] = [
    {
      level: opts.level as pino.Level,
      stream: opts.pretty ? pretty({ destination: 2, sync: true, colorize: true, singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }) : pino.destination({ fd: 2, sync: true }),
    },
  ];
  if (opts.file) streams.push({ level: opts.level as pino.Level, stream: createWriteStream(opts.file, { flags: 'a' }) });
  return pino({ level: opts.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, pino.multistream(streams));
}
