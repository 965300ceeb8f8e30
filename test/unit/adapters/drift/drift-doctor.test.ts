import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keypair } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { base58 } from '../../../../adapters/drift/base58.js';
import { evaluateDriftDoctor, requireDoctorPass, type DriftFacts } from '../../../../adapters/drift/drift-doctor.js';
import { driftConfigSchema } from '../../../../adapters/drift/drift-config.js';
import { keypairFromEnv } from '../../../../adapters/drift/drift-keypair.js';
import { openDrift } from '../../../../adapters/drift/index.js';
import { LiveClock } from '../../../../src/core/clock.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';

const cfg = driftConfigSchema.parse({});

const healthy: DriftFacts = {
  sdkVersion: '2.145.0',
  rpcError: null,
  slot: 123,
  clockSkewMs: 400,
  programExecutable: true,
  programStatus: { exchangeStatus: 0, paused: [] },
  settlementName: 'USDC',
  perpQuote: new Map([
    [0, 0],
    [1, 0],
    [2, 0],
  ]),
  subaccount: { address: 'Sub1', exists: true },
  keypairError: null,
};

function failing(f: Partial<DriftFacts>, live = true): string[] {
  return evaluateDriftDoctor(cfg, { ...healthy, ...f }, live)
    .filter((r) => !r.ok)
    .map((r) => r.name);
}

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ConfigError ? e.field : 'not a ConfigError';
  }
  return undefined;
}

describe('drift doctor', () => {
  it('passes when the chain matches the configuration', () => {
    const r = evaluateDriftDoctor(cfg, healthy, true);
    expect(r.map((x) => x.name)).toEqual(['sdk version', 'rpc health', 'clock', 'program id', 'program status', 'settlement market', 'perp markets', 'subaccount']);
    expect(r.every((x) => x.ok)).toBe(true);
    expect(() => requireDoctorPass(r)).not.toThrow();
  });

  it('the clock check names the skew in ms and which way', () => {
    const r = evaluateDriftDoctor(cfg, { ...healthy, clockSkewMs: 45_000 }, true).find((x) => x.name === 'clock')!;
    expect(r).toMatchObject({ ok: false, detail: expect.stringMatching(/^local clock is 45000 ms ahead of the chain's block time \(limit 20000 ms/) });
    expect(evaluateDriftDoctor(cfg, { ...healthy, clockSkewMs: -19_000 }, true).find((x) => x.name === 'clock')).toMatchObject({ ok: true });
    expect(evaluateDriftDoctor(cfg, { ...healthy, clockSkewMs: null }, true).find((x) => x.name === 'clock')).toMatchObject({ ok: true, detail: 'not checked: the RPC served no block time' });
  });

  it.each([
    ['another SDK', { sdkVersion: '2.150.0' }, 'sdk version', 'drift.sdkVersion'],
    ['RPC down', { rpcError: 'fetch failed', slot: null, clockSkewMs: null }, 'rpc health', 'DRIFT_RPC_URL'],
    ['a local clock 45 s ahead of the chain', { clockSkewMs: 45_000 }, 'clock', 'drift.maxClockSkewMs'],
    ['a local clock 30 s behind the chain', { clockSkewMs: -30_000 }, 'clock', 'drift.maxClockSkewMs'],
    ['no such program (relaunched elsewhere)', { programExecutable: null, programStatus: null }, 'program id', 'drift.programId'],
    ['the program paused (all instructions disabled)', { programStatus: { exchangeStatus: 255, paused: ['deposits'] } }, 'program status', 'drift.programId'],
    ['fills paused', { programStatus: { exchangeStatus: 8, paused: ['fills'] } }, 'program status', 'drift.programId'],
    ['settlement moved to USDT', { settlementName: 'USDT' }, 'settlement market', 'drift.settlementMarketIndex'],
    ['a perp settling elsewhere', { perpQuote: new Map([[0, 0], [1, 3], [2, 0]]) }, 'perp markets', 'drift.markets'],
    ['no subaccount', { subaccount: { address: 'Sub1', exists: false } }, 'subaccount', 'drift.subAccountId'],
  ] as const)('%s fails its check and refuses live trading naming the field', (_n, facts, check, field) => {
    expect(failing(facts as Partial<DriftFacts>)).toEqual([check]);
    expect(fieldOf(() => requireDoctorPass(evaluateDriftDoctor(cfg, { ...healthy, ...(facts as Partial<DriftFacts>) }, true)))).toBe(field);
  });

  it('says plainly that the program is paused, and where the relaunch lives', () => {
    const r = evaluateDriftDoctor(cfg, { ...healthy, programStatus: { exchangeStatus: 255, paused: [] } }, false).find((x) => x.name === 'program status')!;
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/program dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH is paused: its on-chain state disables all instructions/);
    expect(r.detail).toContain('vELoC1audYbSYVRXn1vPaV8Axoa9oU6BYmNGZZBDZ1P');
    expect(evaluateDriftDoctor(cfg, { ...healthy, programStatus: { exchangeStatus: 40, paused: ['fills', 'funding'] } }, false).find((x) => x.name === 'program status')!.detail).toMatch(/has paused fills, funding \(exchange status 40\)/);
  });

  it('paper mode does not need a keypair; live mode does', () => {
    expect(failing({ subaccount: null }, false)).toEqual([]);
    expect(failing({ subaccount: null }, true)).toEqual(['subaccount']);
  });

  it('live mode without the keypair variable is a ConfigError naming it, before any network call', async () => {
    const o = { mode: 'live' as const, symbols: ['SOL-PERP'], config: cfg, logger: silentLogger, wall: new LiveClock(), env: {}, state: { get: () => null, set: () => undefined, list: () => [] } };
    const e = await openDrift(o).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).field).toBe('DRIFT_KEYPAIR');
  });

  it('reads the keypair from a base58 secret or a file, and never echoes a bad value', () => {
    const kp = Keypair.generate();
    expect(keypairFromEnv('K', { K: base58(kp.secretKey) }).publicKey.equals(kp.publicKey)).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'dnbot-kp-')), 'id.json');
    writeFileSync(file, JSON.stringify([...kp.secretKey]));
    expect(keypairFromEnv('K', { K: file }).publicKey.equals(kp.publicKey)).toBe(true);
    const secretish = '[1,2,3,SECRETSECRET';
    const err = (() => {
      try {
        keypairFromEnv('K', { K: secretish });
      } catch (x) {
        return x as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).not.toContain('SECRET');
  });

  it('config: strict, every default present', () => {
    expect(cfg).toMatchObject({ env: 'mainnet-beta', programId: 'dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH', settlementMarketIndex: 0, settlementSymbol: 'USDC', subAccountId: 0 });
    expect(cfg.limits).toEqual({ rpcPerSecond: 10, txPerSecond: 4 });
    expect(cfg.priorityFee.mode).toBe('fixed');
    expect(driftConfigSchema.safeParse({ programid: 'x' }).success).toBe(false);
  });
});
