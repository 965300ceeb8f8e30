import { Keypair } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { base58 } from '../../adapters/drift/base58.js';
import { driftDoctorChecks } from '../../adapters/drift/drift-doctor.js';
import { driftConfigSchema } from '../../adapters/drift/drift-config.js';
import { openDrift } from '../../adapters/drift/index.js';
import { LiveClock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { startLoopbackDrift, type LoopbackDrift } from '../unit/adapters/drift/loopback-drift.js';

let lb: LoopbackDrift | null = null;
afterEach(async () => {
  await lb?.close();
  lb = null;
});

const state = { get: () => null, set: () => undefined, list: () => [] };

describe('drift doctor against a loopback chain', () => {
  it('reports every check; paper needs no keypair; a configuration the chain does not match is named', async () => {
    lb = await startLoopbackDrift();
    const urls = { rpc: lb.rpc, dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, data: lb.data };
    const cfg = driftConfigSchema.parse({ urls, markets: { 'SOL-PERP': 0, 'ETH-PERP': 2 } });
    const ok = await driftDoctorChecks({ config: cfg, env: {} });
    expect(ok.filter((r) => !r.ok)).toEqual([]);
    expect(ok.find((r) => r.name === 'settlement market')!.detail).toMatch(/is USDC/);

    const usdt = await driftDoctorChecks({ config: { ...cfg, settlementSymbol: 'USDT' }, env: {} });
    expect(usdt.filter((r) => !r.ok).map((r) => r.name)).toEqual(['settlement market']);
    const moved = await driftDoctorChecks({ config: { ...cfg, programId: Keypair.generate().publicKey.toBase58() }, env: {} });
    expect(moved.filter((r) => !r.ok).map((r) => r.name)).toEqual(['program id', 'settlement market', 'perp markets']);
  });

  it('a local clock far from the chain\'s block time fails the clock check, naming the skew in ms, and refuses live trading', async () => {
    lb = await startLoopbackDrift();
    const urls = { rpc: lb.rpc, dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, data: lb.data };
    const cfg = driftConfigSchema.parse({ urls, markets: { 'SOL-PERP': 0, 'ETH-PERP': 2 } });
    lb.chainTimeOffsetMs = -45_000; // the chain's clock 45 s behind ours: our clock is 45 s ahead
    const r = await driftDoctorChecks({ config: cfg, env: {} });
    expect(r.filter((x) => !x.ok).map((x) => x.name)).toEqual(['clock']);
    expect(r.find((x) => x.name === 'clock')!.detail).toMatch(/local clock is 4\d{4} ms ahead of the chain's block time \(limit 20000 ms, drift\.maxClockSkewMs\): order-event backfills/);
    lb.chainTimeOffsetMs = 0;
    // The same skew from an injected local clock: live trading refuses to start, naming the field.
    const skewed = new (class extends LiveClock {
      override now(): number {
        return super.now() - 30_000;
      }
    })();
    const kp = Keypair.generate();
    lb.serveUser(kp.publicKey);
    const err = await openDrift({ mode: 'live', symbols: ['SOL-PERP', 'ETH-PERP'], config: cfg, logger: silentLogger, wall: skewed, env: { DRIFT_KEYPAIR: base58(kp.secretKey) }, state }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('drift.maxClockSkewMs');
    expect((err as Error).message).toMatch(/local clock is \d{5} ms behind the chain's block time/);
  });

  it('a paused program (exchange status 255, as on mainnet since 2026-04-01) is said plainly and refuses live trading', async () => {
    lb = await startLoopbackDrift({ exchangeStatus: 255 });
    const urls = { rpc: lb.rpc, dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, data: lb.data };
    const cfg = driftConfigSchema.parse({ urls, markets: { 'SOL-PERP': 0, 'ETH-PERP': 2 } });
    const r = await driftDoctorChecks({ config: cfg, env: {} });
    expect(r.filter((x) => !x.ok).map((x) => x.name)).toEqual(['program status']);
    expect(r.find((x) => x.name === 'program status')!.detail).toMatch(/is paused: its on-chain state disables all instructions \(exchange status 255\)/);
    const kp = Keypair.generate();
    lb.serveUser(kp.publicKey);
    const err = await openDrift({ mode: 'live', symbols: ['SOL-PERP', 'ETH-PERP'], config: cfg, logger: silentLogger, wall: new LiveClock(), env: { DRIFT_KEYPAIR: base58(kp.secretKey) }, state }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('drift.programId');
    expect((err as Error).message).toMatch(/paused/);
  });

  it('live mode refuses to open when the subaccount does not exist, naming the field; the secret never appears', async () => {
    lb = await startLoopbackDrift();
    const urls = { rpc: lb.rpc, dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, data: lb.data };
    const cfg = driftConfigSchema.parse({ urls, markets: { 'SOL-PERP': 0, 'ETH-PERP': 2 } });
    const secret = base58(Keypair.generate().secretKey);
    const err = await openDrift({ mode: 'live', symbols: ['SOL-PERP', 'ETH-PERP'], config: cfg, logger: silentLogger, wall: new LiveClock(), env: { DRIFT_KEYPAIR: secret }, state }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('drift.subAccountId');
    expect(String((err as Error).message)).not.toContain(secret);
    // Nothing but reads reached the chain.
    expect(lb.rpcMethods.every((m) => m.startsWith('get'))).toBe(true);
  });

  it('live mode failing after the market stream opened closes that stream (no socket or timer keeps the process alive)', async () => {
    lb = await startLoopbackDrift();
    const kp = Keypair.generate();
    lb.serveUser(kp.publicKey); // the doctor passes; the SDK's full subscription then fails on the loopback
    const urls = { rpc: lb.rpc, dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, data: lb.data };
    const cfg = driftConfigSchema.parse({ urls, markets: { 'SOL-PERP': 0, 'ETH-PERP': 2 } });
    const err = await openDrift({ mode: 'live', symbols: ['SOL-PERP', 'ETH-PERP'], config: cfg, logger: silentLogger, wall: new LiveClock(), env: { DRIFT_KEYPAIR: base58(kp.secretKey) }, state }).catch((e: unknown) => e);
    // The SDK's subscribe reports failure by returning false: no live venue may open on empty data.
    expect(String((err as Error).message)).toMatch(/did not load over RPC/);
    expect(String((err as Error).message)).not.toContain(lb.rpc);
    await new Promise((r) => setTimeout(r, 300));
    expect(lb.openSockets()).toBe(0);
  });
});
