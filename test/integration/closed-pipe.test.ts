import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { tempDir } from './cli-harness.js';

const BIN = join(process.cwd(), 'bin', 'dnbot.js');

describe('stdout closed early (`dnbot … | head`)', () => {
  const db = join(tempDir(), 'status.db');
  openDatabase(db).close();
  it.each([
    ['config schema', ['config', 'schema']],
    ['status', ['status', '--db', db]],
  ])('%s: exits 0 quietly instead of dying with an EPIPE stack trace', async (_name, args) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the first line is written, as `| head` is once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
