import { describe, expect, it } from 'vitest';
import { intent, makeHarness, runFor } from './order-manager-fixture.js';

describe('OrderManager request latency', () => {
  it('reports each place and cancel round trip on the market clock', async () => {
    const h = makeHarness();
    const seen: [string, number][] = [];
    h.om.onRequestLatency((request, seconds) => seen.push([request, seconds]));
    const order = h.om.submit(intent());
    await runFor(h.clock, 1_000);
    h.om.cancel(order.clientOrderId);
    await runFor(h.clock, 1_000);
    expect(seen).toEqual([
      ['place', 0.05],
      ['cancel', 0.05],
    ]);
  });
});
