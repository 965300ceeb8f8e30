import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveApiBinding } from '../../../src/api/api-binding.js';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { ErrorCodes } from '../../../src/core/errors.js';
import { runCli, tempDir } from '../../integration/cli-harness.js';
import { configErrorOf } from '../cli/config-error-of.js';

describe('status API binding rule', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['192.168.1.20', false],
    ['::', false],
    ['example.org', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('binds loopback without a token; reads stay open', () => {
    expect(resolveApiBinding('127.0.0.1', undefined)).toEqual({ host: '127.0.0.1', readsNeedToken: false });
  });

  it('refuses another address without the token, naming api.host', () => {
    for (const token of [undefined, '', 'short']) {
      const e = configErrorOf(() => resolveApiBinding('0.0.0.0', token));
      expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
      expect(e.field).toBe('api.host');
      expect(e.message).toMatch(/DNBOT_CONTROL_TOKEN/);
    }
  });

  it('allows another address with the token, and then reads need it too', () => {
    expect(resolveApiBinding('0.0.0.0', 'a-long-enough-token')).toEqual({ host: '0.0.0.0', readsNeedToken: true });
  });

  it('the default config binds 127.0.0.1', () => {
    expect(parseConfig({}).api.host).toBe('127.0.0.1');
  });
});

describe('dnbot run with api.host beyond loopback', () => {
  const saved = process.env['DNBOT_CONTROL_TOKEN'];
  afterEach(() => {
    if (saved === undefined) delete process.env['DNBOT_CONTROL_TOKEN'];
    else process.env['DNBOT_CONTROL_TOKEN'] = saved;
  });

  it('exits with code 2 naming api.host when DNBOT_CONTROL_TOKEN is absent, before touching the database', async () => {
    delete process.env['DNBOT_CONTROL_TOKEN'];
    const dir = tempDir();
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ api: { host: '0.0.0.0', port: 0 } }));
    const r = await runCli(['run', '--config', cfg, '--db', join(dir, 'x.db'), '--duration', '1m', '--speed', 'max', '--json']);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/^dnbot: api\.host: .*DNBOT_CONTROL_TOKEN/m);
    expect(r.out).toEqual([]);
  });
});
