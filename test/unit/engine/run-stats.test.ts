import { describe, expect, it } from 'vitest';
import { RunStats } from '../../../src/engine/run-stats.js';

describe('RunStats', () => {
  it('has no first or last time before any event', () => {
    const s = new RunStats();
    expect(s.firstTs).toBeNull();
    expect(s.lastTs).toBeNull();
    expect(s.eventsProcessed).toBe(0);
  });

  it('keeps the first and the latest event time and counts events', () => {
    const s = new RunStats();
    for (const ts of [1_767_225_600_000, 1_767_225_600_500, 1_767_225_601_000]) s.observeEvent(ts);
    expect(s.firstTs).toBe(1_767_225_600_000);
    expect(s.lastTs).toBe(1_767_225_601_000);
    expect(s.eventsProcessed).toBe(3);
    const { firstTs, lastTs } = s;
    expect([firstTs, lastTs]).toEqual([1_767_225_600_000, 1_767_225_601_000]);
  });

  it('keeps the largest |net| and gross exposure seen', () => {
    const s = new RunStats();
    s.observeExposure(-120.5, 900);
    s.observeExposure(80, 1_000);
    expect(s.maxAbsNetDeltaUsd).toBe(120.5);
    expect(s.maxGrossNotionalUsd).toBe(1_000);
  });
});
