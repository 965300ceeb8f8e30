import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SimClock, awaitOnSimClock, drainMicrotasks, settle } from '../../../src/core/clock.js';

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

/** Work made of promises alone: each node logs itself, then starts its children the ways order work does. */
interface Work {
  readonly how: 'then' | 'microtask' | 'async' | 'sync';
  readonly children: readonly Work[];
}
const how = fc.constantFrom('then' as const, 'microtask' as const, 'async' as const, 'sync' as const);
const work: fc.Arbitrary<Work> = fc.letrec<{ node: Work }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 5 },
    fc.record({ how, children: fc.constant([]) }),
    fc.record({ how, children: fc.array(tie('node'), { maxLength: 3 }) }),
  ),
})).node;

function start(w: Work, id: string, log: string[]): void {
  const run = (): void => {
    log.push(id);
    w.children.forEach((c, i) => start(c, `${id}.${i}`, log));
  };
  if (w.how === 'then') void Promise.resolve().then(run);
  else if (w.how === 'microtask') queueMicrotask(run);
  else if (w.how === 'async') void (async () => {
    await null;
    await Promise.resolve();
    run();
  })();
  else run();
}

/** What has run when `wait` resumes, for work started before and after asking, asked from a continuation or from a macrotask. */
function seen(wait: () => Promise<void>, before: Work, after: Work, fromMacrotask: boolean): Promise<string[]> {
  const ask = (): Promise<string[]> => {
    const log: string[] = [];
    start(before, 'b', log);
    const done = wait().then(() => [...log]);
    start(after, 'a', log);
    return done;
  };
  return fromMacrotask ? new Promise((resolve) => setImmediate(() => resolve(ask()))) : Promise.resolve().then(ask);
}

describe('drainMicrotasks', () => {
  it('resumes with the same promise work done, in the same order, as settle', async () => {
    await fc.assert(
      fc.asyncProperty(work, work, fc.boolean(), async (before, after, fromMacrotask) => {
        const bySettle = await seen(settle, before, after, fromMacrotask);
        const byDrain = await seen(drainMicrotasks, before, after, fromMacrotask);
        expect(byDrain).toEqual(bySettle);
      }),
      { numRuns: 300 },
    );
  });

  it('does not give the event loop a turn: an immediate asked for first still waits', async () => {
    let immediate = false;
    setImmediate(() => {
      immediate = true;
    });
    await drainMicrotasks();
    expect(immediate).toBe(false);
    await settle();
    expect(immediate).toBe(true);
  });
});
