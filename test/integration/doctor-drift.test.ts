import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { doctorCommand } from '../../src/cli/doctor-command.js';
import { tempDir } from './cli-harness.js';

describe('dnbot doctor --venue drift (offline: the RPC does not answer)', () => {
  it('runs the Drift check list and says in plain words that the RPC is unreachable: exit 1', async () => {
    const dir = tempDir('dnbot-doctor-drift-');
    const file = join(dir, 'cfg.json');
    writeFileSync(file, JSON.stringify({ venue: 'drift', drift: { urls: { rpc: 'http://127.0.0.1:9', dlobHttp: 'http://127.0.0.1:9', dlobWs: 'ws://127.0.0.1:9' } } }));
    const lines: string[] = [];
    const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
    const code = await doctorCommand({ venue: 'drift', config: file, json: true }, io, { defaultConfigPath: '/nonexistent', env: {} });
    expect(code).toBe(1);
    const out = JSON.parse(lines[0]!) as { venue: string; ok: boolean; results: { name: string; ok: boolean; detail: string }[] };
    expect(out.venue).toBe('drift');
    expect(out.results[0]).toMatchObject({ name: 'config file', ok: true });
    expect(out.results.length).toBeGreaterThan(2);
    const failed = out.results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((r) => r.detail).join(' ')).toMatch(/127\.0\.0\.1:9|RPC|rpc|answer|connect|fetch/i);
  });
});
