import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '../../../src/core/errors.js';
import { parseConfig, readConfigFile } from '../../../src/cli/config-loader.js';
import { configErrorOf } from './config-error-of.js';

describe('parseConfig defaults', () => {
  it('parseConfig({}) gives the documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      mode: 'paper',
      venue: 'sim',
      seed: 1,
      db: 'data/dnbot.db',
      run: { speed: 60, statusIntervalMs: 3_000, snapshotIntervalMs: 60_000 },
      log: { level: 'info' },
      risk: { safetyFactor: 0.8, capitalShare: 0.1, limits: { maxPortfolioLeverage: 5 } },
      phases: { 1: { leverage: 5, dailyVolumeTargetUsd: 20_000, maxPositionUsd: 10_000 }, 4: { leverage: 20 } },
      execution: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 10, maxRequotes: 2, imbalanceTolerance: 0.1, sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000, driftShare: 0.01, driftRestMs: 30_000 },
    });
    expect(c.run.durationMs).toBeUndefined();
    expect(c.bots).toHaveLength(1);
    expect(c.bots[0]).toMatchObject({ id: 'dn-eth-sol', strategy: 'dn-pair', baseNotionalUsd: 500, dnPair: { legA: 'ETH-PERP', legB: 'SOL-PERP' } });
    expect(c.sim).toBeDefined();
    expect(c.paper).toBeDefined();
    expect(c.replay).toBeDefined();
  });

  it('is deterministic and does not share default objects between parses', () => {
    const a = parseConfig({});
    const b = parseConfig({});
    expect(a).toEqual(b);
    expect(a.risk).not.toBe(b.risk);
  });

  it('keeps given values and fills the rest', () => {
    const c = parseConfig({ phases: { 1: { leverage: 10 } }, run: { speed: 'max' }, bots: [{ id: 'a' }, { id: 'b', baseNotionalUsd: 1000 }] });
    expect(c.phases[1]).toMatchObject({ leverage: 10, dailyVolumeTargetUsd: 20_000 });
    expect(c.risk.safetyFactor).toBe(0.8);
    expect(c.run.speed).toBe('max');
    expect(c.bots.map((b) => [b.id, b.baseNotionalUsd])).toEqual([
      ['a', 500],
      ['b', 1000],
    ]);
  });

  it.each([1, 5, 10, 15, 19.5, 20])('accepts phase leverage %s (≤ 20× hard cap)', (v) => {
    expect(parseConfig({ phases: { 2: { leverage: v } } }).phases[2].leverage).toBe(v);
  });
});

