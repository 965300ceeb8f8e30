import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, VenueRejectError } from '../../../../src/core/errors.js';
import type { VenueStateStore } from '../../../../src/core/venue.js';
import { USER_ORDER_ID_MAX, UserOrderIdRing } from '../../../../adapters/drift/user-order-id-ring.js';

class MemoryState implements VenueStateStore {
  readonly m = new Map<string, string>();
  get(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  set(k: string, v: string): void {
    this.m.set(k, v);
  }
  list(prefix: string) {
    return [...this.m.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key, value }));
  }
}

const order = (id: string) => ({ clientOrderId: id, subAccountId: 0, symbol: 'SOL-PERP', marketIndex: 0, direction: 'long' as const, baseAssetAmount: 1e9, price: 1e8, ts: 0 });

type Op = { kind: 'alloc'; busy: number[] } | { kind: 'finish'; pick: number } | { kind: 'unknown'; pick: number } | { kind: 'restart' };

describe('UserOrderIdRing', () => {
  it('never hands out an id that is held, unknown, or on the account — across restarts (property)', () => {
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('alloc' as const), busy: fc.array(fc.integer({ min: 1, max: USER_ORDER_ID_MAX }), { maxLength: 20 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 400 }), (ops) => {
        const state = new MemoryState();
        let ring = new UserOrderIdRing(state, 0);
        const held = new Map<string, number>(); // client order id → uid, not yet done
        let n = 0;
        for (const op of ops) {
          if (op.kind === 'restart') ring = new UserOrderIdRing(state, 0);
          else if (op.kind === 'alloc') {
            const busy = new Set(op.busy);
            const taken = new Set([...held.values()]);
            const free = [...Array(USER_ORDER_ID_MAX).keys()].map((i) => i + 1).filter((u) => !busy.has(u) && !taken.has(u));
            const id = `c${n++}`;
            if (free.length === 0) {
              expect(() => ring.allocate(order(id), busy)).toThrow(VenueRejectError);
              continue;
            }
            const uid = ring.allocate(order(id), busy);
            expect(busy.has(uid)).toBe(false);
            expect(taken.has(uid)).toBe(false);
            expect(uid >= 1 && uid <= USER_ORDER_ID_MAX).toBe(true);
            held.set(id, uid);
          } else if (held.size > 0) {
            const ids = [...held.keys()];
            const id = ids[op.pick % ids.length]!;
            // An unknown outcome keeps the id; only a known terminal state releases it.
            if (op.kind === 'unknown') ring.update(id, { state: 'unknown', txSig: 'x' });
            else {
              ring.update(id, { state: 'done', final: 'filled' });
              held.delete(id);
            }
          }
        }
        expect(new Set(ring.held().map((r) => r.userOrderId))).toEqual(new Set(held.values()));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a client order id it already sent, and reports exhaustion with a code', () => {
    const ring = new UserOrderIdRing(new MemoryState(), 3);
    ring.allocate(order('a'), new Set());
    expect(() => ring.allocate(order('a'), new Set())).toThrow(VenueRejectError);
    const all = new Set([...Array(USER_ORDER_ID_MAX).keys()].map((i) => i + 1));
    try {
      ring.allocate(order('b'), all);
      expect.unreachable();
    } catch (e) {
      expect((e as VenueRejectError).code).toBe(ErrorCodes.VENUE_REJECTED);
      expect((e as VenueRejectError).details['reason']).toBe('user_order_ids_exhausted');
    }
  });

  it('rings are per subaccount', () => {
    const state = new MemoryState();
    const a = new UserOrderIdRing(state, 0).allocate(order('x'), new Set());
    const b = new UserOrderIdRing(state, 1).allocate(order('y'), new Set());
    expect(a).toBe(1);
    expect(b).toBe(1);
  });
});
