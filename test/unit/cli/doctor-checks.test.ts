import { describe, expect, it } from 'vitest';
import { clockSkewResult, keysResult, MAX_CLOCK_SKEW_MS } from '../../../adapters/ccxt-common/doctor-common.js';
import { formatDoctor } from '../../../src/cli/doctor-checks.js';

describe('doctor: clock skew', () => {
  it.each([
    // server, sent, received → skew sign and verdict
    [10_050, 10_000, 10_100, true, /within 0 ms/],
    [10_000 + MAX_CLOCK_SKEW_MS + 50, 10_000, 10_100, true, /within 5000 ms/],
    [10_000 + MAX_CLOCK_SKEW_MS + 51, 10_000, 10_100, false, /5001 ms behind/],
    [1_000, 10_000, 10_100, false, /9050 ms ahead of/],
  ])('server %d, round trip %d→%d', (server, sent, received, ok, words) => {
    const r = clockSkewResult(server, sent, received);
    expect(r.ok).toBe(ok);
    expect(r.detail).toMatch(words);
    if (!ok) expect(r.detail).toMatch(/sync the system clock/);
  });

  it('does not count the network delay as skew', () => {
    expect(clockSkewResult(10_000 + 2_000, 10_000, 14_000, 100).ok).toBe(true);
  });
});

describe('doctor: keys by name only', () => {
  const vars = ['A_KEY', 'A_SECRET'];
  it('passes when set, and never prints values', () => {
    const r = keysResult(vars, { A_KEY: 'organizations/x', A_SECRET: 'super-secret-value' }, true);
    expect(r).toMatchObject({ ok: true });
    expect(r.detail).not.toMatch(/super-secret|organizations/);
  });
  it('a missing key fails only when the config asks for live trading, naming the variable', () => {
    expect(keysResult(vars, { A_KEY: 'k' }, true)).toMatchObject({ ok: false, detail: expect.stringMatching(/^A_SECRET not set: live trading needs it/) });
    expect(keysResult(vars, {}, false)).toMatchObject({ ok: true, detail: expect.stringMatching(/A_KEY, A_SECRET not set: fine for paper mode/) });
  });
});

describe('doctor: output', () => {
  it('one line per check and a verdict counting failures', () => {
    const lines = formatDoctor('coinbase', [
      { name: 'clock', ok: true, detail: 'fine' },
      { name: 'market ETH-PERP', ok: false, detail: 'not listed' },
    ]);
    expect(lines).toEqual(['ok    clock            fine', 'FAIL  market ETH-PERP  not listed', 'coinbase: 1 of 2 checks failed']);
    expect(formatDoctor('nado', [{ name: 'x', ok: true, detail: 'y' }]).at(-1)).toBe('nado: all 1 checks passed');
  });
});
