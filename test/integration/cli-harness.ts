import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/cli-io.js';

export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs the `dnbot` CLI in-process with captured output. */
export async function runCli(args: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdoutIsTty: false, stderrIsTty: false };
  const code = await main(args, io);
  return { code, out, err };
}

/** A fresh directory for a test's database and files. */
export function tempDir(prefix = 'dnbot-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The one JSON object a `--json` run prints. */
export function summaryOf(r: CliResult): Record<string, number | string | null> {
  if (r.out.length !== 1) throw new Error(`expected exactly one stdout line, got ${r.out.length}: ${r.out.join('\n')} ${r.err.join('\n')}`);
  return JSON.parse(r.out[0]!) as Record<string, number | string | null>;
}
