import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('dnbot --version, config print and config schema', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.join('')).toBe(version);
  });

  it('config print shows the effective config with every default', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ seed: 7 }));
    const r = await runCli(['config', 'print', '--config', file]);
    expect(r.code).toBe(0);
    const cfg = JSON.parse(r.out.join('\n')) as { seed: number; db: string; run: { speed: number }; api: { port: number } };
    expect(cfg.seed).toBe(7);
    expect(cfg.db).toBe('data/dnbot.db');
    expect(cfg.run.speed).toBe(60);
    expect(cfg.api.port).toBe(8787);
  });

  it('config print refuses an invalid config naming the field (exit 2)', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ phases: { 1: { leverage: 50 } } }));
    const r = await runCli(['config', 'print', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/phases\.1\.leverage/);
  });

  it('config schema is a strict JSON Schema with the defaults', async () => {
    const r = await runCli(['config', 'schema']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out.join('\n')) as { $schema: string; additionalProperties: boolean; properties: Record<string, { default?: unknown }> };
    expect(s.$schema).toMatch(/json-schema\.org/);
    expect(s.additionalProperties).toBe(false);
    expect(s.properties['db']?.default).toBe('data/dnbot.db');
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['bots', 'phases', 'risk', 'api']));
  });
});

describe('read commands default --db to the config db, as run does', () => {
  const dir = tempDir();
  const db = join(dir, 'state.db');
  const cfg = join(dir, 'c.json');
  writeFileSync(cfg, JSON.stringify({ db, api: { enabled: false }, log: { level: 'silent' } }));

  it('status, orders, risk and breaker read the config db without --db', async () => {
    const run = await runCli(['run', '--config', cfg, '--duration', '20m', '--speed', 'max', '--json']);
    expect(run.code).toBe(0);
    expect(summaryOf(run)['orders']).toBeGreaterThan(0);
    for (const args of [['status', '--json'], ['orders', '--json'], ['risk', '--json'], ['breaker', 'status']]) {
      const r = await runCli([...args, '--config', cfg]);
      expect(r.code, `${args.join(' ')}: ${r.err.join('\n')}`).toBe(0);
    }
    const status = JSON.parse((await runCli(['status', '--json', '--config', cfg])).out[0]!) as { bots: { id: string }[] };
    expect(status.bots.map((b) => b.id)).toEqual(['dn-eth-sol']);
    // The portfolio monitor's latest evaluation: its level and how the 1-day VaR was made (flagged when √t).
    const risk = (JSON.parse((await runCli(['status', '--json', '--config', cfg])).out[0]!) as { bots: { risk: { level: string; var1dMethod: string | null } | null }[] }).bots[0]!.risk;
    expect(risk).not.toBeNull();
    expect(['overlapping-sum', 'square-root-of-time', null]).toContain(risk!.var1dMethod);
    const text = (await runCli(['status', '--config', cfg])).out.join('\n');
    expect(text).toMatch(/risk at \S+: level (LOW|MEDIUM|HIGH|CRITICAL), 1-day 95% VaR/);
  });

  it('a missing default database is named in the error (exit 2)', async () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ db: join(dir, 'absent.db') }));
    const r = await runCli(['status', '--config', other]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('absent.db');
  });
});

describe('a config file may name its schema for editors', () => {
  it('"$schema" is accepted and ignored', async () => {
    const dir = tempDir();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ $schema: './dnbot.schema.json', seed: 3 }));
    const r = await runCli(['config', 'print', '--config', file]);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect((JSON.parse(r.out.join('\n')) as { seed: number }).seed).toBe(3);
  });
});

describe('the shutdown summary', () => {
  it('names a pair left open', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ db: join(dir, 's.db'), api: { enabled: false }, log: { level: 'silent' } }));
    // Seed 1 holds a pair at the 3-hour mark.
    const r = await runCli(['run', '--config', cfg, '--duration', '3h', '--speed', 'max']);
    expect(r.code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--json', '--config', cfg])).out[0]!) as { bots: { openPairs: { id: string }[] }[] };
    const open = status.bots[0]!.openPairs;
    expect(open.length).toBeGreaterThan(0);
    const line = r.out.find((l) => l.includes('left open'));
    expect(line).toBeDefined();
    for (const p of open) expect(line).toContain(p.id);
    // With a pair open, status prints its ExitBrain ladder and risk its health ratio and stress
    // tests: figures people read, so no float noise (0.0680712013143518×) and no 24579%.
    for (const cmd of ['status', 'risk']) {
      const text = (await runCli([cmd, '--config', cfg])).out.join('\n');
      expect(text, cmd).not.toMatch(/\d\.\d{9,}/);
      expect(text, cmd).not.toMatch(/\d{5,}%/);
    }
    expect((await runCli(['status', '--config', cfg])).out.join('\n')).toMatch(/ladder \S+ \(adaptive, \d+(\.\d+)?×/);
  });
});
