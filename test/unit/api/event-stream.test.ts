import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../../../src/api/api-server.js';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';

describe('GET /events cadence on the injected clock', () => {
  let server: ApiServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('pushes once at connect, then once per interval of the clock, and stops its timer when the last client leaves', async () => {
    const clock = new SimClock(0);
    let n = 0;
    server = new ApiServer({ host: '127.0.0.1', port: 0, clock, pushIntervalMs: 1_000, logger: silentLogger, handlers: { health: () => ({}), status: () => ({ n: ++n }) } });
    const base = `http://127.0.0.1:${await server.start()}`;
    const ctrl = new AbortController();
    const reader = (await fetch(`${base}/events`, { signal: ctrl.signal })).body!.getReader();
    let text = '';
    const frames = (): number => (text.match(/event: status/g) ?? []).length;
    const readUntil = async (k: number): Promise<void> => {
      while (frames() < k) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil(1);
    expect(text).toContain('data: {"n":1}');
    expect(clock.pendingTimers()).toBe(1);
    clock.advanceTo(999);
    expect(n).toBe(1);
    clock.advanceTo(1_000);
    await readUntil(2);
    expect(text).toContain('data: {"n":2}');
    clock.advanceTo(3_000);
    await readUntil(4);
    expect(n).toBe(4);
    ctrl.abort();
    for (let i = 0; i < 50 && clock.pendingTimers() > 0; i++) await new Promise((r) => setImmediate(r));
    expect(clock.pendingTimers()).toBe(0);
  });
});
