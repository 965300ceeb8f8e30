import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { limiterClassOf, WeightedLimiter, type LimiterClass } from '../../../src/core/weighted-limiter.js';

const budgets = [
  { name: 'orders', windows: [{ limit: 100, windowMs: 10_000 }, { limit: 600, windowMs: 60_000 }] },
  { name: 'queries', windows: [{ limit: 400, windowMs: 10_000 }] },
];

async function drain(clock: SimClock, until: () => boolean, stepMs = 50, maxMs = 600_000): Promise<void> {
  const end = clock.now() + maxMs;
  while (!until() && clock.now() < end) {
    await Promise.resolve();
    await Promise.resolve();
    clock.advanceTo(clock.now() + stepMs);
  }
}

describe('WeightedLimiter (sliding windows per budget)', () => {
  it('never exceeds any published window, whatever the burst of weights', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 2000 })), { minLength: 5, maxLength: 60 }), async (reqs) => {
        const clock = new SimClock(0);
        const lim = new WeightedLimiter(clock, budgets);
        const granted: { at: number; w: number }[] = [];
        let done = 0;
        let t = 0;
        for (const [w, gap] of reqs) {
          t += gap;
          const at = t;
          clock.setTimer(at, () => void lim.acquire('entry', [{ budget: 'orders', weight: w }]).then(() => (granted.push({ at: clock.now(), w }), done++)));
        }
        await drain(clock, () => done === reqs.length);
        expect(done).toBe(reqs.length);
        for (const g of granted) {
          for (const win of budgets[0]!.windows) {
            const used = granted.filter((x) => x.at > g.at - win.windowMs && x.at <= g.at).reduce((s, x) => s + x.w, 0);
            expect(used).toBeLessThanOrEqual(win.limit);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it('serves cancels and reduce-only ahead of waiting entries; queries are not held up by order weight', async () => {
    const clock = new SimClock(0);
    const lim = new WeightedLimiter(clock, budgets);
    await lim.acquire('entry', [{ budget: 'orders', weight: 100 }]); // window full
    const order: string[] = [];
    const go = (cls: LimiterClass, tag: string, budget = 'orders') => void lim.acquire(cls, [{ budget, weight: 10 }]).then(() => order.push(tag));
    go('entry', 'entry-1');
    go('entry', 'entry-2');
    go('reduce', 'reduce');
    go('cancel', 'cancel');
    go('query', 'query', 'queries');
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(['query']);
    await drain(clock, () => order.length === 5);
    expect(order).toEqual(['query', 'cancel', 'reduce', 'entry-1', 'entry-2']);
  });

  it('backoff (429 Retry-After) pauses every budget until it expires', async () => {
    const clock = new SimClock(0);
    const lim = new WeightedLimiter(clock, budgets);
    lim.backoff(2_000);
    let at = -1;
    void lim.acquire('cancel', [{ budget: 'queries', weight: 1 }]).then(() => (at = clock.now()));
    await drain(clock, () => at >= 0, 100);
    expect(at).toBeGreaterThanOrEqual(2_000);
    expect(at).toBeLessThan(2_200);
  });
});

describe('limiterClassOf (the class an order is sent under)', () => {
  it.each([
    [{ purpose: 'entry', reduceOnly: true }, 'reduce'],
    [{ purpose: 'hedge', reduceOnly: true }, 'reduce'],
    [{ purpose: 'hedge', reduceOnly: false }, 'hedge'],
    [{ purpose: 'stop', reduceOnly: false }, 'hedge'],
    [{ purpose: 'liquidation', reduceOnly: false }, 'hedge'],
    [{ purpose: 'harvest', reduceOnly: false }, 'exit'],
    [{ purpose: 'exit', reduceOnly: false }, 'exit'],
    [{ purpose: 'entry', reduceOnly: false }, 'entry'],
    [{ reduceOnly: false }, 'entry'],
  ] as const)('%j → %s', (req, cls) => {
    expect(limiterClassOf(req)).toBe(cls);
  });
});
