import { describe, it, expect } from 'vitest';
import { ConfigError, ErrorCodes } from '../../../../src/core/errors.js';
import { parseReplayConfig, replayConfigSchema } from '../../../../adapters/replay/replay-config.js';
import { fallbackInstrumentSettings, nearestPowerOfTen, replayInstrument } from '../../../../adapters/replay/replay-instrument.js';

describe('replayConfigSchema', () => {
  it('parses {} to the documented defaults', () => {
    const c = replayConfigSchema.parse({});
    expect(c.stepsPerCandle).toBe(4);
    expect(c.warmupBars).toBe(240);
    expect(c.fundingRate).toBe(0);
    expect(c.intervalMs).toBe(60_000);
    expect(c.book).toEqual({
      halfSpreadBps: 1, levels: 10, levelSpacingBps: 1, touchDepthVolumeShare: 0.02, minTouchDepthUsd: 5000, depthGrowthPerLevel: 0.5,
    });
    expect(Object.keys(c.instruments).sort()).toEqual(['BTC-PERP', 'ETH-PERP', 'SOL-PERP']);
  });

  it.each([
    ['ETH-PERP', 0.01, 0.001],
    ['SOL-PERP', 0.001, 0.01],
    ['BTC-PERP', 0.1, 0.0001],
  ])('%s has tick %d and lot %d, minSize = lot, shared terms', (symbol, tick, lot) => {
    const s = replayConfigSchema.parse({}).instruments[symbol];
    expect(s).toEqual({
      tickSize: tick, lotSize: lot, minSize: lot, minNotional: 10, maxLeverage: 20,
      initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000,
    });
  });

  it('prices fees from the chosen venue\'s published entry tier unless an instrument sets its own', () => {
    const nado = replayInstrument(replayConfigSchema.parse({}), 'ETH-PERP', 2000);
    expect([nado.makerFeeRate, nado.takerFeeRate]).toEqual([0.0001, 0.00035]);
    const drift = replayInstrument(replayConfigSchema.parse({ fees: 'drift' }), 'ETH-PERP', 2000);
    expect([drift.makerFeeRate, drift.takerFeeRate]).toEqual([-0.000025, 0.00035]);
    const own = replayInstrument(replayConfigSchema.parse({ fees: 'drift', instruments: { 'ETH-PERP': { tickSize: 0.01, lotSize: 0.001, takerFeeRate: 0.0005 } } }), 'ETH-PERP', 2000);
    expect([own.makerFeeRate, own.takerFeeRate]).toEqual([-0.000025, 0.0005]);
  });

  it('defaults to the honest intrabar model: a 12-point-per-minute bridge', () => {
    const c = replayConfigSchema.parse({});
    expect([c.intrabar, c.pointsPerMinute, c.correlationWindow, c.pathSeed]).toEqual(['bridge', 12, 60, undefined]);
  });

  it('merges instrument entries over the built-in rows', () => {
    const c = replayConfigSchema.parse({ instruments: { 'ETH-PERP': { tickSize: 0.1, lotSize: 0.01, takerFeeRate: 0.0004 }, 'DOGE-PERP': { tickSize: 0.00001, lotSize: 1 } } });
    expect(c.instruments['ETH-PERP']).toMatchObject({ tickSize: 0.1, lotSize: 0.01, minSize: 0.01, takerFeeRate: 0.0004 });
    expect(c.instruments['SOL-PERP']?.tickSize).toBe(0.001);
    expect(c.instruments['DOGE-PERP']?.lotSize).toBe(1);
  });

  it.each([
    [{ extra: 1 }, 'replay.extra'],
    [{ book: { levels: 0 } }, 'replay.book.levels'],
    [{ book: { depth: 3 } }, 'replay.book.depth'],
    [{ stepsPerCandle: 3 }, 'replay.stepsPerCandle'],
    [{ warmupBars: -1 }, 'replay.warmupBars'],
    [{ instruments: { 'ETH-PERP': { tickSize: 0 , lotSize: 1 } } }, 'replay.instruments.ETH-PERP.tickSize'],
    [{ instruments: { 'ETH-PERP': { tickSize: 0.01, lotSize: 1, maintenanceMarginRatio: 0.1 } } }, 'replay.instruments.ETH-PERP.maintenanceMarginRatio'],
  ])('rejects %j naming %s', (input, field) => {
    let err: unknown;
    try {
      parseReplayConfig(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((err as ConfigError).field).toBe(field);
  });
});

describe('replay instruments', () => {
  it('builds ETH-PERP from its config row, venue replay', () => {
    const i = replayInstrument(replayConfigSchema.parse({}), 'ETH-PERP', 2000);
    expect(i).toMatchObject({ venue: 'replay', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001 });
  });

  it.each([
    [2000, 0.01, 0.001],
    [30, 0.0001, 0.1],
    [50_000, 1, 0.00001],
    [0.2, 0.000001, 10],
  ])('derives unknown-symbol terms from price %d: tick %d, lot %d', (price, tick, lot) => {
    const s = fallbackInstrumentSettings(replayConfigSchema.parse({}), price);
    expect(s.tickSize).toBe(tick);
    expect(s.lotSize).toBe(lot);
    expect(s.minSize).toBe(lot);
    expect(replayInstrument(replayConfigSchema.parse({}), 'XYZ-PERP', price).baseAsset).toBe('XYZ');
  });

  it('rounds to powers of ten without float dust', () => {
    expect(nearestPowerOfTen(0.0004)).toBe(0.001);
    expect(nearestPowerOfTen(0.02)).toBe(0.01);
    expect(nearestPowerOfTen(7)).toBe(10);
  });
});