describe('parseConfig refusals name the field', () => {
  it.each([
    [{ bogus: 1 }, 'bogus'],
    [{ sim: { bogus: 1 } }, 'sim.bogus'],
    [{ run: { bogus: 1 } }, 'run.bogus'],
    [{ risk: { maxleverage: 5 } }, 'risk.maxleverage'],
    [{ execution: { rateLimit: { perMinute: 5 } } }, 'execution.rateLimit.perMinute'],
    [{ bots: [{ bogus: 1 }] }, 'bots.0.bogus'],
    [{ bots: [{}, { dnPair: { bogus: 1 } }] }, 'bots.1.dnPair.bogus'],
    [{ paper: { bogus: 1 } }, 'paper.bogus'],
    [{ replay: { bogus: 1 } }, 'replay.bogus'],
  ])('unknown key %o → field %s', (raw, field) => {
    const e = configErrorOf(() => parseConfig(raw));
    expect(e.field).toBe(field);
    expect(e.code).toBe(ErrorCodes.CONFIG_INVALID);
  });

  it.each([50, 51, 100, 500])('refuses risk.maxLeverage %s as prohibited (seed 003)', (v) => {
    const e = configErrorOf(() => parseConfig({ phases: { 1: { leverage: v } } }));
    expect(e.field).toBe('phases.1.leverage');
    expect(e.message).toMatch(/prohibited/);
  });

  it.each([20.01, 25, 49.99])('refuses risk.maxLeverage %s above the 20× hard cap', (v) => {
    const e = configErrorOf(() => parseConfig({ phases: { 1: { leverage: v } } }));
    expect(e.field).toBe('phases.1.leverage');
    expect(e.message).toMatch(/20/);
    expect(e.message).not.toMatch(/prohibited \(/);
  });

  it.each([
    [{ phases: { 1: { leverage: 0 } } }, 'phases.1.leverage'],
    [{ phases: { 3: { leverage: -5 } } }, 'phases.3.leverage'],
    [{ risk: { limits: { maxPortfolioLeverage: 25 } } }, 'risk.limits.maxPortfolioLeverage'],
    [{ risk: { safetyFactor: 0 } }, 'risk.safetyFactor'],
    [{ risk: { safetyFactor: 1.2 } }, 'risk.safetyFactor'],
    [{ phases: { 1: { dailyVolumeTargetUsd: 0 } } }, 'phases.1.dailyVolumeTargetUsd'],
    [{ risk: { lossLimits: { portfolioDaily: 2 } } }, 'risk.lossLimits.portfolioDaily'],
  ])('refuses out-of-range %o naming %s', (raw, field) => {
    expect(configErrorOf(() => parseConfig(raw)).field).toBe(field);
  });

  it.each([
    [{ seed: 'x' }, 'seed'],
    [{ seed: 1.5 }, 'seed'],
    [{ seed: -1 }, 'seed'],
    [{ mode: 'yolo' }, 'mode'],
    [{ venue: 'binance' }, 'venue'],
    [{ db: '' }, 'db'],
    [{ phases: { 1: { leverage: '10' } } }, 'phases.1.leverage'],
    [{ risk: 'high' }, 'risk'],
    [{ run: { speed: 'fast' } }, 'run.speed'],
    [{ run: { speed: 0 } }, 'run.speed'],
    [{ run: { durationMs: 1.5 } }, 'run.durationMs'],
    [{ log: { level: 'loud' } }, 'log.level'],
    [{ bots: [] }, 'bots'],
    [{ bots: [{ id: 'same' }, { id: 'same' }] }, 'bots'],
    [{ bots: [{ id: 'has space' }] }, 'bots.0.id'],
    [{ bots: [{ baseNotionalUsd: 'lots' }] }, 'bots.0.baseNotionalUsd'],
    [{ bots: [{ dnPair: { entryZ: 5 } }] }, 'bots.0.dnPair.entryZ'],
    [{ execution: { rateLimit: { perSecond: 'x' } } }, 'execution.rateLimit.perSecond'],
  ])('refuses wrong type or value %o naming %s', (raw, field) => {
    const e = configErrorOf(() => parseConfig(raw));
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });

  it.each([null, 'config', 42, []])('refuses a non-object config %o', (raw) => {
    expect(configErrorOf(() => parseConfig(raw)).code).toBe(ErrorCodes.CONFIG_INVALID);
  });
});

describe('readConfigFile', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dnbot-config-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ phases: { 1: { leverage: 10 } } }));
    writeFileSync(join(dir, 'broken.json'), '{ "risk": ');
    writeFileSync(join(dir, 'array.json'), '[1, 2]');
    writeFileSync(join(dir, 'null.json'), 'null');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an explicit file', () => {
    expect(readConfigFile(join(dir, 'good.json'), join(dir, 'default.json'))).toEqual({ phases: { 1: { leverage: 10 } } });
  });

  it('reads the default file when no path is given', () => {
    expect(readConfigFile(undefined, join(dir, 'good.json'))).toEqual({ phases: { 1: { leverage: 10 } } });
  });

  it('treats a missing default file as {}', () => {
    expect(readConfigFile(undefined, join(dir, 'absent.json'))).toEqual({});
  });

  it.each([['absent.json'], ['broken.json'], ['array.json'], ['null.json']])('refuses %s naming --config', (file) => {
    const e = configErrorOf(() => readConfigFile(join(dir, file), join(dir, 'good.json')));
    expect(e.field).toBe('--config');
  });
});
