import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/run-command.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { tempDir } from './cli-harness.js';

/** The keys of one JSON object line, in order, duplicates kept (JSON.parse would hide them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (depth === 1 && line[j + 1] === ':') keys.push(JSON.parse(line.slice(i, j + 1)) as string);
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    if (ch === '}' || ch === ']') depth--;
    i++;
  }
  return keys;
}

describe('log lines of a simulated run', async () => {
  const dir = tempDir();
  const cfg = join(dir, 'c.json');
  writeFileSync(cfg, JSON.stringify({ db: join(dir, 'l.db'), api: { enabled: false }, log: { level: 'info' } }));
  const lines: string[] = [];
  const io: CliIo = { out: () => undefined, err: () => undefined, stdoutIsTty: false, stderrIsTty: false };
  const { summary } = await runCommand({
    flags: { config: cfg, duration: '12h', speed: 'max' },
    command: 'run',
    io,
    handleSignals: false,
    logSink: { write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l !== '')) },
  });
  const parsed = lines.map((l) => JSON.parse(l) as { time: number; level: number; msg: string });

  it('never repeat a key (no second bot, no second level)', () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const keys = topLevelKeys(line);
      expect(new Set(keys).size, line).toBe(keys.length);
    }
  });

  it('carry market time, not the wall', () => {
    const start = Date.parse(summary.marketStart!);
    const end = Date.parse(summary.marketEnd!);
    for (const p of parsed) {
      expect(p.time, p.msg).toBeGreaterThanOrEqual(start - 60_000);
      expect(p.time, p.msg).toBeLessThanOrEqual(end + 60_000);
    }
  });

  it('keep INFO to a few lines per round trip (order steps are DEBUG)', () => {
    expect(summary.roundTrips).toBeGreaterThan(3);
    const info = parsed.filter((p) => p.level === 30).length;
    expect(info).toBeLessThanOrEqual(10 + 3 * summary.roundTrips);
    expect(parsed.some((p) => p.msg === 'pair_entering' || p.msg.startsWith('exitbrain'))).toBe(false);
  });
});
