import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { requestClassOf, VenueLimiter, type RequestClass } from '../../../src/core/venue-limiter.js';
import { runFor } from '../execution/order-manager-fixture.js';

interface Ran {
  readonly name: string;
  readonly at: number;
}

function setup(opts: { ratePerSecond: number; burst: number; concurrency?: number }) {
  const clock = new SimClock(0);
  const limiter = new VenueLimiter({ clock, ...opts });
  const ran: Ran[] = [];
  const job =
    (name: string) =>
    (): Promise<string> => {
      ran.push({ name, at: clock.now() });
      return Promise.resolve(name);
    };
  return { clock, limiter, ran, job };
}

describe('VenueLimiter priority', () => {
  it('runs cancels, hedges, exits and queries queued behind entries first when tokens free up', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 1, burst: 1 });
    const queued: [RequestClass, string][] = [
      ['entry', 'e1'],
      ['entry', 'e2'],
      ['entry', 'e3'],
      ['query', 'q'],
      ['exit', 'x'],
      ['hedge', 'h'],
      ['cancel', 'c'],
    ];

    const results = queued.map(([cls, name]) => limiter.schedule(cls, job(name)));
    await runFor(clock, 10_000);

    expect(ran).toEqual([
      { name: 'e1', at: 0 },
      { name: 'c', at: 1000 },
      { name: 'h', at: 2000 },
      { name: 'x', at: 3000 },
      { name: 'q', at: 4000 },
      { name: 'e2', at: 5000 },
      { name: 'e3', at: 6000 },
    ]);
    expect(await Promise.all(results)).toEqual(['e1', 'e2', 'e3', 'q', 'x', 'h', 'c']);
  });

  it('a cancel arriving while entries wait for tokens overtakes them', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 1, burst: 1 });
    for (const n of ['e1', 'e2', 'e3']) void limiter.schedule('entry', job(n));
    await runFor(clock, 500);

    void limiter.schedule('cancel', job('c'));
    await runFor(clock, 5_000);

    expect(ran.map((r) => r.name)).toEqual(['e1', 'c', 'e2', 'e3']);
    expect(ran.find((r) => r.name === 'c')!.at).toBe(1000);
  });
});

describe('VenueLimiter token bucket', () => {
  it('spends the burst at once, then one request per refill, never early', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 2, burst: 3 });

    for (let i = 1; i <= 5; i++) void limiter.schedule('entry', job(`r${i}`));
    await runFor(clock, 499);
    const at499 = ran.length;
    await runFor(clock, 1);
    const at500 = ran.length;
    await runFor(clock, 1_000);

    expect(at499).toBe(3);
    expect(at500).toBe(4);
    expect(ran.map((r) => r.at)).toEqual([0, 0, 0, 500, 1000]);
  });

  it('spends weights: a heavy request empties the bucket and the next waits for its weight', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 1, burst: 4 });

    void limiter.schedule('entry', job('heavy'), 4);
    void limiter.schedule('entry', job('two'), 2);
    void limiter.schedule('entry', job('one'), 1);
    await runFor(clock, 1_999);
    const before = ran.map((r) => r.name);
    await runFor(clock, 10_000);

    expect(before).toEqual(['heavy']);
    expect(ran).toEqual([
      { name: 'heavy', at: 0 },
      { name: 'two', at: 2000 },
      { name: 'one', at: 3000 },
    ]);
  });

  it('a request heavier than the bucket runs once the bucket is full instead of hanging', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 1, burst: 2 });
    void limiter.schedule('entry', job('small'));

    void limiter.schedule('hedge', job('huge'), 5);
    await runFor(clock, 10_000);

    expect(ran).toEqual([
      { name: 'small', at: 0 },
      { name: 'huge', at: 1000 },
    ]);
  });

  it('backoff delays everything, including requests that have tokens', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 10, burst: 10 });
    limiter.backoff(5_000);
    limiter.backoff(1_000); // a shorter backoff never shortens the current one

    void limiter.schedule('cancel', job('c'));
    void limiter.schedule('entry', job('e'));
    await runFor(clock, 4_999);
    const early = ran.length;
    const depth = limiter.depth();
    await runFor(clock, 1);

    expect(early).toBe(0);
    expect(depth).toBe(2);
    expect(ran).toEqual([
      { name: 'c', at: 5000 },
      { name: 'e', at: 5000 },
    ]);
    expect(limiter.depth()).toBe(0);
  });

  it('backoff also holds requests already waiting for tokens', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 1, burst: 1 });
    void limiter.schedule('entry', job('a'));
    void limiter.schedule('entry', job('b'));
    await runFor(clock, 100);

    limiter.backoff(3_000);
    await runFor(clock, 10_000);

    expect(ran.map((r) => r.at)).toEqual([0, 3100]);
  });

  it('bounds requests in flight by concurrency and passes failures to the caller', async () => {
    const { clock, limiter, ran, job } = setup({ ratePerSecond: 100, burst: 100, concurrency: 1 });
    let release: () => void = () => undefined;
    const slow = limiter.schedule('entry', () => new Promise<string>((r) => (release = () => r('slow'))));
    const failing = limiter.schedule('cancel', () => Promise.reject(new Error('boom'))).then(
      () => null,
      (err: unknown) => err,
    );
    void limiter.schedule('entry', job('after'));
    await runFor(clock, 1_000);
    const whileSlow = ran.length;

    release();
    await runFor(clock, 0);

    expect(whileSlow).toBe(0);
    expect(await slow).toBe('slow');
    expect(await failing).toEqual(new Error('boom'));
    expect(ran.map((r) => r.name)).toEqual(['after']);
  });

  it('never spends more than burst + rate × elapsed (property)', async () => {
    const classes: RequestClass[] = ['cancel', 'hedge', 'exit', 'query', 'entry'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.record({ cls: fc.constantFrom(...classes), weight: fc.integer({ min: 1, max: 3 }), delay: fc.nat(3_000) }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (rate, burst, requests) => {
          const clock = new SimClock(0);
          const limiter = new VenueLimiter({ clock, ratePerSecond: rate, burst });
          const spent: { at: number; weight: number }[] = [];
          for (const r of requests) {
            clock.setTimer(r.delay, () => {
              void limiter.schedule(r.cls, () => {
                spent.push({ at: clock.now(), weight: Math.min(r.weight, burst) });
                return Promise.resolve();
              }, r.weight);
            });
          }
          await runFor(clock, 3_000 + (requests.length * 3 * 1000) / rate + 1_000);

          expect(spent).toHaveLength(requests.length);
          for (const s of spent) {
            const total = spent.filter((o) => o.at <= s.at).reduce((a, o) => a + o.weight, 0);
            expect(total).toBeLessThanOrEqual(burst + (rate * s.at) / 1000 + 1e-9);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('requestClassOf (the class an order is sent under)', () => {
  it.each([
    [{ purpose: 'hedge', reduceOnly: true }, 'hedge'],
    [{ purpose: 'stop', reduceOnly: true }, 'hedge'],
    [{ purpose: 'liquidation', reduceOnly: false }, 'hedge'],
    [{ purpose: 'harvest', reduceOnly: true }, 'exit'],
    [{ purpose: 'entry', reduceOnly: true }, 'exit'],
    [{ reduceOnly: true }, 'exit'],
    [{ purpose: 'entry', reduceOnly: false }, 'entry'],
    [{ reduceOnly: false }, 'entry'],
  ] as const)('%j → %s', (req, cls) => {
    expect(requestClassOf(req)).toBe(cls);
  });
});
