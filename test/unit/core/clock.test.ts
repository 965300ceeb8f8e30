import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SimClock, awaitOnSimClock } from '../../../src/core/clock.js';

const T0 = Date.UTC(2026, 0, 1);

describe('SimClock', () => {
  it('starts at the given time and only moves when advanced', () => {
    const c = new SimClock(T0);
    expect(c.now()).toBe(T0);
    c.advanceTo(T0 + 500);
    expect(c.now()).toBe(T0 + 500);
  });

  it('never moves backwards', () => {
    const c = new SimClock(T0);
    c.advanceTo(T0 + 1000);
    c.advanceTo(T0 + 10);
    expect(c.now()).toBe(T0 + 1000);
  });

  it('fires timers in (due time, creation) order, each at its own time', () => {
    const c = new SimClock(T0);
    const fired: Array<[string, number]> = [];
    const at = (name: string) => () => fired.push([name, c.now() - T0]);
    c.setTimer(300, at('c'));
    c.setTimer(100, at('a1'));
    c.setTimer(200, at('b'));
    c.setTimer(100, at('a2'));
    c.setTimer(0, at('zero'));
    c.advanceTo(T0 + 250);
    expect(fired).toEqual([
      ['zero', 0],
      ['a1', 100],
      ['a2', 100],
      ['b', 200],
    ]);
    expect(c.now()).toBe(T0 + 250);
    expect(c.pendingTimers()).toBe(1);
    expect(c.nextTimerAt()).toBe(T0 + 300);
  });

  it('fires a timer due exactly at the target time, not one after', () => {
    const c = new SimClock(T0);
    const fired: string[] = [];
    c.setTimer(100, () => fired.push('due'));
    c.setTimer(101, () => fired.push('late'));
    c.advanceTo(T0 + 100);
    expect(fired).toEqual(['due']);
  });

  it('treats a negative delay as zero', () => {
    const c = new SimClock(T0);
    let firedAt = -1;
    c.setTimer(-50, () => (firedAt = c.now()));
    expect(c.nextTimerAt()).toBe(T0);
    c.advanceTo(T0);
    expect(firedAt).toBe(T0);
  });

  it('cancelTimer prevents firing; cancelling twice or an unknown handle is harmless', () => {
    const c = new SimClock(T0);
    const fired: string[] = [];
    const h = c.setTimer(100, () => fired.push('cancelled'));
    c.setTimer(100, () => fired.push('kept'));
    c.cancelTimer(h);
    c.cancelTimer(h);
    c.cancelTimer({ id: 9999 });
    c.advanceTo(T0 + 1000);
    expect(fired).toEqual(['kept']);
    expect(c.pendingTimers()).toBe(0);
    expect(c.nextTimerAt()).toBeNull();
  });

  it('fires timers scheduled by a callback when they fall inside the same advance', () => {
    const c = new SimClock(T0);
    const fired: Array<[string, number]> = [];
    c.setTimer(100, () => {
      fired.push(['outer', c.now() - T0]);
      c.setTimer(50, () => fired.push(['inner', c.now() - T0]));
      c.setTimer(500, () => fired.push(['beyond', c.now() - T0]));
    });
    c.advanceTo(T0 + 200);
    expect(fired).toEqual([
      ['outer', 100],
      ['inner', 150],
    ]);
    expect(c.pendingTimers()).toBe(1);
  });

  it('sleep resolves once time passes the delay', async () => {
    const c = new SimClock(T0);
    let done = false;
    const p = c.sleep(1000).then(() => (done = true));
    c.advanceTo(T0 + 999);
    await Promise.resolve();
    expect(done).toBe(false);
    c.advanceTo(T0 + 1000);
    await p;
    expect(done).toBe(true);
  });

  it('fires random timers in (due time, creation) order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10, max: 1000 }), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 10 }), (delays, cancels) => {
        const c = new SimClock(T0);
        const fired: number[] = [];
        const handles = delays.map((d, i) => c.setTimer(d, () => fired.push(i)));
        const cancelled = new Set<number>();
        for (const k of cancels) {
          if (delays.length === 0) break;
          const i = k % delays.length;
          cancelled.add(i);
          c.cancelTimer(handles[i]!);
        }
        c.advanceTo(T0 + 1000);
        const expected = delays
          .map((d, i) => ({ at: Math.max(0, d), i }))
          .filter(({ i }) => !cancelled.has(i))
          .sort((a, b) => a.at - b.at || a.i - b.i)
          .map(({ i }) => i);
        expect(fired).toEqual(expected);
        expect(c.pendingTimers()).toBe(0);
      }),
    );
  });
});

describe('awaitOnSimClock', () => {
  it('drives the clock through chained sleeps and returns the value', async () => {
    const c = new SimClock(T0);
    const work = (async () => {
      await c.sleep(1000);
      await c.sleep(500);
      return 'done';
    })();
    await expect(awaitOnSimClock(c, work)).resolves.toBe('done');
    expect(c.now()).toBe(T0 + 1500);
  });

  it('does not advance the clock for a promise that is already settled', async () => {
    const c = new SimClock(T0);
    c.setTimer(10_000, () => undefined);
    await expect(awaitOnSimClock(c, Promise.resolve(7))).resolves.toBe(7);
    expect(c.now()).toBe(T0);
    expect(c.pendingTimers()).toBe(1);
  });

  it('propagates a rejection', async () => {
    const c = new SimClock(T0);
    const work = (async () => {
      await c.sleep(200);
      throw new Error('boom');
    })();
    await expect(awaitOnSimClock(c, work)).rejects.toThrow('boom');
    expect(c.now()).toBe(T0 + 200);
  });

  it('stops at the first timer after the promise settles, leaving later timers pending', async () => {
    const c = new SimClock(T0);
    c.setTimer(5_000, () => undefined);
    const work = c.sleep(100).then(() => 'x');
    await expect(awaitOnSimClock(c, work)).resolves.toBe('x');
    expect(c.now()).toBe(T0 + 100);
    expect(c.nextTimerAt()).toBe(T0 + 5_000);
  });
});
