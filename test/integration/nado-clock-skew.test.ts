import { describe, expect, it } from 'vitest';
import { ErrorCodes, isDnbotError } from '../../src/core/errors.js';
import { LiveClock } from '../../src/core/clock.js';
import type { OrderRequest } from '../../src/core/types.js';
import { useLoopbackNado } from '../support/loopback-nado/loopback-suite.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';

/** The real clock shifted by `offsetMs` (the machine's clock off from the venue's). */
class SkewedClock extends LiveClock {
  offsetMs: number;
  constructor(offsetMs: number) {
    super();
    this.offsetMs = offsetMs;
  }
  override now(): number {
    return super.now() + this.offsetMs;
  }
}

describe.skipIf(!nadoDataPresent)('Nado with a skewed local clock (loopback venue on the real clock)', () => {
  const t = useLoopbackNado();
  const order = (id: string, mid: number): OrderRequest => ({ clientOrderId: id, symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: mid - 100, size: 0.001, reduceOnly: false });

  it.each([
    ['behind', -8_000, /\d{4} ms behind Nado's \(limit 2000 ms\): orders signed now would reach the venue after their 5000 ms recv window/],
    ['ahead of', 40_000, /\d{5} ms ahead of Nado's \(limit 2000 ms\): an order whose ack is lost could still arrive/],
  ] as const)('a local clock 8 s / 40 s %s the venue: the order is refused unsent, the error naming the skew in ms', async (_dir, offset, message) => {
    const bundle = await t.open({ wall: new SkewedClock(offset) });
    const err = await bundle.live!.placeOrder(order('sk-1', t.loop.product('BTC-PERP').mid)).catch((e: unknown) => e);
    expect(isDnbotError(err) && err.code).toBe(ErrorCodes.VENUE_REJECTED);
    expect((err as Error).message).toMatch(message);
    expect(Math.abs(Number((err as { details: Record<string, unknown> }).details['clockSkewMs']) - offset)).toBeLessThan(1_500);
    expect(t.loop.placed).toEqual([]); // never signed into a request the venue would refuse or misjudge
  });

  it('a skew within the limit places normally; once the clock is corrected, orders go out again after the next check', async () => {
    const wall = new SkewedClock(300);
    const bundle = await t.open({ wall, config: { clockCheckMs: 1 } });
    const mid = t.loop.product('BTC-PERP').mid;
    await bundle.live!.placeOrder(order('ok-1', mid));
    expect(t.loop.placed).toHaveLength(1);
    wall.offsetMs = -9_000; // the clock steps back
    await expect(bundle.live!.placeOrder(order('ok-2', mid))).rejects.toThrow(/ms behind Nado's/);
    expect(t.loop.placed).toHaveLength(1);
    wall.offsetMs = 0; // NTP fixed it
    await bundle.live!.placeOrder(order('ok-3', mid));
    expect(t.loop.placed).toHaveLength(2);
  });
});
