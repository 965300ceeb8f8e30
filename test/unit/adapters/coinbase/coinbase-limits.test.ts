import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { limiterFor, LIMIT_HEADROOM } from '../../../../adapters/coinbase/index.js';
import { SimClock, settle } from '../../../../src/core/clock.js';

/** Grants `n` requests through a fresh limiter on a simulated clock; returns their grant times. */
async function grants(perSecond: number, arrivals: readonly number[]): Promise<number[]> {
  const clock = new SimClock(0);
  const limiter = limiterFor(clock, perSecond);
  const at: number[] = [];
  const done: Promise<unknown>[] = [];
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (const t of sorted) {
    clock.advanceTo(t);
    done.push(limiter.schedule('query', async () => void at.push(clock.now())));
    await settle();
  }
  for (let i = 0; i < 2000 && at.length < sorted.length; i++) {
    const next = clock.nextTimerAt();
    if (next === null) {
      await settle();
      continue;
    }
    clock.advanceTo(next);
    await settle();
  }
  await Promise.all(done);
  return at;
}

describe('Coinbase rate limiters', () => {
  it('never grant more than 90 % of the published rate in any one-second window, whatever the arrivals', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(10, 30), fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 80 }), async (perSecond, arrivals) => {
        const at = await grants(perSecond, arrivals);
        expect(at).toHaveLength(arrivals.length);
        const cap = Math.floor(perSecond * LIMIT_HEADROOM);
        for (const t of at) expect(at.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 40 },
    );
  });

  it('still serve a steady load at close to the budget', async () => {
    const at = await grants(30, Array.from({ length: 120 }, () => 0));
    const spanS = (at.at(-1)! - at[0]!) / 1000;
    expect(120 / spanS).toBeGreaterThan(20); // 27/s budget: 5 at once, then 22/s
  });
});
