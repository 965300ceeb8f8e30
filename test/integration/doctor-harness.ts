import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { doctorCommand } from '../../src/cli/doctor-command.js';

/** What one `dnbot doctor` run printed, and its exit code. */
export interface DoctorRun {
  readonly code: number;
  readonly lines: readonly string[];
  readonly text: string;
}

/** One check of a `--json` run. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Writes a config file (a fresh name under dir) and returns its path. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Runs `dnbot doctor` in-process with the given environment (no default config file), output captured. */
export async function runDoctor(venue: string, config: string, env: Readonly<Record<string, string>>, json = false, mode?: 'paper' | 'live'): Promise<DoctorRun> {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
  const code = await doctorCommand({ venue, config, ...(json ? { json: true } : {}), ...(mode ? { mode } : {}) }, io, { defaultConfigPath: '/nonexistent', env });
  return { code, lines, text: lines.join('\n') };
}

/** The checks of a `--json` run by name, and whether they all passed. */
export function jsonChecks(run: DoctorRun): { ok: boolean; by: Map<string, DoctorCheck> } {
  const out = JSON.parse(run.lines[0]!) as { ok: boolean; results: DoctorCheck[] };
  return { ok: out.ok, by: new Map(out.results.map((r) => [r.name, r])) };
}

/** Each named check is printed as passed. */
export function expectPassed(text: string, names: readonly string[]): void {
  for (const name of names) expect(text).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
}
